"""Who may change evaluations: evaluators only. Leads read, brokers have no access, members
of other teams learn nothing; a refused POST changes nothing. (The URL matrix in
tests/test_url_matrix.py checks every GET; this file checks the writes.)"""

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluations.models import ReflectiveEntry, Study
from tests import factories
from tests.test_url_matrix import objects, url_for  # noqa: F401 (`objects` is a fixture)

pytestmark = pytest.mark.django_db


def write_data(name, records):
    """A valid submission for each evaluator-only URL, so that a missing check would save it."""
    study = records["study"]
    source = study.sources.get()
    theme = study.themes.get(parent__isnull=False)
    return {
        "evaluations:study_add": {"title": "Posted", "status": "planning"},
        "evaluations:study_edit": {"title": "Posted", "status": "analysing"},
        "evaluations:participant_add": {"community": "research", "role": "Posted"},
        "evaluations:participant_edit": {"code": "P09", "community": "clinical"},
        "evaluations:participant_delete": {},
        "evaluations:source_add": {"kind": "diary", "title": "Posted", "text": "Posted text"},
        "evaluations:source_add_from_log": {"entries": [records["shared_entry"].pk]},
        "evaluations:source_edit": {"kind": "essay", "title": "Posted", "text": source.text},
        "evaluations:source_delete": {},
        "evaluations:excerpt_add": {"quote": "fellows", "themes": [theme.pk]},
        "evaluations:excerpt_edit": {"quote": "fellows", "themes": [theme.pk], "memo": "Posted"},
        "evaluations:excerpt_delete": {},
        "evaluations:framework_default": {},
        "evaluations:framework_import": {
            "file": SimpleUploadedFile("f.csv", b"theme,sub_theme,description\nPosted,,\n")
        },
        "evaluations:theme_add": {"name": "Posted", "position": 0},
        "evaluations:theme_edit": {"name": "Posted", "position": 0},
        "evaluations:matrix_cell": {"text": "Posted"},
    }.get(name)


TARGETS = {
    "evaluations:study_add": "team",
    "evaluations:study_edit": "study",
    "evaluations:participant_add": "in_study",
    "evaluations:participant_edit": "participant",
    "evaluations:participant_delete": "participant",
    "evaluations:source_add": "in_study",
    "evaluations:source_add_from_log": "in_study",
    "evaluations:source_edit": "source",
    "evaluations:source_delete": "source",
    "evaluations:excerpt_add": "source",
    "evaluations:excerpt_edit": "excerpt",
    "evaluations:excerpt_delete": "excerpt",
    "evaluations:framework_default": "in_study",
    "evaluations:framework_import": "in_study",
    "evaluations:theme_add": "in_study",
    "evaluations:theme_edit": "theme",
    "evaluations:matrix_cell": "cell",
}


def row_counts():
    """Rows of every model; an edit shows too, as a new row of the model's history."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.mark.parametrize("name", sorted(TARGETS))
@pytest.mark.parametrize(
    ("persona", "expected"), [("lead", 403), ("broker", 403), ("other_broker", 404)]
)
def test_only_evaluators_change_evaluations(client_for, objects, name, persona, expected):  # noqa: F811
    client = client_for(objects["users"][persona])
    before = row_counts()

    response = client.post(url_for(name, TARGETS[name], objects), write_data(name, objects))

    assert response.status_code == expected
    assert row_counts() == before
    assert Study.objects.get(pk=objects["study"].pk).title == "Matrix study"


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_the_same_submission_is_accepted_from_an_evaluator(client_for, objects, name):  # noqa: F811
    """So that the refusals above are refusals, not invalid forms."""
    client = client_for(objects["users"]["evaluator"])

    response = client.post(url_for(name, TARGETS[name], objects), write_data(name, objects))

    assert response.status_code == 302, response.context and response.context.get("form").errors


def test_a_superuser_without_a_role_reads_evaluations_like_a_lead(client_for, team):
    admin_user = factories.UserFactory(username="admin", is_superuser=True, is_staff=True)
    study = factories.StudyFactory(team=team)
    client = client_for(admin_user)

    listing = client.get(reverse("evaluations:study_list", kwargs={"team": team.slug}))
    refused = client.post(
        reverse("evaluations:study_edit", kwargs={"team": team.slug, "pk": study.pk}),
        {"title": "Changed", "status": "planning"},
    )

    assert listing.status_code == 200
    assert refused.status_code == 403


def test_brokers_reach_no_evaluation_rows_even_by_query():
    team = factories.TeamFactory(slug="t")
    broker = factories.BrokerFactory(team=team).user
    lead = factories.BrokerFactory(team=team, membership="lead").user
    study = factories.StudyFactory(team=team)

    assert not Study.objects.for_user(broker).exists()
    assert list(Study.objects.for_user(lead)) == [study]


def test_reflective_entries_are_not_in_the_admin():
    """Superusers administer everything else; a private reflection stays its author's."""
    assert ReflectiveEntry not in admin.site._registry
    assert not any(
        model._meta.label.startswith("evaluations.HistoricalReflectiveEntry")
        for model in admin.site._registry
    )
