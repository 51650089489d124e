"""Changes to a signed-off quarter: listed on the report with who, when and why, and
sent to the team's leads in a daily digest.

The log is tests/evaluations/quarter_fixture.py; 2025/26 Q2 (1 Jul – 30 Sep 2025)
is signed off on 15 October. Then, by hand:

    when             who  record                         dated      in Q2?  reason
    20 Oct 09:30     Bea  A6 renamed                     20 Aug 25  yes     "Wrong title"
    20 Oct 10:00     Bea  O2 deleted                     20 Sep 25  yes     "Logged twice"
    20 Oct 10:30     Bea  P1 amount changed              15 Aug 25  yes     (none)
    20 Oct 11:00     Bea  A8 renamed                      1 Oct 25  no      -
    20 Oct 11:30     Bea  A3 renamed                     30 Jun 25  no      -

so the report lists three changes, oldest first: A6 (changed), O2 (deleted), P1 (changed).
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from freezegun import freeze_time

from evaluations import periodic
from evaluations.reports.changes import signed_off_changes
from jobs.models import Occurrence
from jobs.schedule import enqueue_due
from kmtracker.lib.history.writing import change_reason
from mail.models import OutgoingMessage
from tests.evaluations.quarter_fixture import build_logbook
from tests.jobs.inline import run_due_jobs

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
SIGNED_OFF_AT = "2025-10-15 10:00"


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def log(team, lead, broker, client_for):
    with freeze_time("2025-10-01 12:00"):
        built = build_logbook(team, lead, broker)
    report_url = reverse(
        "evaluations:report_signoff", kwargs={"team": "bristol", "quarter": "2025-q2"}
    )
    with freeze_time(SIGNED_OFF_AT):
        assert client_for(lead).post(report_url).status_code == 302
    return built


def change(record, when, user, reason=None, delete=False, **fields):
    """Change `record` at `when` as `user` would through a form, giving `reason`."""
    for name, value in fields.items():
        setattr(record, name, value)
    record._history_user = user
    with freeze_time(when), change_reason(reason or ""):
        record.delete() if delete else record.save()


@pytest.fixture
def changed(log, broker):
    change(log.activity[6], "2025-10-20 09:30", broker, "Wrong title", title="Renamed A6")
    change(log.outcome[2], "2025-10-20 10:00", broker, "Logged twice", delete=True)
    change(log.project[1], "2025-10-20 10:30", broker, amount_requested=Decimal("90000"))
    change(log.activity[8], "2025-10-20 11:00", broker, "Outside", title="Renamed A8")
    change(log.activity[3], "2025-10-20 11:30", broker, "Outside", title="Renamed A3")
    return log


def test_the_report_lists_the_changes_since_sign_off_with_reasons(changed, client_for, lead):
    page = client_for(lead).get(
        reverse("evaluations:report_detail", kwargs={"team": "bristol", "quarter": "2025-q2"})
    )

    listed = [
        (item.kind, item.title, item.action, item.by, item.reason)
        for item in page.context["changes_since_sign_off"]
    ]
    assert listed == [
        ("activity", "Renamed A6", "changed", "Bea Baker", "Wrong title"),
        ("outcome", changed.outcome[2].description, "deleted", "Bea Baker", "Logged twice"),
        ("project", "P1", "changed", "Bea Baker", ""),
    ]
    content = page.content.decode()
    assert "Changes since sign-off, with their reasons" in content
    assert "Wrong title" in content and "No reason given" in content


def test_changes_before_the_sign_off_are_not_listed(log, team):
    since = datetime.datetime(2025, 10, 15, 10, 0, tzinfo=UTC)
    assert (
        signed_off_changes(team, datetime.date(2025, 7, 1), datetime.date(2025, 9, 30), since) == []
    )


def test_a_record_moved_out_of_the_quarter_is_listed(log, team, broker):
    change(
        log.activity[7],
        "2025-10-20 09:00",
        broker,
        "Belongs to October",
        date=datetime.date(2025, 10, 2),
    )
    since = datetime.datetime(2025, 10, 15, 10, 0, tzinfo=UTC)

    found = signed_off_changes(team, datetime.date(2025, 7, 1), datetime.date(2025, 9, 30), since)

    assert [(item.title, item.reason) for item in found] == [("A7", "Belongs to October")]


# The daily digest, at 07:00 (UTC in the tests).


def run_digest(now):
    schedule = {periodic.NAME: periodic.PERIODIC[0]}
    with freeze_time(now):
        recorded = enqueue_due(
            now=datetime.datetime.fromisoformat(now).replace(tzinfo=UTC), periodics=schedule
        )
        run_due_jobs()
    return recorded


def test_the_lead_gets_one_digest_of_the_days_changes(changed, lead, settings):
    settings.TIME_ZONE = "UTC"
    lead.email = "lee@example.org"
    lead.save()
    run_digest("2025-10-21 08:00")  # due 21 Oct 07:00: the changes of 20 Oct
    run_digest("2025-10-21 09:00")  # the same occurrence: nothing more

    message = OutgoingMessage.objects.get(template="signed_off_changes")
    assert message.to_address.endswith(lead.email)
    assert message.kind == "signed_off_changes"
    assert message.subject == "Bristol: 3 changes to signed-off quarters"
    assert "Renamed A6" in message.text and "Reason: Wrong title" in message.text
    assert "Reason: none given" in message.text
    assert "Renamed A8" not in message.text
    assert "/teams/bristol/reports/2025-q2/" in message.text
    assert Occurrence.objects.filter(name=periodic.NAME).count() == 1


def test_the_next_digest_starts_where_the_last_ended(changed, broker, lead, settings):
    settings.TIME_ZONE = "UTC"
    lead.email = "lee@example.org"
    lead.save()
    run_digest("2025-10-21 08:00")
    change(changed.activity[4], "2025-10-21 12:00", broker, "Typo", title="Renamed A4")

    run_digest("2025-10-22 08:00")

    second = OutgoingMessage.objects.filter(template="signed_off_changes").order_by("pk").last()
    assert second.subject == "Bristol: 1 change to signed-off quarters"
    assert "Renamed A4" in second.text and "Renamed A6" not in second.text


def test_a_lead_without_an_address_is_skipped(changed, settings):
    settings.TIME_ZONE = "UTC"
    run_digest("2025-10-21 08:00")

    assert not OutgoingMessage.objects.filter(template="signed_off_changes").exists()


def test_no_change_no_digest(log, lead, settings):
    lead.email = "lee@example.org"
    lead.save()
    settings.TIME_ZONE = "UTC"
    run_digest("2025-10-21 08:00")

    assert not OutgoingMessage.objects.filter(template="signed_off_changes").exists()
