"""Logging, changing and deleting activities; the contact dialog and the search endpoints."""

import datetime
import json

import pytest
from django.urls import reverse
from freezegun import freeze_time

from activities.codes import CONDUIT_HELP
from activities.models import Activity, Category, Conduit, Contact, Setting, Topic
from tests import factories

pytestmark = pytest.mark.django_db


def url(name, team, **kwargs):
    return reverse(f"activities:{name}", kwargs={"team": team.slug, **kwargs})


def form_data(team, lead_broker, /, **changes):
    """A valid activity form submission; `changes` replace or (with None) drop fields."""
    data = {
        "date": "2025-05-12",
        "activity_type": factories.activity_type(team).pk,
        "category": "",
        "title": "Introduced a frailty researcher to the ICB",
        "lead_broker": lead_broker.pk,
        "duration_minutes": "45",
        "setting": Setting.COMMISSIONING,
        "direction": "research_informed_commissioning",
        "topics_text": "",
        "description": "Coffee and a follow-up email.",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def assert_error_beside(response, field, text=""):
    """The form shows an error under `field` (crispy renders it inside the field's block)."""
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert text in " ".join(form.errors[field])
    content = response.content.decode()
    block = content[content.index(f'id="div_id_{field}"') :]
    block = block[: block.index('id="div_id_', 1)] if 'id="div_id_' in block[1:] else block
    assert f'id="error_1_id_{field}"' in block


def activity_of(team, user, **fields):
    return factories.ActivityFactory(team=team, lead_broker=user.broker_profile, **fields)


# Logging an activity.


@freeze_time("2025-05-15")
def test_the_form_starts_with_today_and_the_user_as_lead_broker(client_for, team, broker, lead):
    response = client_for(broker).get(url("activity_add", team))

    form = response.context["form"]
    assert response.status_code == 200
    assert form["date"].value() == datetime.date(2025, 5, 15)
    assert form["lead_broker"].value() == broker.broker_profile.pk
    assert 'value="2025-05-15"' in response.content.decode()


@freeze_time("2025-05-15 10:00")
def test_it_logs_an_activity_and_derives_the_category_from_the_type(client_for, team, broker):
    seminar = factories.activity_type(team, "Seminar delivered")
    governance = Conduit.objects.get(code="governance")
    contact = factories.ContactFactory(team=team)
    organisation = factories.OrganisationFactory(name="Bristol ICB")

    response = client_for(broker).post(
        url("activity_add", team),
        form_data(
            team,
            broker.broker_profile,
            activity_type=seminar.pk,
            contacts=[contact.pk],
            organisations=[organisation.pk],
            conduits=[governance.pk],
            attendees="30",
        ),
    )

    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == activity.get_absolute_url()
    assert activity.team == team
    assert activity.category == Category.AWARENESS_RAISING
    assert activity.activity_type == seminar
    assert activity.lead_broker == broker.broker_profile
    assert activity.created_by == broker
    assert activity.date == datetime.date(2025, 5, 12)
    assert (activity.duration_minutes, activity.attendees) == (45, 30)
    assert list(activity.contacts.all()) == [contact]
    assert list(activity.organisations.all()) == [organisation]
    assert list(activity.conduits.all()) == [governance]


def test_it_accepts_a_category_that_matches_the_type(client_for, team, broker):
    response = client_for(broker).post(
        url("activity_add", team),
        form_data(team, broker.broker_profile, category=Category.RELATIONSHIP_BUILDING),
    )

    assert response.status_code == 302
    assert Activity.objects.get().category == Category.RELATIONSHIP_BUILDING


def test_it_refuses_a_category_that_does_not_match_the_type(client_for, team, broker):
    response = client_for(broker).post(
        url("activity_add", team),
        form_data(team, broker.broker_profile, category=Category.AWARENESS_RAISING),
    )

    assert response.status_code == 200
    assert_error_beside(response, "activity_type", "is a type of relationship building")
    assert "category" not in response.context["form"].errors
    assert not Activity.objects.exists()


def test_it_shows_missing_fields_beside_them_and_saves_nothing(client_for, team, broker):
    response = client_for(broker).post(
        url("activity_add", team),
        form_data(team, broker.broker_profile, title="", date="", activity_type=""),
    )

    assert response.status_code == 200
    for field in ("title", "date", "activity_type"):
        assert_error_beside(response, field, "This field is required.")
    assert "nothing has been saved yet" in response.content.decode()
    assert not Activity.objects.exists()
    assert not Topic.objects.exists()


@pytest.mark.parametrize("field", ["duration_minutes", "attendees"])
def test_it_refuses_negative_numbers(client_for, team, broker, field):
    response = client_for(broker).post(
        url("activity_add", team), form_data(team, broker.broker_profile, **{field: "-5"})
    )

    assert response.status_code == 200
    assert_error_beside(response, field, "greater than or equal to 0")
    assert not Activity.objects.exists()


@pytest.mark.parametrize("field", ["contacts", "co_brokers", "lead_broker", "project", "type"])
def test_it_refuses_records_of_another_team(client_for, team, broker, other_broker, field):
    other_team = other_broker.broker_profile.team
    theirs = {
        "contacts": ("contacts", [factories.ContactFactory(team=other_team).pk]),
        "co_brokers": ("co_brokers", [other_broker.broker_profile.pk]),
        "lead_broker": ("lead_broker", other_broker.broker_profile.pk),
        "project": ("project", factories.ProjectFactory(team=other_team).pk),
        "type": ("activity_type", factories.activity_type(other_team).pk),
    }
    name, value = theirs[field]

    response = client_for(broker).post(
        url("activity_add", team), form_data(team, broker.broker_profile, **{name: value})
    )

    assert response.status_code == 200
    assert_error_beside(response, name, "valid choice")
    assert not Activity.objects.exists()


def test_it_makes_topics_from_text_without_duplicates(
    client_for, team, broker, other_team, other_broker
):
    existing = Topic.objects.create(team=team, name="FRAILTY")
    Topic.objects.create(team=other_team, name="Maternity")

    client_for(broker).post(
        url("activity_add", team),
        form_data(team, broker.broker_profile, topics_text="Frailty, frailty, maternity, ,"),
    )

    activity = Activity.objects.get()
    assert sorted(topic.name for topic in activity.topics.all()) == ["FRAILTY", "maternity"]
    assert existing in activity.topics.all()
    assert Topic.objects.filter(team=team).count() == 2
    assert Topic.objects.filter(team=other_team).count() == 1


@freeze_time("2025-05-15")
def test_log_a_similar_one_copies_everything_but_date_and_description(client_for, team, broker):
    colleague = factories.BrokerFactory(team=team)
    contacts = [factories.ContactFactory(team=team) for _ in range(2)]
    organisation = factories.OrganisationFactory(name="Bristol ICB")
    conduit = Conduit.objects.get(code="interpersonal")
    project = factories.ProjectFactory(team=team)
    topic = Topic.objects.create(team=team, name="Frailty")
    original = activity_of(
        team,
        broker,
        activity_type=factories.activity_type(team, "Seminar delivered"),
        title="Frailty seminar",
        description="Only about this one",
        date=datetime.date(2025, 1, 8),
        duration_minutes=90,
        setting=Setting.ACADEMIC,
        direction="both",
        attendees=25,
        follow_up_date=datetime.date(2025, 2, 1),
        project=project,
        co_brokers=[colleague],
        contacts=contacts,
        organisations=[organisation],
        conduits=[conduit],
        topics=[topic],
    )

    response = client_for(broker).get(url("activity_add", team), {"similar": original.pk})

    form = response.context["form"]
    values = {name: form[name].value() for name in form.fields}
    assert values["date"] == datetime.date(2025, 5, 15)
    assert not values["description"]
    assert not values["follow_up_date"]
    assert values["title"] == "Frailty seminar"
    assert values["activity_type"] == original.activity_type_id
    assert values["category"] == Category.AWARENESS_RAISING
    assert values["lead_broker"] == broker.broker_profile.pk
    assert values["co_brokers"] == [colleague.pk]
    assert sorted(values["contacts"]) == sorted(contact.pk for contact in contacts)
    assert values["organisations"] == [organisation.pk]
    assert values["conduits"] == ["interpersonal"]
    assert values["topics_text"] == "Frailty"
    assert (values["duration_minutes"], values["attendees"]) == (90, 25)
    assert (values["setting"], values["direction"]) == (Setting.ACADEMIC, "both")
    assert values["project"] == project.pk


def test_log_a_similar_one_of_another_team_is_not_found(client_for, team, broker, other_broker):
    theirs = activity_of(other_broker.broker_profile.team, other_broker)

    response = client_for(broker).get(url("activity_add", team), {"similar": theirs.pk})

    assert response.status_code == 404


def test_a_broker_may_not_log_work_they_take_no_part_in(client_for, team, broker, lead):
    client = client_for(broker)

    refused = client.post(url("activity_add", team), form_data(team, lead.broker_profile))
    assert_error_beside(refused, "lead_broker", "only work you lead or co-broker")
    assert not Activity.objects.exists()

    accepted = client.post(
        url("activity_add", team),
        form_data(team, lead.broker_profile, co_brokers=[broker.broker_profile.pk]),
    )
    assert accepted.status_code == 302
    assert list(Activity.objects.get().co_brokers.all()) == [broker.broker_profile]


def test_the_team_lead_may_log_work_led_by_a_broker(client_for, team, broker, lead):
    response = client_for(lead).post(
        url("activity_add", team), form_data(team, broker.broker_profile)
    )

    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.lead_broker == broker.broker_profile
    assert activity.created_by == lead


def test_the_lead_broker_is_not_also_a_co_broker(client_for, team, broker, lead):
    client_for(broker).post(
        url("activity_add", team),
        form_data(
            team,
            broker.broker_profile,
            co_brokers=[broker.broker_profile.pk, lead.broker_profile.pk],
        ),
    )

    assert list(Activity.objects.get().co_brokers.all()) == [lead.broker_profile]


def test_evaluators_cannot_log_activities(client_for, team, broker, evaluator):
    client = client_for(evaluator)

    assert client.get(url("activity_add", team)).status_code == 403
    response = client.post(url("activity_add", team), form_data(team, broker.broker_profile))
    assert response.status_code == 403
    assert not Activity.objects.exists()


# Changing and deleting.


@pytest.fixture
def shared_activity(team, broker, lead):
    """An activity led by a broker of the team, co-brokered by a colleague."""
    colleague = factories.BrokerFactory(team=team, user=factories.UserFactory(username="colleague"))
    activity = activity_of(team, broker, title="Frailty network", co_brokers=[colleague])
    activity.colleague = colleague.user
    return activity


def edit_data(activity, **changes):
    """The edit form as the activity fills it, with `changes`."""
    current = {
        "title": activity.title,
        "date": activity.date.isoformat(),
        "co_brokers": [co.pk for co in activity.co_brokers.all()],
        "version": activity.version,  # the version the edit page was opened at
    }
    return form_data(activity.team, activity.lead_broker, **{**current, **changes})


@pytest.mark.parametrize("editor", ["lead_broker", "co_broker", "team_lead"])
def test_those_involved_and_the_team_lead_may_edit(client_for, team, lead, shared_activity, editor):
    user = {
        "lead_broker": shared_activity.lead_broker.user,
        "co_broker": shared_activity.colleague,
        "team_lead": lead,
    }[editor]
    client = client_for(user)
    edit_url = url("activity_edit", team, pk=shared_activity.pk)

    assert client.get(edit_url).status_code == 200
    response = client.post(edit_url, edit_data(shared_activity, title="Frailty network, renamed"))

    assert response.status_code == 302
    shared_activity.refresh_from_db()
    assert shared_activity.title == "Frailty network, renamed"


def test_an_activity_without_a_direction_keeps_it_not_recorded_when_edited(
    client_for, team, lead, shared_activity
):
    shared_activity.direction = ""  # as an import leaves a blank cell
    shared_activity.save()
    client = client_for(lead)
    edit_url = url("activity_edit", team, pk=shared_activity.pk)

    assert (
        '<option value="not_recorded" selected>Not recorded</option>'
        in client.get(edit_url).content.decode()
    )
    response = client.post(
        edit_url, edit_data(shared_activity, direction="not_recorded", title="Renamed")
    )

    assert response.status_code == 302
    shared_activity.refresh_from_db()
    assert (shared_activity.title, shared_activity.direction) == ("Renamed", "")


def test_a_new_activity_has_no_direction_until_one_is_chosen(client_for, team, broker):
    client = client_for(broker)
    form = client.get(url("activity_add", team)).context["form"]

    assert form["direction"].value() == ""
    response = client.post(
        url("activity_add", team), form_data(team, broker.broker_profile, direction="")
    )

    assert response.status_code == 200
    assert "Choose a direction" in response.context["form"].errors["direction"][0]
    assert not Activity.objects.filter(team=team).exists()


def test_not_recorded_is_a_deliberate_choice_kept_as_blank(client_for, team, broker):
    response = client_for(broker).post(
        url("activity_add", team), form_data(team, broker.broker_profile, direction="not_recorded")
    )

    assert response.status_code == 302
    assert Activity.objects.get(team=team).direction == ""


def test_each_conduit_has_its_one_line_explanation(client_for, team, broker):
    page = client_for(broker).get(url("activity_add", team)).content.decode()

    assert "Interpersonal relationships" in page
    for line in CONDUIT_HELP.values():
        assert line in page


def test_the_edit_form_shows_the_saved_topics(client_for, team, broker):
    activity = activity_of(
        team,
        broker,
        topics=[
            Topic.objects.create(team=team, name="Frailty"),
            Topic.objects.create(team=team, name="Urgent care"),
        ],
    )

    response = client_for(broker).get(url("activity_edit", team, pk=activity.pk))

    assert response.context["form"]["topics_text"].value() == "Frailty, Urgent care"


@pytest.mark.parametrize("persona", ["other_broker_of_team", "evaluator"])
def test_others_of_the_team_may_not_edit(client_for, team, evaluator, shared_activity, persona):
    user = evaluator
    if persona == "other_broker_of_team":
        user = factories.BrokerFactory(team=team).user
    client = client_for(user)
    edit_url = url("activity_edit", team, pk=shared_activity.pk)

    assert client.get(edit_url).status_code == 403
    response = client.post(edit_url, edit_data(shared_activity, title="Hijacked"))

    assert response.status_code == 403
    shared_activity.refresh_from_db()
    assert shared_activity.title == "Frailty network"


def test_a_broker_of_another_team_gets_not_found_on_edit(
    client_for, team, other_broker, shared_activity
):
    response = client_for(other_broker).get(url("activity_edit", team, pk=shared_activity.pk))

    assert response.status_code == 404


@pytest.mark.parametrize("deleter", ["lead_broker", "co_broker", "team_lead"])
def test_those_who_may_edit_may_delete_after_confirming(
    client_for, team, lead, shared_activity, deleter
):
    user = {
        "lead_broker": shared_activity.lead_broker.user,
        "co_broker": shared_activity.colleague,
        "team_lead": lead,
    }[deleter]
    factories.OutcomeFactory(team=team, activity=shared_activity)
    client = client_for(user)
    delete_url = url("activity_delete", team, pk=shared_activity.pk)

    confirm = client.get(delete_url)
    assert confirm.status_code == 200
    assert "Delete this activity?" in confirm.content.decode()
    assert Activity.objects.filter(pk=shared_activity.pk).exists()

    response = client.post(delete_url)
    assert response.status_code == 302
    assert response["Location"] == url("activity_list", team)
    assert not Activity.objects.filter(pk=shared_activity.pk).exists()
    assert not factories.models.Outcome.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("other_broker_of_team", 403), ("evaluator", 403), ("other_team", 404)],
)
def test_others_may_not_delete(
    client_for, team, evaluator, other_broker, shared_activity, persona, status
):
    user = {"evaluator": evaluator, "other_team": other_broker}.get(persona)
    if persona == "other_broker_of_team":
        user = factories.BrokerFactory(team=team).user
    client = client_for(user)
    delete_url = url("activity_delete", team, pk=shared_activity.pk)

    assert client.get(delete_url).status_code == status
    assert client.post(delete_url).status_code == status
    assert Activity.objects.filter(pk=shared_activity.pk).exists()


# The "New contact" dialog.


def quick_add(client, team, **fields):
    data = {f"contact-{name}": value for name, value in fields.items()}
    return client.post(url("contact_quick_add", team), data)


def test_it_adds_a_contact_from_the_dialog(client_for, team, broker):
    organisation = factories.OrganisationFactory(name="Bristol ICB")

    response = quick_add(
        client_for(broker),
        team,
        name="  Dr   Ann  Archer ",
        community="commissioning",
        organisation=organisation.pk,
        job_title="Head of frailty commissioning",
        email="Ann.Archer@NHS.net ",
    )

    contact = Contact.objects.get()
    assert response.status_code == 201
    answer = response.json()
    assert answer.pop("submission")  # the token of the dialog's next contact
    assert answer == {"value": contact.pk, "text": "Dr Ann Archer (Bristol ICB)"}
    assert (contact.team, contact.name, contact.email) == (
        team,
        "Dr Ann Archer",
        "ann.archer@nhs.net",
    )
    assert contact.organisation == organisation


def test_the_dialog_answers_field_errors_and_saves_nothing(client_for, team, broker):
    response = quick_add(client_for(broker), team, name="", community="astrology", email="nope")

    errors = response.json()["errors"]
    assert response.status_code == 400
    assert set(errors) == {"name", "community", "email"}
    assert errors["name"][0]["code"] == "required"
    assert not Contact.objects.exists()


def test_the_dialog_refuses_an_email_the_team_already_has(client_for, team, broker, other_team):
    factories.ContactFactory(team=team, email="ann@nhs.net")
    factories.ContactFactory(team=other_team, email="bob@nhs.net")
    client = client_for(broker)

    duplicate = quick_add(client, team, name="Ann Again", community="research", email="ANN@nhs.net")
    elsewhere = quick_add(client, team, name="Bob Here", community="research", email="bob@nhs.net")

    assert duplicate.status_code == 400
    assert set(duplicate.json()["errors"]) == {"email"}
    assert elsewhere.status_code == 201
    assert Contact.objects.filter(team=team).count() == 2


def test_the_dialog_refuses_evaluators(client_for, team, evaluator):
    response = quick_add(client_for(evaluator), team, name="Ann Archer", community="research")

    assert response.status_code == 403
    assert not Contact.objects.exists()


def test_the_dialog_answers_only_post(client_for, team, broker):
    response = client_for(broker).get(url("contact_quick_add", team))

    assert response.status_code == 405
    assert not Contact.objects.exists()


def test_the_activity_form_carries_the_dialog(client_for, team, broker):
    content = client_for(broker).get(url("activity_add", team)).content.decode()

    assert 'id="new-contact-form"' in content
    assert 'name="contact-name"' in content
    assert url("contact_quick_add", team) in content


# Searchable selects.


@pytest.fixture
def contacts(team, other_team):
    icb = factories.OrganisationFactory(name="Bristol ICB")
    factories.ContactFactory(team=team, name="Ann Archer", email="ann@uni.ac.uk")
    factories.ContactFactory(team=team, name="Bob Baker", organisation=icb)
    erased = factories.ContactFactory(team=team, name="Annie Erased")
    erased.erase()
    factories.ContactFactory(team=other_team, name="Anna Elsewhere", organisation=icb)
    return {contact.name: contact for contact in Contact.objects.all()}


def search(client, team, name, term):
    response = client.get(url(name, team), {"q": term})
    assert response.status_code == 200
    return response.json()["results"]


def test_contact_search_matches_name_email_and_organisation(client_for, team, broker, contacts):
    client = client_for(broker)

    assert search(client, team, "contact_search", "ann") == [
        {"value": contacts["Ann Archer"].pk, "text": "Ann Archer"}
    ]
    assert [r["text"] for r in search(client, team, "contact_search", "uni.ac")] == ["Ann Archer"]
    assert search(client, team, "contact_search", "icb") == [
        {"value": contacts["Bob Baker"].pk, "text": "Bob Baker (Bristol ICB)"}
    ]
    assert [r["text"] for r in search(client, team, "contact_search", "")] == [
        "Ann Archer",
        "Bob Baker (Bristol ICB)",
    ]


def test_contact_search_gives_evaluators_pseudonyms_and_no_name_matches(
    client_for, team, evaluator, contacts
):
    client = client_for(evaluator)
    bob = contacts["Bob Baker"]

    assert search(client, team, "contact_search", "ann") == []
    assert search(client, team, "contact_search", "Baker") == []
    assert search(client, team, "contact_search", "icb") == [
        {"value": bob.pk, "text": f"{bob.pseudonym} (Bristol ICB)"}
    ]
    everything = json.dumps(search(client, team, "contact_search", ""))
    assert "Ann" not in everything and "Bob" not in everything


def test_contact_search_does_not_sort_pseudonyms_by_name(client_for, team, evaluator):
    zoe = factories.ContactFactory(team=team, name="Zoe Zed")
    adam = factories.ContactFactory(team=team, name="Adam Able")

    results = search(client_for(evaluator), team, "contact_search", "")

    assert [r["text"] for r in results] == [zoe.pseudonym, adam.pseudonym]


def test_organisation_search_matches_names(client_for, team, evaluator):
    icb = factories.OrganisationFactory(name="Bristol ICB")
    factories.OrganisationFactory(name="University of Bristol")
    factories.OrganisationFactory(name="Sirona care")

    results = search(client_for(evaluator), team, "organisation_search", "bristol")

    assert [r["text"] for r in results] == ["Bristol ICB", "University of Bristol"]
    assert results[0] == {"value": icb.pk, "text": "Bristol ICB"}


# "Log activity for this project" and "with this contact".


def test_the_project_page_logs_an_activity_for_the_project(client_for, team, broker):
    project = factories.ProjectFactory(team=team, title="Frailty bid")
    client = client_for(broker)
    page = client.get(reverse("activities:project_detail", args=[team.slug, project.pk]))
    link = f"{url('activity_add', team)}?project={project.pk}"

    assert link in page.content.decode()
    assert client.get(link).context["form"]["project"].value() == project.pk


def test_the_contact_page_logs_an_activity_with_the_contact_and_organisation(
    client_for, team, broker
):
    organisation = factories.OrganisationFactory(name="Bristol ICB")
    contact = factories.ContactFactory(team=team, name="Ann Lee", organisation=organisation)
    client = client_for(broker)
    page = client.get(reverse("activities:contact_detail", args=[team.slug, contact.pk]))
    link = f"{url('activity_add', team)}?contact={contact.pk}"

    assert link in page.content.decode()
    form = client.get(link).context["form"]
    assert form["contacts"].value() == [contact.pk]
    assert form["organisations"].value() == [organisation.pk]


def test_another_teams_project_or_contact_is_not_found(client_for, team, broker, other_team):
    project = factories.ProjectFactory(team=other_team)
    contact = factories.ContactFactory(team=other_team)
    client = client_for(broker)

    assert client.get(f"{url('activity_add', team)}?project={project.pk}").status_code == 404
    assert client.get(f"{url('activity_add', team)}?contact={contact.pk}").status_code == 404


# The organisations of the chosen contacts, proposed for the activity.


def test_the_chosen_contacts_organisations_are_proposed_once(client_for, team, broker):
    icb = factories.OrganisationFactory(name="Bristol ICB")
    university = factories.OrganisationFactory(name="University of Bristol")
    factories.OrganisationFactory(name="Unrelated Trust")
    ann = factories.ContactFactory(team=team, name="Ann Lee", organisation=icb)
    bo = factories.ContactFactory(team=team, name="Bo Chan", organisation=university)
    cy = factories.ContactFactory(team=team, name="Cy Dee", organisation=university)
    hints = url("organisation_hints", team)

    response = client_for(broker).post(
        hints, {"contacts": [ann.pk, bo.pk, cy.pk], "organisations": [icb.pk]}
    )

    assert [o.name for o in response.context["organisations"]] == ["University of Bristol"]
    assert json.loads(response.context["options"]) == [
        {"value": str(university.pk), "text": "University of Bristol"}
    ]
    assert "add it to the activity" in response.content.decode()


def test_another_teams_contacts_propose_nothing(client_for, team, broker, other_team):
    elsewhere = factories.ContactFactory(
        team=other_team, organisation=factories.OrganisationFactory(name="Far Away Trust")
    )

    response = client_for(broker).post(
        url("organisation_hints", team), {"contacts": [elsewhere.pk]}
    )

    assert response.context["organisations"] == []
    assert "Far Away Trust" not in response.content.decode()


def test_the_activity_form_asks_for_the_proposals_when_contacts_change(client_for, team, broker):
    page = client_for(broker).get(url("activity_add", team)).content.decode()

    assert f'hx-post="{url("organisation_hints", team)}"' in page
    assert 'id="organisation-hints"' in page
