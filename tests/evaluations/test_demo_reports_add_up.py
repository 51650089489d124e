"""Every quarterly report of the demo adds up, and its past reports stay as they were when
a project moves today: the sums a board checks first, over real-looking data rather than a
fixture made to pass."""

import datetime
import io

import pytest
from freezegun import freeze_time

from activities.models import Activity, Project
from demo.seeding import seed_demo
from evaluations.reports.computation import compute_figures
from evaluations.reports.periods import ReportPeriods
from kmtracker.lib.quarters import Quarter, quarters_between
from teams.models import Membership, Team
from teams.tenancy import TeamAccess

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 2, 10)
BIDS = ("funded", "unsuccessful", "withdrawn", "open")


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo():
    with freeze_time(TODAY):
        seed_demo(force=True, today=TODAY, stdout=io.StringIO())


def leads_access(team):
    """The report as a lead reads it (West Midlands' demo has brokers only: one of them
    reads it with a lead's rights)."""
    members = Membership.objects.filter(team=team, is_active=True).order_by("-role", "pk")
    return TeamAccess(team, members.first().user, "lead")


def reports(team):
    """(quarter, figures by row key) of every quarter of the team's log up to today."""
    first = Activity.objects.filter(team=team).order_by("date").first().date
    access = leads_access(team)
    for quarter in quarters_between(first, TODAY, team.year_start_month):
        figures = compute_figures(access, ReportPeriods.for_quarter(quarter, today=TODAY))
        yield quarter, {row.key: row.values for _title, row in figures.rows()}


def column_sums(rows, total, parts):
    return [(rows[total][i], sum(rows[part][i] for part in parts)) for i in range(3)]


def test_every_report_of_the_demo_adds_up(demo):
    checked = 0
    # The demo's teams with a log (the site's own set-up example has none yet).
    logging = Team.objects.filter(pk__in=Activity.objects.values("team"))
    assert logging.count() >= 2
    for team in logging:
        for quarter, rows in reports(team):
            where = f"{team.slug} {quarter.label}"
            bids = [f"projects.bids.{name}" for name in BIDS]
            for total, parts in (
                ("projects.submitted", bids),
                ("projects.requested", [f"{bid}.requested" for bid in bids]),
                ("activities.total", [k for k in rows if k.startswith("activities.category.")]),
                ("hours.total", [k for k in rows if k.startswith("hours.category.")]),
            ):
                for shown, added in column_sums(rows, total, parts):
                    assert shown == added, (where, total)
            checked += 1
    assert checked >= 8  # both teams, over the demo's years
    bristol = Team.objects.get(slug="bristol")
    assert any(rows["projects.submitted"][0] for _q, rows in reports(bristol))


def test_moving_a_project_today_leaves_the_demos_past_reports_as_they_were(demo):
    team = Team.objects.get(slug="bristol")
    past = Quarter.containing(TODAY, team.year_start_month).previous().previous()
    before = dict(reports(team))[past]
    open_now = Project.objects.filter(team=team, status__in=["idea", "developing", "submitted"])
    assert open_now.exists()
    with freeze_time(TODAY):
        for project in open_now:
            project.status, project.decided_on = "withdrawn", TODAY
            project.save()

    after = dict(reports(team))[past]

    pipeline = [key for key in before if key.startswith(("pipeline", "projects"))]
    assert pipeline
    assert {key: after[key] for key in pipeline} == {key: before[key] for key in pipeline}
