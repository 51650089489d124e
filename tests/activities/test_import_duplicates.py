"""Imports resolve contacts through the one matcher: a row that could be several contacts
shows them in the preview, the person chooses there, and the choice applies on confirm."""

import pytest

from activities.models import Activity, Contact
from tests import factories
from tests.activities.imports import confirm, csv_bytes, import_url, preview
from tests.activities.test_activity_import import HEADER, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def brennans(team, broker, lead):
    """Two contacts called the same, and the rest an activity row names."""
    uob = factories.OrganisationFactory(name="University of Bristol")
    icb = factories.OrganisationFactory(name="Bristol ICB")
    factories.ProjectFactory(team=team, title="Frailty evaluation")
    return [
        factories.ContactFactory(team=team, name="Ayesha Brennan", organisation=uob),
        factories.ContactFactory(team=team, name="Ayesha Brennan", organisation=icb),
    ]


def choices_of(response):
    return [choice for result in response.context["preview"].results for choice in result.choices]


def activity_file(contacts):
    return csv_bytes(HEADER, [row(contacts=contacts)])


def test_an_ambiguous_name_is_a_question_not_a_refused_file(client_for, broker, team, brennans):
    client = client_for(broker)
    response, token = preview(client, team, "activities", activity_file("Ayesha Brennan"))
    preview_ = response.context["preview"]
    assert preview_.with_errors == 0 and preview_.can_confirm and not preview_.can_import
    [choice] = choices_of(response)
    assert [value for value, _label in choice.options] == [str(c.pk) for c in brennans]
    assert "Bristol ICB" in choice.options[1][1]
    assert b"Which contact is" in response.content


def test_the_choice_made_in_the_preview_applies_on_confirm(client_for, broker, team, brennans):
    client = client_for(broker)
    response, token = preview(client, team, "activities", activity_file("Ayesha Brennan"))
    [choice] = choices_of(response)
    mapping = list(HEADER)
    data = {choice.name: str(brennans[1].pk)}
    answered = client.post(
        import_url(team, "activities"),
        {"upload": token, "confirm": "1", **{f"map-{i}": n for i, n in enumerate(mapping)}, **data},
    )
    assert answered.status_code == 302
    assert list(Activity.objects.get().contacts.all()) == [brennans[1]]


def test_confirming_without_choosing_saves_nothing_and_asks_again(
    client_for, broker, team, brennans
):
    client = client_for(broker)
    _response, token = preview(client, team, "activities", activity_file("Ayesha Brennan"))
    again = confirm(client, team, "activities", token, HEADER)
    assert again.status_code == 200
    assert again.context["preview"].unanswered
    assert Activity.objects.count() == 0


def test_a_name_written_differently_is_offered_its_likely_contact(
    client_for, broker, team, brennans
):
    client = client_for(broker)
    response, _token = preview(client, team, "activities", activity_file("Dr A. Brennan"))
    [choice] = choices_of(response)
    assert {int(value) for value, _label in choice.options} == {c.pk for c in brennans}


def test_a_unique_name_needs_no_question(client_for, broker, team, brennans):
    factories.ContactFactory(team=team, name="Ada Lovelace")
    client = client_for(broker)
    response, _token = preview(client, team, "activities", activity_file("Ada Lovelace"))
    assert choices_of(response) == [] and response.context["preview"].can_import


CONTACT_HEADER = ["name", "organisation", "community", "email", "phone"]


def test_a_contact_row_like_a_known_contact_asks_and_adds_by_default(
    client_for, broker, team, brennans
):
    content = csv_bytes(CONTACT_HEADER, [["Dr Ayesha Brennan", "", "research", "", ""]])
    client = client_for(broker)
    response, token = preview(client, team, "contacts", content)
    [choice] = choices_of(response)
    assert choice.chosen == "new"
    assert [value for value, _label in choice.options] == ["new", *(str(c.pk) for c in brennans)]
    assert confirm(client, team, "contacts", token, CONTACT_HEADER).status_code == 302
    assert Contact.objects.filter(name="Dr Ayesha Brennan").count() == 1


def test_a_contact_row_said_to_be_a_known_contact_is_skipped(client_for, broker, team, brennans):
    content = csv_bytes(
        CONTACT_HEADER,
        [
            ["Dr Ayesha Brennan", "", "research", "", ""],
            ["Someone New", "", "research", "", ""],
        ],
    )
    client = client_for(broker)
    response, token = preview(client, team, "contacts", content)
    [choice] = choices_of(response)
    data = {f"map-{i}": n for i, n in enumerate(CONTACT_HEADER)}
    answer = {choice.name: str(brennans[0].pk)}
    done = client.post(
        import_url(team, "contacts"), {"upload": token, "confirm": "1", **data, **answer}
    )
    assert done.status_code == 302
    assert Contact.objects.filter(name="Dr Ayesha Brennan").count() == 0
    assert Contact.objects.filter(name="Someone New").count() == 1
