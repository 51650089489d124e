"""Saved and scheduled reports: a period rule and the activity list's filters under a
name, opened later, subscribed to monthly or quarterly, each run sent once (two real
workers included), and ended when the subscriber leaves the team."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from freezegun import freeze_time

from evaluations.models import ReportSubscription, SavedReport
from evaluations.periodic import SUBSCRIPTIONS, saved_report_subscriptions
from evaluations.reports.saved import SavedReportRun, period_of
from jobs.models import Occurrence
from mail.models import OutboxMessage, OutgoingMessage
from teams.models import Membership
from teams.tenancy import TeamAccess
from tests import factories
from tests.jobs.inline import run_due_jobs
from tests.jobs.live import live_database, running_workers, wait_for, worker_env  # noqa: F401

D = datetime.date


@pytest.mark.parametrize(
    ("rule", "today", "start", "end"),
    [
        ("previous_quarter", D(2026, 5, 1), D(2026, 1, 1), D(2026, 3, 31)),
        ("previous_quarter", D(2026, 4, 1), D(2026, 1, 1), D(2026, 3, 31)),
        ("previous_quarter", D(2025, 7, 15), D(2025, 4, 1), D(2025, 6, 30)),
        ("last_12_months", D(2026, 5, 1), D(2025, 6, 1), D(2026, 5, 1)),
        ("year_to_date", D(2026, 5, 1), D(2026, 4, 1), D(2026, 5, 1)),
        ("year_to_date", D(2026, 3, 31), D(2025, 4, 1), D(2026, 3, 31)),
    ],
)
def test_a_period_rule_is_read_on_the_day(rule, today, start, end):
    assert period_of(rule, today, year_start_month=4) == (start, end)


@pytest.mark.django_db
def test_anyone_saves_the_lists_filters_under_a_name_and_opens_it_later(
    client_for, team, broker, evaluator
):
    seminar = factories.activity_type(team, "Seminar delivered")
    for day, kind in ((D(2026, 2, 3), seminar), (D(2026, 3, 9), seminar), (D(2026, 2, 4), None)):
        factories.ActivityFactory(
            team=team, lead_broker=broker.broker_profile, date=day,
            **({"activity_type": kind} if kind else {}),
        )  # fmt: skip
    factories.ActivityFactory(  # the quarter before: outside the period
        team=team, lead_broker=broker.broker_profile, date=D(2025, 12, 1), activity_type=seminar
    )
    client = client_for(evaluator)
    filters = f"activity_type={seminar.pk}&date_from=2020-01-01"
    response = client.post(
        reverse("evaluations:saved_report_list", args=["bristol"]),
        {"name": "Seminars last quarter", "period_rule": "previous_quarter", "filters": filters},
    )
    saved = SavedReport.objects.get()
    assert response.status_code == 302
    assert (saved.owner, saved.filters) == (evaluator, filters)

    with freeze_time("2026-05-01 09:00"):
        page = client.get(reverse("evaluations:saved_report_detail", args=["bristol", saved.pk]))
    text = page.content.decode()
    assert '<strong data-testid="saved-period">1 Jan 2026 to 31 Mar 2026</strong>' in text
    assert '<span data-testid="saved-count">2</span>' in text  # the two seminars of Jan–Mar
    assert "date_from=2026-01-01" in page.context["list_url"]  # the rule's dates, not saved ones


def figure(figures, code):
    """The row `code`'s value in the report's first column (the period)."""
    (value,) = [row.current for _title, row in figures.rows() if row.key == code]
    return value


@pytest.mark.django_db
def test_a_saved_reports_filters_narrow_its_figures(client_for, team, lead):
    """Jan–Mar 2026, by hand: two seminars (60 + 30 minutes, contacts Ann; Ann and Bo, the
    second on the frailty bid) and one introduction (90 minutes, Cy, on the urgent-care
    bid). Filtered to seminars: 2 activities, 1.5 hours, 2 contacts, the frailty bid
    only, and the outcomes of a seminar or of the frailty bid (2 of 4)."""
    seminar = factories.activity_type(team, "Seminar delivered")
    ann, bo, cy = (factories.ContactFactory(team=team, name=name) for name in ("Ann", "Bo", "Cy"))
    frailty, urgent = (
        factories.ProjectFactory(team=team, title=title, status="submitted", submitted_on=day)
        for title, day in (("Frailty bid", D(2026, 2, 10)), ("Urgent-care bid", D(2026, 2, 11)))
    )
    lead_broker = lead.broker_profile
    first = factories.ActivityFactory(
        team=team, lead_broker=lead_broker, date=D(2026, 2, 3), activity_type=seminar,
        duration_minutes=60, contacts=[ann],
    )  # fmt: skip
    second = factories.ActivityFactory(
        team=team, lead_broker=lead_broker, date=D(2026, 3, 9), activity_type=seminar,
        duration_minutes=30, contacts=[ann, bo], project=frailty,
    )  # fmt: skip
    other = factories.ActivityFactory(
        team=team, lead_broker=lead_broker, date=D(2026, 2, 4), duration_minutes=90,
        contacts=[cy], project=urgent,
    )  # fmt: skip
    for activity, project, day in (
        (second, None, D(2026, 3, 10)),
        (other, None, D(2026, 3, 1)),
        (None, frailty, D(2026, 2, 20)),  # of the frailty bid: kept
        (None, urgent, D(2026, 2, 21)),  # of the urgent-care bid: left out
    ):
        factories.OutcomeFactory(team=team, activity=activity, project=project, date=day)
    assert first.pk  # the first seminar has no outcome but counts as an activity
    whole = SavedReport.objects.create(
        team=team, owner=lead, name="Everything", period_rule="previous_quarter"
    )
    seminars = SavedReport.objects.create(
        team=team, owner=lead, name="Seminars", period_rule="previous_quarter",
        filters=f"activity_type={seminar.pk}&o=-date&page=2",
    )  # fmt: skip
    access = TeamAccess(team, lead, "lead")

    unfiltered = SavedReportRun(access, whole, today=D(2026, 5, 1)).context()
    narrowed = SavedReportRun(access, seminars, today=D(2026, 5, 1)).context()

    expected = {
        "activities.total": (3, 2),
        "hours.total": (Decimal("3.0"), Decimal("1.5")),
        "contacts.total": (3, 2),
        "projects.submitted": (2, 1),
        "outcomes.total": (4, 2),
    }
    for code, (everything, only_seminars) in expected.items():
        assert figure(unfiltered["figures"], code) == everything, code
        assert figure(narrowed["figures"], code) == only_seminars, code
    assert narrowed["described_filters"] == [("Type", "Seminar delivered")]
    assert unfiltered["described_filters"] == []

    with freeze_time("2026-05-01 09:00"):
        page = client_for(lead).get(
            reverse("evaluations:saved_report_detail", args=["bristol", seminars.pk])
        )
    assert "<li>Type: Seminar delivered</li>" in page.content.decode()


@pytest.fixture
def subscribed(team, broker):
    broker.email = "bea@bristol.example.org"
    broker.save()
    saved = SavedReport.objects.create(
        team=team, owner=broker, name="Previous quarter", period_rule="previous_quarter"
    )
    ReportSubscription.objects.create(saved_report=saved, user=broker, frequency="monthly")
    return saved


def sent_to(address):
    return OutgoingMessage.objects.filter(to_address=address, template="saved_report")


@pytest.mark.django_db
def test_a_run_enqueued_twice_sends_once_and_its_mail_can_be_unsubscribed(subscribed, client):
    due = "2026-05-01T06:00:00+01:00"
    saved_report_subscriptions.enqueue(scheduled_for=due)
    saved_report_subscriptions.enqueue(scheduled_for=due)
    run_due_jobs()
    run_due_jobs()

    (message,) = sent_to("bea@bristol.example.org")
    assert message.subject == "Bristol: Previous quarter (1 Jan 2026 to 31 Mar 2026)"
    assert message.status == OutgoingMessage.Status.SENT
    assert message.headers["List-Unsubscribe"]
    # The next month is another run.
    saved_report_subscriptions.enqueue(scheduled_for="2026-06-01T06:00:00+01:00")
    run_due_jobs()
    assert sent_to("bea@bristol.example.org").count() == 2


@pytest.mark.django_db
def test_quarterly_subscriptions_are_sent_in_the_first_month_of_a_quarter(subscribed, broker):
    ReportSubscription.objects.update(frequency="quarterly")
    for month in (5, 6, 7):
        saved_report_subscriptions.enqueue(scheduled_for=f"2026-{month:02d}-01T06:00:00+01:00")
    run_due_jobs()
    (message,) = sent_to("bea@bristol.example.org")  # July opens Q2 of a year from April
    assert "1 Apr 2026 to 30 Jun 2026" in message.subject


@pytest.mark.django_db
def test_a_subscription_ends_when_its_owner_leaves_the_team(subscribed, broker):
    Membership.objects.filter(user=broker).update(is_active=False)
    saved_report_subscriptions.enqueue(scheduled_for="2026-05-01T06:00:00+01:00")
    run_due_jobs()

    assert not sent_to("bea@bristol.example.org").exists()
    subscription = ReportSubscription.objects.get()
    assert subscription.ended_at is not None
    assert subscription.ended_because == "no longer a member of the team"
    Membership.objects.filter(user=broker).update(is_active=True)  # back: not resubscribed
    saved_report_subscriptions.enqueue(scheduled_for="2026-06-01T06:00:00+01:00")
    run_due_jobs()
    assert not sent_to("bea@bristol.example.org").exists()


@pytest.mark.django_db
def test_members_subscribe_themselves(client_for, subscribed, lead):
    url = reverse("evaluations:saved_report_subscribe", args=["bristol", subscribed.pk])
    client = client_for(lead)
    client.post(url, {"frequency": "quarterly"})
    client.post(url, {"frequency": "monthly"})  # a change, not a second subscription
    assert list(
        ReportSubscription.objects.filter(user=lead).values_list("frequency", "ended_at")
    ) == [("monthly", None)]
    client.post(url, {"stop": "1"})
    assert not ReportSubscription.objects.active().filter(user=lead).exists()


def test_two_workers_send_a_scheduled_run_once(live_database, tmp_path):  # noqa: F811
    team = factories.TeamFactory(name="Bristol", slug="bristol")
    user = factories.UserFactory(username="bea", email="bea@bristol.example.org")
    factories.BrokerFactory(team=team, user=user)
    saved = SavedReport.objects.create(
        team=team, owner=user, name="Previous quarter", period_rule="previous_quarter"
    )
    ReportSubscription.objects.create(saved_report=saved, user=user, frequency="monthly")

    def received():
        return OutboxMessage.objects.filter(to="bea@bristol.example.org").count()

    with running_workers(worker_env(live_database), tmp_path, 2) as workers:
        # Both workers' schedulers find this month's run due; one of them records it.
        wait_for(received, "the scheduled run's message in the outbox", workers=workers)
        occurrence = Occurrence.objects.get(name=SUBSCRIPTIONS)
        # The same run once more, as a retry after a crash would run it.
        again = saved_report_subscriptions.enqueue(scheduled_for=occurrence.due_at.isoformat())

        def finished():
            again.refresh()
            return again.is_finished

        wait_for(finished, "the second run to finish", workers=workers)
    assert received() == 1
    assert Occurrence.objects.filter(name=SUBSCRIPTIONS).count() == 1
