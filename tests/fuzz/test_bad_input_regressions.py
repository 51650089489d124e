"""The inputs that once gave a server error, each kept as a plain test: the property
tests may not draw them again on another database or after their strategies change."""

import pytest
from django.urls import reverse

from activities.filters import ActivityFilterSet
from activities.forms import ActivityForm, ContactForm, OutcomeForm
from activities.models import Activity
from evaluations.models import Participant
from kmtracker.lib.inputs import as_id
from teams.tenancy import team_access
from tests import factories

pytestmark = pytest.mark.django_db

TOO_LARGE = str(2**63)  # one more than the largest id a database column holds


def test_an_id_too_large_for_the_database_is_not_a_choice(team, broker):
    access = team_access(broker, team.slug)
    form = ActivityForm({"organisations": [TOO_LARGE]}, access=access)

    assert not form.is_valid()
    assert "organisations" in form.errors


def test_ten_thousand_digits_are_not_an_activity(team, broker, lead):
    outcome = factories.OutcomeFactory(
        team=team, activity=factories.ActivityFactory(team=team, lead_broker=broker.broker_profile)
    )
    form = OutcomeForm(
        {"activity": "0" * 10_000, "version": "1" * 10_000},
        instance=outcome,
        access=team_access(lead, team.slug),
    )

    assert not form.is_valid()
    assert "activity" in form.errors


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", 12), ("²", None), ("٣", None), ("1" * 19, None), ("", None), (" 1", None)],
)
def test_an_id_is_a_few_ascii_digits(text, expected):
    assert as_id(text) == expected


def test_a_participant_code_of_odd_digits_leaves_the_next_code_alone(team):
    study = factories.StudyFactory(team=team)
    # "P" and eleven nines fills the code's column: one more would not fit in it.
    for code in ("P²", "P" + "9" * 11, "P07"):
        factories.ParticipantFactory(study=study, code=code)

    assert Participant.next_code(study) == "P08"


def test_a_search_of_thousands_of_words_is_answered(rf, team, broker):
    access = team_access(broker, team.slug)
    request = rf.get("/")
    request.user, request.team_access = broker, access
    words = " ".join(f"w{number}" for number in range(5_000))

    filterset = ActivityFilterSet({"q": words}, queryset=access.scoped(Activity), request=request)

    assert filterset.is_valid()
    assert list(filterset.qs) == []


@pytest.mark.parametrize("text", ["Ada\x00Lovelace", "Ada\x07Lovelace", "Ada\x1bLovelace"])
def test_control_characters_are_refused_beside_the_field(team, broker, text):
    form = ContactForm(
        {"name": text, "community": "research"}, access=team_access(broker, team.slug)
    )

    assert not form.is_valid()
    assert list(form.errors) == ["name"]


@pytest.mark.parametrize(
    ("url_name", "query"),
    [
        ("activities:activity_add", "?similar=²"),
        ("activities:activity_add", "?similar=" + "9" * 5_000),
        ("activities:outcome_add", "?activity=٣&project=" + TOO_LARGE),
        ("activities:activity_list", "?organisation=" + TOO_LARGE),
        ("activities:activity_list", "?conduit=a%00b&contact=" + TOO_LARGE),
        ("activities:activity_list", "?q=a%00b"),
        ("activities:contact_search", "?q=a%00b"),
        ("activities:organisation_search", "?q=a%00b"),
        ("activities:broker_search", "?q=a%00b"),
        ("activities:topic_search", "?q=a%00b"),
        ("activities:project_search", "?q=a%00b"),
    ],
)
def test_tampered_query_strings_are_answered(client_for, team, broker, url_name, query):
    client = client_for(broker)

    response = client.get(reverse(url_name, kwargs={"team": team.slug}) + query)

    assert response.status_code == 200
