"""Every FilterSet behind a list, an export or a report, fed hostile query strings: the
filters are valid or not, and their rows can always be read (never a server error,
whether the list shows the filtered rows or, for invalid filters, none)."""

from collections import Counter

import pytest
from django.test import RequestFactory
from hypothesis import given

from activities.models import Activity, Contact
from activities.views.activities import ActivityListView
from activities.views.contacts import ContactListView
from activities.views.follow_ups import FollowUpListView
from activities.views.organisations import OrganisationListView
from activities.views.outcomes import OutcomeListView
from activities.views.projects import ProjectListView
from audit.filters import AccessRecordFilterSet
from audit.models import AccessRecord
from evaluations import filters as evaluation_filters
from evaluations.models import Excerpt, Participant
from evaluations.views.log import EntryListView
from tests.fuzz.strategies import form_data
from tests.fuzz.world import build_world, project_modules, rolled_back

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(team, broker, lead, evaluator, other_broker):
    return build_world(team, broker, lead, evaluator, other_broker)


def _request(world, persona):
    access = world.access(persona)
    request = RequestFactory().get("/")
    request.user, request.team_access = access.user, access
    return request


def _list_filter(view_class, persona):
    """The FilterSet of a list page, over the rows its view lists for `persona`."""

    def build(world, data):
        request = _request(world, persona)
        view = view_class(request=request, kwargs={"team": world.team.slug})
        view.access = request.team_access
        return view.filterset_class(data, queryset=view.get_queryset(), request=request)

    return build


def _team_filter(filterset_class, model, persona):
    """A FilterSet over the team's rows that `persona` may see."""

    def build(world, data):
        request = _request(world, persona)
        queryset = request.team_access.scoped(model)
        return filterset_class(data, queryset=queryset, request=request)

    return build


def _excerpts(world, data):
    study = world.objects["study"]
    queryset = Excerpt.objects.for_user(world.users["evaluator"]).filter(source__study=study)
    return evaluation_filters.ExcerptFilterSet(data, queryset=queryset, study=study)


def _participants(world, data):
    study = world.objects["study"]
    queryset = Participant.objects.for_user(world.users["evaluator"]).filter(study=study)
    return evaluation_filters.ParticipantFilterSet(data, queryset=queryset)


def _access_log(world, data):
    records = AccessRecord.objects.for_team(world.team)
    return AccessRecordFilterSet(data, queryset=records, team=world.team)


FILTERSETS = {
    "ActivityFilterSet": _list_filter(ActivityListView, "broker"),
    "ContactFilterSet": _list_filter(ContactListView, "broker"),
    "ContactFilterSet (evaluator)": _list_filter(ContactListView, "evaluator"),
    "OutcomeFilterSet": _list_filter(OutcomeListView, "lead"),
    "ProjectFilterSet": _list_filter(ProjectListView, "lead"),
    "OrganisationFilterSet": _list_filter(OrganisationListView, "broker"),
    # A lead may ask for the team's follow-ups; a broker's page has only their own.
    "FollowUpFilterSet": _list_filter(FollowUpListView, "lead"),
    "FollowUpFilterSet (broker)": _list_filter(FollowUpListView, "broker"),
    "ReportPeriodFilterSet": _team_filter(
        evaluation_filters.ReportPeriodFilterSet, Activity, "lead"
    ),
    "ReflectiveEntryFilterSet": _list_filter(EntryListView, "evaluator"),
    "ReflectiveEntryFilterSet (broker)": _list_filter(EntryListView, "broker"),
    "ExcerptFilterSet": _excerpts,
    "ParticipantFilterSet": _participants,
    "SamplingFrameFilterSet": _team_filter(
        evaluation_filters.SamplingFrameFilterSet, Contact, "evaluator"
    ),
    "AccessRecordFilterSet": _access_log,
}


def test_every_filterset_is_fuzzed():
    """Every FilterSet of every app has a line in FILTERSETS."""
    declared = {
        name
        for module in project_modules("filters")
        for name, value in vars(module).items()
        if isinstance(value, type)
        and name.endswith("FilterSet")
        and value.__module__ == module.__name__
        and name != "TeamFilterSet"
    }
    assert declared - {name.split(" ")[0] for name in FILTERSETS} == set()


@pytest.mark.parametrize("name", list(FILTERSETS))
def test_a_filterset_answers_any_query_without_an_exception(world, name):
    build = FILTERSETS[name]
    outcomes = Counter()
    blank = build(world, None)

    @given(submission=form_data(blank.form))
    def check(submission):
        data, _ = submission
        with rolled_back():
            filterset = build(world, data)
            valid = filterset.is_valid()
            outcomes[valid] += 1
            if not valid:
                assert filterset.errors
            rows = filterset.qs
            assert rows.count() == len(list(rows[:100])) or rows.count() > 100
            str(filterset.form)  # the filter form shows again, with what was typed

    check()
    assert outcomes[False], "no example was refused"
