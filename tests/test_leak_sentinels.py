"""Leak sentinels: nothing of team B reaches team A's members, on any page.

Teams A and B are seeded alike (tests/sentinels.py), every free-text field of
every record carrying a marker of its team. Every page of the URL matrix that
a role of team A may open, downloads (CSV, XLSX) and searches included, is
rendered for that role and must contain none of B's markers, while A's own
markers show that the walk reached the data. Then every form of team A is sent
B's records in each of its record fields, which must be refused as a form
error that writes nothing.
"""

import io
import zipfile

import pytest
from django import forms
from django.apps import apps
from django.test import Client

from tests.sentinels import QUARTER, has_free_text, markers_in, seed_team
from tests.test_url_matrix import MATRIX, PERSONAS, url_for
from tests.test_url_matrix import _row_counts as row_counts

pytestmark = pytest.mark.django_db

ROLES = ("broker", "lead", "evaluator")
# Searches are asked for B's records by their markers, which must find nothing.
SEARCH_QUERY = "?q=zqb"
# Forms shown on one page and sent to another.
FORM_ACTIONS = {"evaluations:source_detail": "evaluations:excerpt_add"}
# A's text fields that no page shows, and why.
NEVER_SHOWN = {
    "User.email": "members' e-mail addresses are for signing in, not shown on team pages",
    "ImportedEvent.uid": "how a calendar event logged before is known again, never shown",
    "ImportedEvent.start": "likewise",
    "CalendarFeed.token_hash": "a feed's token is kept as a hash, and shown to nobody",
    "ReportSubscription.ended_because": "why a subscription ended is kept for the admin",
    "SignedOffFile.filename": "a sign-off's file is named in its download's headers",
    "SignedOffFile.content_type": "likewise, the type of the file",
}
# A form shown again with its errors over a source's text is a reading of that source, and
# is recorded in the access log: that row is not a write of the form.
READ_RECORDS = "audit.AccessRecord"


@pytest.fixture
def world(team, broker, lead, evaluator, other_team, other_broker, other_lead, other_evaluator):
    """Team A's and team B's records, both marked."""
    assert QUARTER == "2025-q1"
    return {
        "a": seed_team(team, broker, lead, evaluator, "a"),
        "b": seed_team(other_team, other_broker, other_lead, other_evaluator, "b"),
    }


def pages(role):
    """(URL name, target, query) of every GET line of the matrix that `role` may open."""
    for name, target, request, *statuses in MATRIX:
        method, _, query = request.partition(" ")
        if method == "get" and dict(zip(PERSONAS, statuses, strict=True))[role] == 200:
            yield name, target, query
            if name.endswith("_search"):
                yield name, target, SEARCH_QUERY


def text_of(response):
    """The page or file as text: an XLSX's sheets and shared strings are unzipped."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            content = b"".join(archive.read(name) for name in archive.namelist())
    return content.decode("utf-8", errors="replace")


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_no_page_shows_team_a_anything_of_team_b(world):
    a, b = world["a"], world["b"]
    leaks, seen, walked = [], set(), 0
    for role in ROLES:
        client = signed_in(a["users"][role])
        for name, target, query in pages(role):
            response = client.get(url_for(name, target, a) + query)
            assert response.status_code == 200, (role, name, query, response.status_code)
            text = text_of(response)
            walked += 1
            seen |= markers_in(text, "a")
            for marker in sorted(markers_in(text, "b")):
                leaks.append(f"{role} {name}{query}: {b['markers'].where[marker]}")

    assert not leaks, "\n".join(leaks)
    assert walked > 200
    # Every marked field of A's was shown somewhere: the walk reached the data.
    unseen = {a["markers"].where[m] for m in set(a["markers"].where) - seen}
    assert unseen == set(NEVER_SHOWN)


# Kinds of record with free text that teams share, so no team's marker goes in them.
SHARED = {"activities.Organisation", "activities.Conduit"}


def test_every_kind_of_record_with_free_text_is_seeded(world):
    """A new model with text fields fails here until tests/sentinels.py seeds it."""
    seeded = {label.split(".")[0] for label in world["b"]["markers"].where.values()}
    project_models = [
        model
        for app in ("activities", "evaluations", "audit")
        for model in apps.get_app_config(app).get_models()
        if has_free_text(model) and not model.__name__.startswith("Historical")
    ]

    unseeded = {
        model._meta.label
        for model in project_models
        if model.__name__ not in seeded and model._meta.label not in SHARED
    }
    assert not unseeded


# B's records in A's forms.


def form_pages():
    """Each form page of the matrix with a role that may send it (its GET answers 200)."""
    done = set()
    for name, target, request, *statuses in MATRIX:
        expected = dict(zip(PERSONAS, statuses, strict=True))
        role = next((r for r in ("lead", "evaluator", "broker") if expected[r] == 200), None)
        if request == "get" and role and (name, target) not in done:
            done.add((name, target))
            yield name, target, role


def record_fields(form):
    """The form's fields that choose records (foreign keys and many-to-many)."""
    return [
        name
        for name, field in form.fields.items()
        if isinstance(field, forms.ModelChoiceField) and not field.disabled
    ]


def submission(form):
    """What the form would send as shown: its initial values, under their HTML names."""
    data = {}
    for bound in form:
        value = bound.value()
        if value is None:
            continue
        data[bound.html_name] = value
    return data


def _row_counts():
    counts = row_counts()
    counts.pop(READ_RECORDS)
    return counts


def test_team_a_forms_refuse_team_b_records(world):
    a, b = world["a"], world["b"]
    refused, checked = [], 0
    for name, target, role in form_pages():
        client = signed_in(a["users"][role])
        page = client.get(url_for(name, target, a))
        form = page.context and page.context.get("form")
        if not isinstance(form, forms.BaseForm):
            continue
        action = url_for(FORM_ACTIONS.get(name, name), target, a)
        for field_name in record_fields(form):
            model = form.fields[field_name].queryset.model
            if model not in b["instances"]:
                continue  # shared by all teams (organisations, conduits) or not a team's
            foreign = b["instances"][model].pk
            multiple = isinstance(form.fields[field_name], forms.ModelMultipleChoiceField)
            data = submission(form) | {
                form[field_name].html_name: [foreign] if multiple else foreign
            }
            before = _row_counts()

            response = client.post(action, data)

            checked += 1
            errors = response.context and response.context.get("form")
            errors = errors.errors if errors is not None else {}
            if response.status_code != 200 or field_name not in errors:
                refused.append(f"{role} {name} {field_name}: {response.status_code}")
            if _row_counts() != before:
                refused.append(f"{role} {name} {field_name}: rows were written")

    assert not refused, "\n".join(refused)
    assert checked >= 15
