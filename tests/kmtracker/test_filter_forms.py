"""The filter forms' cheaper drawing (kmtracker/lib/filter_forms.py) gives the markup of
crispy's own field template and Django's own widget templates, field for field."""

import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.forms.renderers import DjangoTemplates
from django.test import RequestFactory

from activities.filters import (
    ActivityFilterSet,
    ContactFilterSet,
    FollowUpFilterSet,
    OrganisationFilterSet,
    OutcomeFilterSet,
    ProjectFilterSet,
)
from activities.models import Activity, Contact, Organisation, Outcome, Project
from evaluations.filters import ReflectiveEntryFilterSet
from evaluations.models import ReflectiveEntry
from kmtracker.lib.filter_forms import FILTER_FORM_HELPER, FILTER_FORM_RENDERER
from teams.tenancy import TeamAccess
from tests import factories

pytestmark = pytest.mark.django_db

FILTERSETS = [
    (ActivityFilterSet, Activity),
    (ContactFilterSet, Contact),
    (OutcomeFilterSet, Outcome),
    (ProjectFilterSet, Project),
    (OrganisationFilterSet, Organisation),
    (FollowUpFilterSet, Activity),
    (ReflectiveEntryFilterSet, ReflectiveEntry),
]

# Unfiltered; filtered with values of every kind; with values the fields refuse.
QUERIES = {
    "unbound": None,
    "values": {
        "q": "frailty <b>",
        "date_from": "2025-04-01",
        "category": "relationship_building",
        "quarter": "2025-q1",
        "o": "-date",
        "state": "done",
        "status": "funded",
    },
    "errors": {"date_from": "not-a-date", "category": "nonsense", "o": "?", "type": "x"},
}


# The same characters, escaped by Jinja2 (markupsafe) and by Django.
SAME_ENTITIES = {"&#39;": "&#x27;", "&#34;": "&quot;"}


def normalised(html):
    """Markup without the whitespace between tags, which no browser shows, and with one
    spelling of each escaped character."""
    html = re.sub(r"\s+", " ", str(html))
    for jinja, django in SAME_ENTITIES.items():
        html = html.replace(jinja, django)
    return re.sub(r" ?(<|>) ?", r"\1", html).strip()


def as_crispy_would(bound_field):
    """The field drawn by crispy's bootstrap5 field template and Django's widget templates."""
    form = bound_field.form
    drawn_with = form.helper, form.renderer
    del form.helper
    form.renderer = DjangoTemplates()
    try:
        return as_crispy_field(form[bound_field.name])
    finally:
        form.helper, form.renderer = drawn_with


@pytest.fixture
def request_for(team, broker):
    factories.ActivityFactory(team=team, lead_broker=broker.broker_profile)
    factories.ProjectFactory(team=team, title="Frailty <pathway>")

    def make(data):
        request = RequestFactory().get("/", data or {})
        request.user = broker
        request.team_access = TeamAccess(team, broker, "lead")
        return request

    return make


@pytest.mark.parametrize("state", QUERIES)
@pytest.mark.parametrize(("filterset_class", "model"), FILTERSETS)
def test_filter_fields_have_crispys_markup(request_for, team, filterset_class, model, state):
    request = request_for(QUERIES[state])
    project = Project.objects.get(team=team)
    data = request.GET.copy() if QUERIES[state] is not None else None
    if data is not None and "project" in filterset_class.base_filters:
        data["project"] = str(project.pk)  # an autocomplete with its one chosen option
    filterset = filterset_class(data, queryset=model.objects.all(), request=request)
    form = filterset.form
    assert form.helper is FILTER_FORM_HELPER
    assert form.renderer is FILTER_FORM_RENDERER
    if state == "errors":
        assert not form.is_valid()

    for name in form.fields:
        drawn = as_crispy_field(form[name])
        assert normalised(drawn) == normalised(as_crispy_would(form[name])), name
        assert f'id="div_id_{name}"' in drawn


def test_a_refused_value_is_shown_with_its_error(request_for):
    request = request_for({"date_from": "not-a-date"})
    filterset = ActivityFilterSet(request.GET, queryset=Activity.objects.all(), request=request)

    drawn = as_crispy_field(filterset.form["date_from"])

    assert "is-invalid" in drawn
    assert 'class="invalid-feedback"' in drawn
    assert 'value="not-a-date"' in drawn


def test_a_form_field_of_another_kind_is_drawn_by_crispys_own_template(request_for):
    from django import forms

    class WithCheckbox(forms.Form):
        done = forms.BooleanField(required=False, label="Done")
        note = forms.CharField(widget=forms.HiddenInput, required=False)

    form = WithCheckbox()
    form.helper, form.renderer = FILTER_FORM_HELPER, FILTER_FORM_RENDERER

    for name in form.fields:
        assert normalised(as_crispy_field(form[name])) == normalised(as_crispy_would(form[name]))
