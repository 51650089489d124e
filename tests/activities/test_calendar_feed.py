"""Each person's private calendar feed of follow-ups and deadlines, read as a calendar client
reads it: without a session, parsed back with icalendar."""

import datetime
import re

import icalendar
import pytest
from django.test import Client
from django.utils import timezone

from activities.models import CalendarFeed
from tests import factories

pytestmark = pytest.mark.django_db

SETTINGS = "/teams/bristol/calendar-feed/"


def _issue(client):
    page = client.post(SETTINGS, {"action": "issue"})
    assert page.status_code == 201  # created: the page shows its address once
    address = re.search(
        r'data-testid="feed-address" readonly value="([^"]+)"', page.content.decode()
    )
    return address.group(1)


def _read(address):
    """The feed as a calendar client fetches it: no cookies, no sign-in."""
    return Client().get(address.removeprefix("http://testserver"))


@pytest.fixture
def log(team, broker, other_broker):
    today = timezone.localdate()
    contact = factories.ContactFactory(
        team=team, name="Priya Sharma", email="priya.sharma@nhs.net", phone="0117 496 0000"
    )
    mine = factories.ActivityFactory(
        team=team,
        lead_broker=broker.broker_profile,
        title="Frailty pathway workshop",
        date=today - datetime.timedelta(days=3),
        follow_up_date=today + datetime.timedelta(days=7),
    )
    mine.contacts.add(contact)
    colleague = factories.BrokerFactory(team=team)
    factories.ActivityFactory(
        team=team,
        lead_broker=colleague,
        title="Someone else's follow-up",
        follow_up_date=today + datetime.timedelta(days=2),
    )
    factories.ActivityFactory(
        team=other_broker.broker_profile.team,
        lead_broker=other_broker.broker_profile,
        title="Other team's follow-up",
        follow_up_date=today + datetime.timedelta(days=2),
    )
    factories.ProjectFactory(
        team=team,
        title="Falls prevention bid",
        status="developing",
        deadline=today + datetime.timedelta(days=20),
    )
    factories.ProjectFactory(
        team=team,
        title="Funded already",
        status="funded",
        deadline=today + datetime.timedelta(days=20),
    )
    return {"mine": mine, "contact": contact, "today": today}


def test_the_feed_holds_my_follow_ups_and_open_deadlines_and_no_contact_data(
    client_for, broker, log
):
    address = _issue(client_for(broker))

    response = _read(address)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "no-store" in response["Cache-Control"]
    parsed = icalendar.Calendar.from_ical(response.content)
    events = {str(e["SUMMARY"]): e for e in parsed.walk("VEVENT")}
    assert sorted(events) == [
        "Deadline: Falls prevention bid",
        "Follow up: Frailty pathway workshop",
    ]
    follow_up = events["Follow up: Frailty pathway workshop"]
    assert follow_up.decoded("DTSTART") == log["today"] + datetime.timedelta(days=7)
    assert str(follow_up["URL"]).endswith(log["mine"].get_absolute_url())
    text = response.content.decode()
    for personal in ("Priya", "Sharma", "priya.sharma@nhs.net", "0117 496 0000"):
        assert personal not in text


def test_only_a_hash_of_the_token_is_kept(client_for, broker, log):
    address = _issue(client_for(broker))
    token = address.rsplit("/", 1)[1].removesuffix(".ics")

    feed = CalendarFeed.objects.get()
    assert len(token) >= 40
    assert feed.token_hash != token and token not in feed.token_hash
    assert feed.token_hash == CalendarFeed.hash_of(token)


def test_a_revoked_or_replaced_address_answers_404(client_for, broker, log):
    client = client_for(broker)
    first = _issue(client)
    second = _issue(client)  # a new address: the first stops

    assert _read(first).status_code == 404
    assert _read(second).status_code == 200

    client.post(SETTINGS, {"action": "revoke"})

    assert _read(second).status_code == 404
    assert "You have no calendar feed" in client.get(SETTINGS).content.decode()


def test_the_feed_stops_when_its_person_leaves_the_team(client_for, team, broker, log):
    address = _issue(client_for(broker))
    broker.memberships.filter(team=team).update(is_active=False)

    assert _read(address).status_code == 404


def test_an_evaluators_feed_reads_titles_with_pseudonyms(client_for, team, evaluator, log):
    factories.ProjectFactory(
        team=team, title="Bid with Priya Sharma", status="idea", deadline=log["today"]
    )
    address = _issue(client_for(evaluator))

    text = _read(address).content.decode()

    assert "Priya Sharma" not in text
    assert log["contact"].pseudonym in text
