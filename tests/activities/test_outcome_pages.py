"""Outcome pages: the list and its filters, recording from an activity or a project,
the form's rules, the detail page, roles and isolation."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from freezegun import freeze_time

from activities.models import Category, Outcome
from tests import factories

pytestmark = pytest.mark.django_db


def url(name, team, *args):
    return reverse(f"activities:{name}", args=[team.slug, *args])


def descriptions(client, team, **params):
    """Descriptions of the rows the list shows for these query parameters, in order."""
    response = client.get(url("outcome_list", team), params)
    assert response.status_code == 200
    return [outcome.description for outcome in response.context["object_list"]]


def outcome(team, **fields):
    fields.setdefault("description", "An outcome")
    return factories.OutcomeFactory(team=team, **fields)


def form_data(**fields):
    data = {
        "activity": "",
        "project": "",
        "type": "connection_made",
        "capability_dimension": "",
        "date": "2025-06-10",
        "description": "The frailty lead met the falls researchers.",
        "evidence": "Email thanking us for the introduction.",
        "confidence": "high",
        "value_gbp": "",
        "version": 1,  # an edit form carries the version it was opened at
    }
    data.update(fields)
    return data


def assert_error_next_to(response, field, text):
    """The form came back with `text` under `field`, rendered beside it."""
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(text in message for message in errors.get(field, [])), errors
    assert f'id="error_1_id_{field}"' in response.content.decode()


# Filters, one each, with rows on both sides.


def test_it_filters_by_type(client_for, team, broker):
    outcome(team, description="Connection", type=Outcome.Type.CONNECTION_MADE)
    outcome(team, description="Bid", type=Outcome.Type.BID_SUBMITTED)

    assert descriptions(client_for(broker), team, type="bid_submitted") == ["Bid"]


def test_it_filters_by_capability_dimension(client_for, team, broker):
    capability = Outcome.Type.CAPABILITY_CHANGE
    outcome(team, description="Skills", type=capability, capability_dimension="skills")
    outcome(team, description="Knowledge", type=capability, capability_dimension="knowledge")
    outcome(team, description="Connection", type=Outcome.Type.CONNECTION_MADE)

    assert descriptions(client_for(broker), team, capability_dimension="skills") == ["Skills"]


def test_it_filters_by_confidence(client_for, team, broker):
    outcome(team, description="Sure", confidence="high")
    outcome(team, description="Unsure", confidence="low")

    assert descriptions(client_for(broker), team, confidence="high") == ["Sure"]


def test_it_filters_from_a_date_inclusive(client_for, team, broker):
    outcome(team, description="Before", date=datetime.date(2025, 5, 9))
    outcome(team, description="On the day", date=datetime.date(2025, 5, 10))

    assert descriptions(client_for(broker), team, date_from="2025-05-10") == ["On the day"]


def test_it_filters_to_a_date_inclusive(client_for, team, broker):
    outcome(team, description="On the day", date=datetime.date(2025, 5, 10))
    outcome(team, description="After", date=datetime.date(2025, 5, 11))

    assert descriptions(client_for(broker), team, date_to="2025-05-10") == ["On the day"]


def test_it_filters_by_project(client_for, team, broker):
    project = factories.ProjectFactory(team=team)
    outcome(team, description="Of the project", project=project)
    outcome(team, description="Of another project", project=factories.ProjectFactory(team=team))

    assert descriptions(client_for(broker), team, project=project.pk) == ["Of the project"]


def test_it_filters_by_the_category_of_the_activity(client_for, team, broker):
    seminar = factories.ActivityFactory(
        team=team, activity_type=factories.activity_type(team, "Seminar delivered")
    )
    assert seminar.category == Category.AWARENESS_RAISING
    introduction = factories.ActivityFactory(team=team)
    outcome(team, description="Of a seminar", activity=seminar)
    outcome(team, description="Of an introduction", activity=introduction)

    shown = descriptions(client_for(broker), team, category="awareness_raising")

    assert shown == ["Of a seminar"]


def test_it_searches_description_and_evidence(client_for, team, broker):
    outcome(team, description="Frailty pathway changed")
    outcome(team, description="Board decision", evidence="Minutes cite the frailty review")
    outcome(team, description="Maternity bid")

    shown = descriptions(client_for(broker), team, q="FRAILTY")

    assert sorted(shown) == ["Board decision", "Frailty pathway changed"]


def test_it_sorts_confidence_by_meaning_not_spelling(client_for, team, broker):
    outcome(team, description="Medium", confidence="medium")
    outcome(team, description="High", confidence="high")
    outcome(team, description="Low", confidence="low")
    client = client_for(broker)

    assert descriptions(client, team, o="confidence") == ["Low", "Medium", "High"]
    assert descriptions(client, team, o="-confidence") == ["High", "Medium", "Low"]


def test_it_sorts_by_type_in_the_order_of_the_types(client_for, team, broker):
    outcome(team, description="Output", type=Outcome.Type.OUTPUT)
    outcome(team, description="Connection", type=Outcome.Type.CONNECTION_MADE)
    outcome(team, description="Bid funded", type=Outcome.Type.BID_FUNDED)

    shown = descriptions(client_for(broker), team, o="type")

    assert shown == ["Connection", "Bid funded", "Output"]


def test_it_sorts_by_date(client_for, team, broker):
    outcome(team, description="Later", date=datetime.date(2025, 6, 1))
    outcome(team, description="Earlier", date=datetime.date(2025, 5, 1))

    assert descriptions(client_for(broker), team, o="date") == ["Earlier", "Later"]


# The list page


def test_the_list_shows_what_each_outcome_came_of(client_for, team, broker):
    activity = factories.ActivityFactory(team=team, title="Falls seminar")
    project = factories.ProjectFactory(team=team, title="Falls evaluation")
    outcome(
        team,
        activity=activity,
        project=project,
        type=Outcome.Type.CAPABILITY_CHANGE,
        capability_dimension="skills",
        value_gbp=Decimal("12500"),
    )

    page = client_for(broker).get(url("outcome_list", team)).content.decode()

    assert "Falls seminar" in page
    assert "Falls evaluation" in page
    assert "Capability change" in page and "Skills" in page
    assert "£12,500" in page


def test_a_filter_change_renders_only_the_table(client_for, team, broker):
    outcome(team, description="Shown")

    response = client_for(broker).get(url("outcome_list", team), headers={"HX-Request": "true"})

    assert [t.name for t in response.templates][0] == "activities/partials/outcome_table.html"
    assert "<html" not in response.content.decode()


def test_brokers_and_leads_see_the_add_button_and_evaluators_do_not(
    client_for, team, broker, lead, evaluator
):
    add = url("outcome_add", team)
    for user, shown in ((broker, True), (lead, True), (evaluator, False)):
        page = client_for(user).get(url("outcome_list", team)).content.decode()
        assert (f'href="{add}"' in page) is shown, user


def test_list_queries_stay_bounded(client_for, team, broker, django_assert_num_queries):
    for index in range(8):
        activity = factories.ActivityFactory(
            team=team, lead_broker=factories.BrokerFactory(team=team)
        )
        outcome(
            team,
            activity=activity,
            project=factories.ProjectFactory(team=team),
            description=f"Outcome {index}",
        ).contacts.add(factories.ContactFactory(team=team))
    client = client_for(broker)

    # session, user, membership (team access), the project filter's choices,
    # count of outcomes, the page of outcomes with their activity and project
    with django_assert_num_queries(6):
        response = client.get(url("outcome_list", team))
    assert len(response.context["object_list"]) == 8


# Recording an outcome


@freeze_time("2025-06-15")
def test_it_records_an_outcome_and_shows_it(client_for, team, broker):
    activity = factories.ActivityFactory(team=team)
    contact = factories.ContactFactory(team=team)
    client = client_for(broker)

    response = client.post(
        url("outcome_add", team),
        form_data(activity=activity.pk, contacts=[contact.pk], value_gbp="250.50"),
    )

    saved = Outcome.objects.get()
    assert response.status_code == 302
    assert response.url == url("outcome_detail", team, saved.pk)
    assert saved.team == team
    assert saved.activity == activity
    assert saved.confidence == "high"
    assert saved.value_gbp == Decimal("250.50")
    assert list(saved.contacts.all()) == [contact]
    assert saved.created_by == broker


@freeze_time("2025-06-15")
def test_the_new_form_defaults_to_today_and_medium_confidence(client_for, team, broker):
    form = client_for(broker).get(url("outcome_add", team)).context["form"]

    assert form["date"].value() == datetime.date(2025, 6, 15)
    assert form["confidence"].value() == "medium"


def test_it_presets_the_activity_and_returns_to_it(client_for, team, broker):
    activity = factories.ActivityFactory(team=team, title="Falls seminar")
    factories.ActivityFactory(team=team, title="Another activity")
    add = url("outcome_add", team) + f"?activity={activity.pk}"
    client = client_for(broker)

    form = client.get(add).context["form"]
    assert form["activity"].value() == activity.pk
    offered = [value for value, _label in form.fields["activity"].choices if value]
    assert offered == [activity.pk]

    response = client.post(add, form_data(activity=activity.pk))

    assert response.status_code == 302
    assert response.url == url("activity_detail", team, activity.pk)
    assert Outcome.objects.get().activity == activity


def test_it_presets_the_project_and_returns_to_it(client_for, team, broker):
    project = factories.ProjectFactory(team=team)
    add = url("outcome_add", team) + f"?project={project.pk}"
    client = client_for(broker)

    assert client.get(add).context["form"]["project"].value() == project.pk

    response = client.post(add, form_data(project=project.pk))

    assert response.status_code == 302
    assert response.url == url("project_detail", team, project.pk)
    assert Outcome.objects.get().project == project


def test_it_refuses_to_preset_another_teams_activity_or_project(
    client_for, team, other_team, broker
):
    activity = factories.ActivityFactory(team=other_team)
    project = factories.ProjectFactory(team=other_team)
    client = client_for(broker)

    assert client.get(url("outcome_add", team) + f"?activity={activity.pk}").status_code == 404
    assert client.get(url("outcome_add", team) + f"?project={project.pk}").status_code == 404


@freeze_time("2025-06-15")
def test_it_offers_the_last_twelve_months_of_activities_newest_first(client_for, team, broker):
    old = factories.ActivityFactory(team=team, date=datetime.date(2024, 6, 1))
    older_recent = factories.ActivityFactory(team=team, date=datetime.date(2024, 7, 1))
    newest = factories.ActivityFactory(team=team, date=datetime.date(2025, 6, 1))
    factories.ActivityFactory(team=factories.TeamFactory(), date=datetime.date(2025, 6, 2))

    form = client_for(broker).get(url("outcome_add", team)).context["form"]

    offered = [value for value, _label in form.fields["activity"].choices if value]
    assert offered == [newest.pk, older_recent.pk]
    assert old.pk not in offered


@freeze_time("2025-06-15")
def test_editing_offers_the_outcomes_own_activity_even_when_old(client_for, team, broker):
    old = factories.ActivityFactory(team=team, date=datetime.date(2023, 1, 5))
    recent = factories.ActivityFactory(team=team, date=datetime.date(2025, 6, 1))
    existing = outcome(team, activity=old)

    form = client_for(broker).get(url("outcome_edit", team, existing.pk)).context["form"]

    offered = [value for value, _label in form.fields["activity"].choices if value]
    assert offered == [recent.pk, old.pk]
    assert form["activity"].value() == old.pk


def test_it_accepts_a_posted_activity_older_than_the_offered_ones(client_for, team, broker):
    old = factories.ActivityFactory(team=team, date=datetime.date(2020, 1, 5))

    response = client_for(broker).post(url("outcome_add", team), form_data(activity=old.pk))

    assert response.status_code == 302
    assert Outcome.objects.get().activity == old


def test_a_capability_change_needs_a_dimension(client_for, team, broker):
    activity = factories.ActivityFactory(team=team)

    response = client_for(broker).post(
        url("outcome_add", team), form_data(activity=activity.pk, type="capability_change")
    )

    assert_error_next_to(response, "capability_dimension", "Choose what changed")
    assert not Outcome.objects.exists()


def test_only_a_capability_change_has_a_dimension(client_for, team, broker):
    activity = factories.ActivityFactory(team=team)

    response = client_for(broker).post(
        url("outcome_add", team),
        form_data(activity=activity.pk, type="output", capability_dimension="skills"),
    )

    assert_error_next_to(response, "capability_dimension", "only a capability change")
    assert not Outcome.objects.exists()


def test_a_capability_change_with_its_dimension_is_saved(client_for, team, broker):
    activity = factories.ActivityFactory(team=team)

    client_for(broker).post(
        url("outcome_add", team),
        form_data(activity=activity.pk, type="capability_change", capability_dimension="attitude"),
    )

    assert Outcome.objects.get().capability_dimension == "attitude"


def test_an_outcome_needs_an_activity_or_a_project(client_for, team, broker):
    response = client_for(broker).post(url("outcome_add", team), form_data())

    assert_error_next_to(response, "activity", "Link the outcome to an activity, a project")
    assert_error_next_to(response, "project", "Link the outcome to an activity, a project")
    assert not Outcome.objects.exists()


def test_the_value_cannot_be_negative(client_for, team, broker):
    activity = factories.ActivityFactory(team=team)

    response = client_for(broker).post(
        url("outcome_add", team), form_data(activity=activity.pk, value_gbp="-5")
    )

    assert_error_next_to(response, "value_gbp", "cannot be negative")
    assert not Outcome.objects.exists()


@pytest.mark.parametrize("field", ["activity", "project", "contacts"])
def test_it_refuses_another_teams_records(client_for, team, other_team, broker, field):
    own_activity = factories.ActivityFactory(team=team)
    foreign = {
        "activity": lambda: factories.ActivityFactory(team=other_team),
        "project": lambda: factories.ProjectFactory(team=other_team),
        "contacts": lambda: factories.ContactFactory(team=other_team),
    }[field]()
    data = form_data(activity=own_activity.pk)
    data[field] = [foreign.pk] if field == "contacts" else foreign.pk

    response = client_for(broker).post(url("outcome_add", team), data)

    assert_error_next_to(response, field, "Select a valid choice")
    assert not Outcome.objects.exists()


def test_a_broker_edits_any_outcome_of_the_team(client_for, team, broker, lead):
    existing = outcome(
        team,
        activity=factories.ActivityFactory(team=team, lead_broker=lead.broker_profile),
        created_by=lead,
    )
    data = form_data(activity=existing.activity_id, description="Now with evidence")

    response = client_for(broker).post(url("outcome_edit", team, existing.pk), data)

    assert response.status_code == 302
    assert response.url == url("outcome_detail", team, existing.pk)
    existing.refresh_from_db()
    assert existing.description == "Now with evidence"
    assert existing.created_by == lead


# The detail page


def test_detail_shows_the_outcome_links_and_history(client_for, team, broker):
    activity = factories.ActivityFactory(team=team, title="Falls seminar")
    project = factories.ProjectFactory(team=team, title="Falls evaluation")
    client = client_for(broker)
    client.post(
        url("outcome_add", team),
        form_data(activity=activity.pk, project=project.pk, evidence="Minutes of 3 June"),
    )
    saved = Outcome.objects.get()
    client.post(
        url("outcome_edit", team, saved.pk),
        form_data(activity=activity.pk, project=project.pk, evidence="Minutes of 4 June"),
    )

    response = client.get(url("outcome_detail", team, saved.pk))

    page = response.content.decode()
    assert url("activity_detail", team, activity.pk) in page
    assert url("project_detail", team, project.pk) in page
    assert "Minutes of 4 June" in page
    assert [entry.action for entry in response.context["history"]] == ["changed", "created"]
    assert "Minutes of 3 June" in page  # the old value, in the history


def test_evaluators_see_contacts_as_pseudonyms(client_for, team, evaluator):
    contact = factories.ContactFactory(team=team, name="Dr Ada Lovelace")
    existing = outcome(team)
    existing.contacts.add(contact)

    page = client_for(evaluator).get(url("outcome_detail", team, existing.pk)).content.decode()

    assert "Lovelace" not in page
    assert contact.pseudonym in page


def test_detail_queries_stay_bounded(client_for, team, broker, django_assert_max_num_queries):
    existing = outcome(team, project=factories.ProjectFactory(team=team), created_by=broker)
    contacts = [
        factories.ContactFactory(
            team=team, organisation=factories.OrganisationFactory(name=f"Trust {index}")
        )
        for index in range(6)
    ]
    existing.contacts.set(contacts)  # one history record for the six
    client = client_for(broker)

    # session, user, membership (team access), the outcome with activity, project and
    # creator, its contacts with their organisations, its history with users, the contacts
    # of each of the two history records (django-simple-history's diff reads them one record
    # at a time), the labels of the contacts named in the history
    with django_assert_max_num_queries(9):
        response = client.get(url("outcome_detail", team, existing.pk))
    assert response.status_code == 200


# Roles and isolation


def test_evaluators_read_but_cannot_add_or_edit(client_for, team, evaluator):
    existing = outcome(team)
    client = client_for(evaluator)

    assert client.get(url("outcome_list", team)).status_code == 200
    assert client.get(url("outcome_detail", team, existing.pk)).status_code == 200
    assert client.get(url("outcome_add", team)).status_code == 403
    assert client.post(url("outcome_add", team), form_data(project="")).status_code == 403
    assert client.get(url("outcome_edit", team, existing.pk)).status_code == 403
    assert client.post(url("outcome_edit", team, existing.pk), form_data()).status_code == 403
    assert Outcome.objects.get().description == existing.description


def test_leads_add_outcomes(client_for, team, lead):
    activity = factories.ActivityFactory(team=team)

    response = client_for(lead).post(url("outcome_add", team), form_data(activity=activity.pk))

    assert response.status_code == 302
    assert Outcome.objects.count() == 1


@pytest.mark.parametrize("name", ["outcome_list", "outcome_add"])
def test_another_teams_member_gets_404(client_for, team, other_broker, name):
    assert client_for(other_broker).get(url(name, team)).status_code == 404


@pytest.mark.parametrize("name", ["outcome_detail", "outcome_edit"])
def test_another_teams_outcome_is_404(client_for, team, other_team, broker, name):
    foreign = outcome(other_team)

    assert client_for(broker).get(url(name, team, foreign.pk)).status_code == 404


def test_the_list_hides_other_teams_outcomes(client_for, team, other_team, broker):
    outcome(team, description="Ours")
    outcome(other_team, description="Theirs")

    assert descriptions(client_for(broker), team) == ["Ours"]
