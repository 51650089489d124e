"""Every URL for every persona, from one table.

Adding a view means adding a line to MATRIX: `test_every_url_is_in_the_matrix`
walks the URLconf and fails for any URL name without one.

Personas: anonymous; a broker of another team ("other"); an evaluator, a broker
and a lead of team A. Team A's objects come from the `objects` fixture; the
activity is led by the `broker` persona, so that broker may change it.
"""

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from activities.models import Conduit
from tests import factories
from tests.evaluations.objects import evaluation_objects

pytestmark = pytest.mark.django_db

LOGIN = "login"  # 302 to the login page
PERSONAS = ("anonymous", "other", "evaluator", "broker", "lead")

# The roles of DESIGN.md: everyone in the team reads; brokers and leads create and
# change (brokers only the activities they lead or co-broker); evaluators only read;
# only the lead writes a report's narrative, signs it off and reopens it; a member
# of another team learns nothing, not even that the team exists.
READ = (LOGIN, 404, 200, 200, 200)
WRITE = (LOGIN, 404, 403, 200, 200)
LEAD_ONLY = (LOGIN, 404, 403, 403, 200)
# Evaluations: evaluators do everything, leads read, brokers have no access. A reflective
# log entry is its author's (the broker's here); evaluators read it once it is shared.
EVAL_READ = (LOGIN, 404, 200, 403, 200)
EVALUATE = (LOGIN, 404, 200, 403, 403)
EVALUATE_POST_ONLY = (LOGIN, 404, 405, 403, 403)
QUARTER = "2025-q1"
PERIOD = "?date_from=2025-04-01&date_to=2025-06-30"  # the query of an any-period report

# URL name; what its URL takes: None (nothing), "team" (team A's slug), or the kind of
# team A object whose pk it takes ("quarter": the slug of QUARTER); the request
# ("get" or "post", and any query string); the status for each persona, in PERSONAS order.
MATRIX = [
    ("home", None, "get", LOGIN, 302, 302, 302, 302),
    ("healthz", None, "get", 200, 200, 200, 200, 200),
    ("accessibility", None, "get", 200, 200, 200, 200, 200),
    ("login", None, "get", 200, 200, 200, 200, 200),
    ("logout", None, "get", LOGIN, 405, 405, 405, 405),
    ("logout", None, "post", LOGIN, 302, 302, 302, 302),
    ("team_dashboard", "team", "get", *READ),
    ("activities:activity_list", "team", "get", *READ),
    ("activities:activity_list", "team", "get ?export=csv", *READ),
    ("activities:activity_list", "team", "get ?export=csv&table=activity_contacts", *READ),
    ("activities:activity_list", "team", "get ?export=xlsx", *READ),
    ("activities:activity_import", "team", "get", *WRITE),
    ("activities:activity_add", "team", "get", *WRITE),
    ("activities:activity_detail", "activity", "get", *READ),
    ("activities:activity_edit", "activity", "get", *WRITE),
    ("activities:activity_delete", "activity", "get", *WRITE),
    ("activities:contact_list", "team", "get", *READ),
    ("activities:contact_list", "team", "get ?export=csv", *READ),
    ("activities:contact_import", "team", "get", *WRITE),
    ("activities:contact_add", "team", "get", *WRITE),
    ("activities:contact_detail", "contact", "get", *READ),
    ("activities:contact_edit", "contact", "get", *WRITE),
    ("activities:contact_erase", "contact", "get", *WRITE),
    ("activities:contact_search", "team", "get", *READ),
    ("activities:contact_quick_add", "team", "get", LOGIN, 405, 405, 405, 405),
    ("activities:contact_quick_add", "team", "post", LOGIN, 404, 403, 201, 201),
    ("activities:organisation_search", "team", "get", *READ),
    ("activities:organisation_list", "team", "get", *READ),
    ("activities:organisation_list", "team", "get ?export=csv", *READ),
    ("activities:data_dictionary", "team", "get", *READ),
    ("activities:outcome_list", "team", "get", *READ),
    ("activities:outcome_list", "team", "get ?export=csv", *READ),
    ("activities:outcome_add", "team", "get", *WRITE),
    ("activities:outcome_detail", "outcome", "get", *READ),
    ("activities:outcome_edit", "outcome", "get", *WRITE),
    ("activities:project_list", "team", "get", *READ),
    ("activities:project_list", "team", "get ?export=csv", *READ),
    ("activities:project_pipeline", "team", "get", *READ),
    ("activities:project_add", "team", "get", *WRITE),
    ("activities:project_detail", "project", "get", *READ),
    ("activities:project_edit", "project", "get", *WRITE),
    ("evaluations:report_index", "team", "get", *READ),
    ("evaluations:report_period", "team", "get", *READ),
    ("evaluations:report_period_print", "team", "get", *READ),
    ("evaluations:report_detail", "quarter", "get", *READ),
    ("evaluations:report_detail", "quarter", "get ?export=csv", *READ),
    ("evaluations:report_detail", "quarter", "get ?export=xlsx", *READ),
    ("evaluations:report_period", "team", f"get {PERIOD}", *READ),
    ("evaluations:report_period", "team", f"get {PERIOD}&export=csv", *READ),
    ("evaluations:report_print", "quarter", "get", *READ),
    ("evaluations:report_narrative", "quarter", "get", *LEAD_ONLY),
    ("evaluations:report_signoff", "quarter", "get", LOGIN, 404, 403, 403, 405),
    ("evaluations:report_signoff", "quarter", "post", LOGIN, 404, 403, 403, 302),
    ("evaluations:report_reopen", "quarter", "get", LOGIN, 404, 403, 403, 405),
    ("evaluations:report_reopen", "quarter", "post", LOGIN, 404, 403, 403, 302),
    ("evaluations:log_list", "team", "get", *READ),
    ("evaluations:log_add", "team", "get", *WRITE),
    ("evaluations:log_detail", "private_entry", "get", LOGIN, 404, 404, 200, 404),
    ("evaluations:log_detail", "shared_entry", "get", LOGIN, 404, 200, 200, 404),
    ("evaluations:log_edit", "private_entry", "get", LOGIN, 404, 403, 200, 404),
    ("evaluations:log_edit", "shared_entry", "get", LOGIN, 404, 403, 200, 404),
    ("evaluations:log_delete", "private_entry", "get", LOGIN, 404, 403, 200, 404),
    ("evaluations:log_delete", "shared_entry", "get", LOGIN, 404, 403, 200, 404),
    ("evaluations:study_list", "team", "get", *EVAL_READ),
    ("evaluations:study_add", "team", "get", *EVALUATE),
    ("evaluations:study_detail", "study", "get", *EVAL_READ),
    ("evaluations:study_edit", "study", "get", *EVALUATE),
    ("evaluations:participant_list", "in_study", "get", *EVAL_READ),
    ("evaluations:participant_add", "in_study", "get", *EVALUATE),
    ("evaluations:participant_edit", "participant", "get", *EVALUATE),
    ("evaluations:participant_delete", "participant", "get", *EVALUATE),
    ("evaluations:source_add", "in_study", "get", *EVALUATE),
    ("evaluations:source_add_from_log", "in_study", "get", *EVALUATE),
    ("evaluations:source_add_from_narratives", "in_study", "get", *EVALUATE),
    ("evaluations:source_detail", "source", "get", *EVAL_READ),
    ("evaluations:source_edit", "source", "get", *EVALUATE),
    ("evaluations:source_delete", "source", "get", *EVALUATE),
    ("evaluations:excerpt_add", "source", "get", *EVALUATE_POST_ONLY),
    ("evaluations:excerpt_add", "source", "post", *EVALUATE),  # no theme chosen: the form again
    ("evaluations:excerpt_list", "in_study", "get", *EVAL_READ),
    ("evaluations:excerpt_list", "in_study", "get ?export=csv", *EVAL_READ),
    ("evaluations:excerpt_edit", "excerpt", "get", *EVALUATE),
    ("evaluations:excerpt_delete", "excerpt", "get", *EVALUATE),
    ("evaluations:framework", "in_study", "get", *EVAL_READ),
    ("evaluations:framework", "in_study", "get ?export=csv", *EVAL_READ),
    ("evaluations:framework_default", "in_study", "get", *EVALUATE_POST_ONLY),
    ("evaluations:framework_default", "in_study", "post", LOGIN, 404, 302, 403, 403),
    ("evaluations:framework_import", "in_study", "get", *EVALUATE),
    ("evaluations:theme_add", "in_study", "get", *EVALUATE),
    ("evaluations:theme_edit", "theme", "get", *EVALUATE),
    ("evaluations:theme_delete", "theme", "get", *EVALUATE),
    ("evaluations:matrix", "in_study", "get", *EVAL_READ),
    ("evaluations:matrix", "in_study", "get ?rows=sources", *EVAL_READ),
    ("evaluations:matrix", "in_study", "get ?export=csv", *EVAL_READ),
    ("evaluations:matrix", "in_study", "get ?export=xlsx", *EVAL_READ),
    ("evaluations:matrix_cell", "cell", "get", *EVAL_READ),
    ("evaluations:matrix_cell", "cell", "post", LOGIN, 404, 302, 403, 403),
    ("evaluations:sampling_frame", "in_study", "get", *EVAL_READ),
    ("evaluations:sampling_frame", "in_study", "get ?export=csv", *EVAL_READ),
]

# Left out of the matrix on purpose: Django's admin has its own permission checks.
EXCLUDED_NAMESPACES = {"admin"}

# What a write endpoint is sent by POST: valid input, so that a missing check would save it.
POST_DATA = {
    "activities:contact_quick_add": {
        "contact-name": "Matrix Contact",
        "contact-community": "research",
    },
    "evaluations:matrix_cell": {"text": "Matrix summary"},
}


@pytest.fixture
def objects(team, broker, lead, evaluator, other_broker):
    """One record of each kind in team A, and the personas' users."""
    activity = factories.ActivityFactory(
        team=team, lead_broker=broker.broker_profile, title="Matrix activity"
    )
    project = factories.ProjectFactory(team=team, lead_broker=broker.broker_profile)
    return {
        "team": team,
        "activity": activity,
        "contact": factories.ContactFactory(team=team, name="Matrix Person"),
        "outcome": factories.OutcomeFactory(team=team, activity=activity, project=project),
        "project": project,
        **evaluation_objects(team, broker, evaluator),
        "users": {
            "anonymous": None,
            "other": other_broker,
            "evaluator": evaluator,
            "broker": broker,
            "lead": lead,
        },
    }


def url_for(name, target, objects):
    if target is None:
        return reverse(name)
    kwargs = {"team": objects["team"].slug}
    if target == "quarter":
        kwargs["quarter"] = QUARTER
    elif target != "team":
        target_object = objects[target]
        # A dict holds the arguments of a URL under an evaluation study.
        kwargs |= target_object if isinstance(target_object, dict) else {"pk": target_object.pk}
    return reverse(name, kwargs=kwargs)


def cases():
    for name, target, request, *statuses in MATRIX:
        for persona, status in zip(PERSONAS, statuses, strict=True):
            case_id = f"{name}-{request.replace(' ', '')}-{persona}"
            yield pytest.param(name, target, request, persona, status, id=case_id)


@pytest.mark.parametrize(("name", "target", "request_", "persona", "expected"), list(cases()))
def test_url_answers_each_persona(client_for, objects, name, target, request_, persona, expected):
    client = client_for(objects["users"][persona])
    method, _, query = request_.partition(" ")
    url = url_for(name, target, objects) + query

    response = client.post(url, POST_DATA.get(name, {})) if method == "post" else client.get(url)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    else:
        assert response.status_code == expected
    if expected == 200 and "export=csv" in query:
        assert response["Content-Type"].startswith("text/csv")


def test_every_url_is_in_the_matrix():
    in_matrix = {name for name, *_ in MATRIX}
    routed, unnamed = _url_names(get_resolver())

    assert not unnamed, f"URLs without a name cannot be in the matrix: {unnamed}"
    missing = sorted(routed - in_matrix)
    assert not missing, f"Add a line to MATRIX in tests/test_url_matrix.py for: {missing}"
    stale = sorted(in_matrix - routed)
    assert not stale, f"MATRIX names URLs that no longer exist: {stale}"


def _url_names(resolver, namespace=""):
    """Every URL name under `resolver` ("ns:name"), and the routes of any unnamed pattern."""
    names, unnamed = set(), []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in EXCLUDED_NAMESPACES:
                continue
            prefix = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            inner_names, inner_unnamed = _url_names(pattern, prefix)
            names |= inner_names
            unnamed += [f"{pattern.pattern}{route}" for route in inner_unnamed]
        elif isinstance(pattern, URLPattern):
            if pattern.name:
                names.add(namespace + pattern.name)
            else:
                unnamed.append(str(pattern.pattern))
    return names, unnamed


# Refused writes change nothing.


def _write_data(name, objects):
    """A valid submission for each form, so that a missing permission check would save it."""
    team = objects["team"]
    broker_profile = objects["users"]["broker"].broker_profile
    activity = {
        "date": "2025-05-12",
        "activity_type": factories.activity_type(team).pk,
        "title": "Posted activity",
        "lead_broker": broker_profile.pk,
        "direction": "unclear",
        "conduits": [Conduit.objects.first().pk],
        "topics_text": "posted topic",
    }
    contact = {
        "name": "Posted Contact",
        "community": "research",
        "email": "posted@example.org",
        "confirm": "yes",
    }
    outcome = {
        "activity": objects["activity"].pk,
        "type": "connection_made",
        "date": "2025-05-20",
        "description": "Posted outcome",
        "confidence": "medium",
    }
    project = {"title": "Posted project", "kind": "research_bid", "status": "idea"}
    upload = {
        "file": SimpleUploadedFile("posted.csv", b"name,community\nPosted Person,research\n"),
        "encoding": "utf-8",
    }
    narrative = {"highlights": "Posted", "challenges": "Posted", "plans": "Posted"}
    return {
        "activities:activity_add": activity,
        "activities:activity_edit": activity,
        "activities:activity_delete": {},
        "activities:contact_add": contact,
        "activities:contact_edit": contact,
        "activities:contact_erase": contact,
        "activities:contact_quick_add": POST_DATA["activities:contact_quick_add"],
        "activities:activity_import": upload,
        "activities:contact_import": upload,
        "activities:outcome_add": outcome,
        "activities:outcome_edit": outcome,
        "activities:project_add": project,
        "activities:project_edit": project,
        "evaluations:report_narrative": narrative,
        "evaluations:report_signoff": {},
        "evaluations:report_reopen": {"note": "Posted reopening"},
        "evaluations:log_add": {"date": "2025-05-14", "text": "Posted", "shared": "on"},
    }[name]


# Every URL an evaluator may not use but a broker or the lead may, by POST.
WRITE_URLS = [
    (name, target, statuses)
    for name, target, request, *statuses in MATRIX
    if request == "get" and tuple(statuses) in (WRITE, LEAD_ONLY)
] + [
    ("activities:contact_quick_add", "team", WRITE),
    ("evaluations:report_signoff", "quarter", LEAD_ONLY),
    ("evaluations:report_reopen", "quarter", LEAD_ONLY),
]


def refused_posts():
    """Evaluators and other teams' brokers on every write URL; brokers on the lead's."""
    for name, target, statuses in WRITE_URLS:
        refused = {"evaluator": 403, "other": 404}
        if tuple(statuses) == LEAD_ONLY:
            refused["broker"] = 403
        for persona, status in refused.items():
            yield pytest.param(name, target, persona, status, id=f"{name}-{persona}")


def _row_counts():
    """Rows of every model; an edit shows too, as a new row of the model's history."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.mark.parametrize(("name", "target", "persona", "expected"), list(refused_posts()))
def test_a_refused_post_changes_nothing(client_for, objects, name, target, persona, expected):
    client = client_for(objects["users"][persona])
    before = _row_counts()

    response = client.post(url_for(name, target, objects), _write_data(name, objects))

    assert response.status_code == expected
    assert _row_counts() == before
    objects["contact"].refresh_from_db()
    assert objects["contact"].name == "Matrix Person"
    objects["activity"].refresh_from_db()
    assert objects["activity"].title == "Matrix activity"
