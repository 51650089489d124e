"""Every change is recorded, whichever way it is made (form, admin, import, command,
bulk update); each record has a History page for those who read it; erasure scrubs it."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from freezegun import freeze_time

from activities.models import Activity, Contact
from evaluations.models import QuarterlyReport
from kmtracker.lib.history.reading import history_of
from teams.models import Membership, Team
from teams.tenancy import team_access
from tests import factories
from tests.activities.imports import csv_bytes

pytestmark = pytest.mark.django_db

# session, user, membership; the activity; its history records with their users; the
# link rows of each of its five many-to-many fields; the contacts the changes name (one
# query for each kind of record named, however many changes name them).
HISTORY_PAGE_QUERIES = 11


def team_url(name, team, **kwargs):
    return reverse(name, kwargs={"team": team.slug, **kwargs})


def changes_of(entry):
    return [(change.field, change.old, change.new) for change in entry.changes]


@pytest.fixture
def activity(team, broker):
    return factories.ActivityFactory(
        team=team, lead_broker=broker.broker_profile, title="Frailty network", duration_minutes=60
    )


@pytest.fixture
def admin_user(db):
    return factories.UserFactory(username="admin", is_staff=True, is_superuser=True)


# Each way of making a change leaves a record: who, when, what.


def test_a_form_edit_is_recorded_with_who_and_what(client_for, team, broker):
    with freeze_time("2025-06-01 09:00"):
        activity = factories.ActivityFactory(
            team=team, lead_broker=broker.broker_profile, title="Frailty network"
        )
    data = {
        "date": "2025-05-12",
        "activity_type": activity.activity_type_id,
        "title": "Frailty hub network",
        "lead_broker": broker.broker_profile.pk,
        "duration_minutes": "60",
        "direction": activity.direction,
        "topics_text": "",
        "version": activity.version,
    }
    with freeze_time("2025-06-02 10:30"):
        client_for(broker).post(team_url("activities:activity_edit", team, pk=activity.pk), data)

    changed = history_of(activity, team_access(broker, team.slug))[0]
    assert (changed.action, changed.who, changed.when.date()) == (
        "changed",
        broker,
        datetime.date(2025, 6, 2),
    )
    assert changes_of(changed) == [("Title", "Frailty network", "Frailty hub network")]


def test_an_admin_edit_is_recorded_as_the_administrator(client_for, team, admin_user):
    contact = factories.ContactFactory(team=team, name="Ada", community="research")
    data = {
        "team": team.pk,
        "name": "Ada King",
        "community": "research",
        "job_title": "",
        "organisation": "",
        "email": "",
        "phone": "",
        "notes": "",
        "consent_note": "",
        "version": contact.version,
    }

    response = client_for(admin_user).post(
        reverse("admin:activities_contact_change", args=[contact.pk]), data
    )

    assert response.status_code == 302
    record = contact.history.first()
    assert (record.history_type, record.history_user, record.name) == ("~", admin_user, "Ada King")


def test_an_admin_edit_of_a_stale_copy_is_refused(client_for, team, admin_user):
    contact = factories.ContactFactory(team=team, name="Ada", community="research")
    contact.save()  # someone else saved it after the administrator opened it
    data = {"team": team.pk, "name": "Ada King", "community": "research", "version": 1}

    response = client_for(admin_user).post(
        reverse("admin:activities_contact_change", args=[contact.pk]), data
    )

    assert response.status_code == 200
    assert "Someone else saved this record after you opened it" in response.content.decode()
    assert Contact.objects.get(pk=contact.pk).name == "Ada"


def test_a_membership_change_in_the_admin_is_recorded(client_for, team, broker, admin_user):
    membership = Membership.objects.get(user=broker, team=team)
    data = {"user": broker.pk, "team": team.pk, "role": "lead"}

    client_for(admin_user).post(
        reverse("admin:teams_membership_change", args=[membership.pk]), data
    )

    record = membership.history.first()
    assert (record.history_type, record.history_user, record.role) == ("~", admin_user, "lead")
    assert membership.history.last().role == "broker"


def test_an_import_by_command_is_recorded_with_the_command(team, tmp_path):
    path = tmp_path / "contacts.csv"
    header = ["name", "community", "email"]
    path.write_bytes(csv_bytes(header, [["Ada Lovelace", "research", "ada@uni.example"]]))

    call_command("import_csv", team.slug, "contacts", str(path), stdout=None, stderr=None)

    record = Contact.objects.get(name="Ada Lovelace").history.get()
    assert (record.history_type, record.history_user) == ("+", None)
    assert record.history_change_reason == "manage.py import_csv"


def test_a_bulk_update_is_recorded_for_every_row_keeping_the_links(team, broker, lead):
    colleague = lead.broker_profile
    first = factories.ActivityFactory(team=team, lead_broker=broker.broker_profile)
    second = factories.ActivityFactory(team=team, lead_broker=broker.broker_profile)
    first.co_brokers.add(colleague)

    changed = Activity.objects.filter(team=team).update_with_history(
        user=lead, follow_up_date=datetime.date(2025, 7, 1)
    )

    assert changed == 2
    access = team_access(lead, team.slug)
    for activity in (first, second):
        latest = history_of(activity, access)[0]
        # Only the follow-up changed: the co-brokers were carried into the new record.
        assert (latest.action, latest.who) == ("changed", lead)
        assert [change.field for change in latest.changes] == ["Follow up date"]
        assert Activity.objects.get(pk=activity.pk).version == activity.version + 1


def test_seed_demo_records_every_row_it_creates(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=None)

    for model in (Activity, Contact):
        created = model.history.filter(history_type="+")
        assert created.count() == model.objects.count() > 0
        assert set(created.values_list("history_change_reason", flat=True)) == {
            "manage.py seed_demo"
        }
    # The follow-ups made due for each team's first broker are changes, recorded too.
    assert Activity.history.filter(history_type="~").count() == 3 * Team.objects.count()


# Report sign-offs.


@freeze_time("2025-10-15 10:00")
def test_a_sign_off_and_a_reopening_are_in_the_reports_history(client_for, team, lead, broker):
    client = client_for(lead)
    narrative = {"highlights": "Ten seminars", "challenges": "", "plans": ""}
    client.post(team_url("evaluations:report_narrative", team, quarter="2025-q2"), narrative)
    client.post(team_url("evaluations:report_signoff", team, quarter="2025-q2"))
    client.post(team_url("evaluations:report_reopen", team, quarter="2025-q2"), {"note": ""})

    response = client_for(broker).get(
        team_url("evaluations:report_history", team, quarter="2025-q2")
    )

    assert response.status_code == 200
    reopened, signed_off, _created = response.context["history"]
    assert (signed_off.who, reopened.who) == (lead, lead)
    assert ("Signed off by", "—", str(lead)) in changes_of(signed_off)
    assert ("Signed off by", str(lead), "—") in changes_of(reopened)
    assert QuarterlyReport.objects.get().version == 3
    report_page = client_for(broker).get(
        team_url("evaluations:report_detail", team, quarter="2025-q2")
    )
    history_url = team_url("evaluations:report_history", team, quarter="2025-q2")
    assert f'href="{history_url}"' in report_page.content.decode()


# The History pages.


def test_the_history_page_lists_every_change_and_links_back(client_for, team, broker, activity):
    for minutes in (70, 80, 90):
        activity.duration_minutes = minutes
        activity.save()

    response = client_for(broker).get(team_url("activities:activity_history", team, pk=activity.pk))

    assert [entry.action for entry in response.context["history"]] == [
        "changed",
        "changed",
        "changed",
        "created",
    ]
    page = response.content.decode()
    assert activity.get_absolute_url() in page
    assert "<del>80</del> → <ins>90</ins>" in page


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("activity_detail", "activity"),
        ("contact_detail", "contact"),
        ("outcome_detail", "outcome"),
        ("project_detail", "project"),
    ],
)
def test_each_detail_page_links_to_its_history(client_for, team, evaluator, name, kind):
    record = {
        "activity": lambda: factories.ActivityFactory(team=team),
        "contact": lambda: factories.ContactFactory(team=team),
        "outcome": lambda: factories.OutcomeFactory(team=team),
        "project": lambda: factories.ProjectFactory(team=team),
    }[kind]()
    history = team_url(f"activities:{kind}_history", team, pk=record.pk)

    page = client_for(evaluator).get(team_url(f"activities:{name}", team, pk=record.pk))

    assert f'href="{history}"' in page.content.decode()


def test_evaluators_see_that_a_contacts_details_changed_but_not_what_they_were(
    client_for, team, evaluator
):
    contact = factories.ContactFactory(team=team, name="Ada Lovelace", email="ada@uni.example")
    contact.name, contact.email, contact.community = "Ada King", "ada@icb.example", "clinical"
    contact.save()

    response = client_for(evaluator).get(
        team_url("activities:contact_history", team, pk=contact.pk)
    )

    page = response.content.decode()
    for personal in ("Ada", "Lovelace", "King", "uni.example", "icb.example"):
        assert personal not in page
    assert contact.pseudonym in page
    [changed, _created] = response.context["history"]
    assert ("Community", "Research", "Clinical") in changes_of(changed)
    assert {change.field for change in changed.changes if change.hidden} == {"Name", "Email"}


# Erasure.


def test_erasing_a_contact_scrubs_their_details_from_every_history_record(
    client_for, team, broker, lead
):
    contact = factories.ContactFactory(
        team=team, name="Ada Lovelace", email="ada@uni.example", phone="0117 496 0000"
    )
    contact.name, contact.notes, contact.job_title = "Ada King", "Met at the hub", "Professor"
    contact.save()
    client_for(broker).post(team_url("activities:contact_erase", team, pk=contact.pk))

    values = [
        str(value)
        for record in Contact.history.filter(id=contact.pk).values()
        for value in record.values()
    ]
    for personal in ("Ada", "Lovelace", "King", "ada@uni.example", "0117", "Met at", "Professor"):
        assert not any(personal in value for value in values), personal
    page = client_for(lead).get(team_url("activities:contact_history", team, pk=contact.pk))
    assert "Lovelace" not in page.content.decode()
    assert "King" not in page.content.decode()


def test_the_history_page_takes_the_same_queries_for_any_number_of_changes(
    client_for, team, broker, activity, django_assert_num_queries
):
    contacts = factories.ContactFactory.create_batch(3, team=team)
    client = client_for(broker)
    client.get(team_url("activities:activity_history", team, pk=activity.pk))  # warm the session
    shown = []
    for contact in contacts:
        activity.contacts.add(contact)
        activity.duration_minutes += 5
        activity.save()
        with django_assert_num_queries(HISTORY_PAGE_QUERIES):
            response = client.get(team_url("activities:activity_history", team, pk=activity.pk))
        shown.append(len(response.context["history"]))
    # Created, then per round a contact added and a duration changed (two saves, two entries).
    assert shown == [3, 5, 7]
