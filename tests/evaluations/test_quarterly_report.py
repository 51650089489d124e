"""Every figure of the 2025/26 Q2 report of the hand-worked log in quarter_fixture.py.

Values are (this quarter, previous quarter, year to date); the comments show the sums.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from freezegun import freeze_time

from evaluations.reports.computation import compute_figures
from evaluations.reports.periods import ReportPeriods
from kmtracker.lib.quarters import Quarter
from teams.tenancy import team_access
from tests import factories
from tests.evaluations.quarter_fixture import build_logbook

pytestmark = pytest.mark.django_db

Q2 = Quarter(2025, 2)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def log(team, lead, broker, other_team):
    return build_logbook(team, lead, broker, other_team)


@pytest.fixture
def figures(log, lead):
    """{row key: (this quarter, previous quarter, year to date)} as the lead sees them."""
    computed = compute_figures(team_access(lead, log.team.slug), ReportPeriods.for_quarter(Q2))
    return {row.key: row.values for _title, row in computed.rows()}


def section(figures, prefix):
    return {
        key[len(prefix) + 1 :]: value
        for key, value in figures.items()
        if key.startswith(prefix + ".")
    }


def test_the_columns_are_the_quarter_the_one_before_and_the_year_to_its_end():
    periods = ReportPeriods.for_quarter(Q2)

    assert periods.current.range == (datetime.date(2025, 7, 1), datetime.date(2025, 9, 30))
    assert periods.previous.range == (datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))
    assert periods.year_to_date.range == (datetime.date(2025, 4, 1), datetime.date(2025, 9, 30))
    assert periods.title == "2025/26 Q2 (Jul–Sep 2025)"


def test_the_previous_quarter_of_q1_is_q4_of_the_year_before_and_ytd_starts_on_1_april():
    periods = ReportPeriods.for_quarter(Quarter(2025, 1))

    assert periods.previous.range == (datetime.date(2025, 1, 1), datetime.date(2025, 3, 31))
    assert periods.year_to_date.range == (datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))


def test_it_counts_activities_by_category_with_31_march_and_1_october_outside(figures):
    assert section(figures, "activities") == {
        "total": (4, 2, 6),  # Q2: A4 A5 A6 A7; Q1: A2 A3; YTD: A2..A7 (not A1 31 Mar, A8 1 Oct)
        "category.relationship_building": (1, 0, 1),  # A5
        "category.awareness_raising": (2, 1, 3),  # A4 A7 | A3
        "category.advice_consultation": (0, 1, 1),  # - | A2 (1 April is in Q1)
        "category.collaborative_project": (1, 0, 1),  # A6
    }


def test_it_counts_the_1_april_activity_in_q1_of_the_new_year_and_31_march_in_q4(log, lead):
    access = team_access(lead, log.team.slug)
    q1 = compute_figures(access, ReportPeriods.for_quarter(Quarter(2025, 1)))
    totals = {row.key: row.values for _title, row in q1.rows()}

    # Q1 2025/26: A2 (1 Apr) and A3 (30 Jun). Q4 2024/25: A1 (31 Mar). YTD is Q1 only.
    assert totals["activities.total"] == (2, 1, 2)
    assert totals["activities.category.relationship_building"] == (0, 1, 0)  # A1 in Q4


def test_it_adds_up_hours_to_one_decimal(figures):
    assert section(figures, "hours") == {
        # Q2: 45 + 30 + (none) + 50 = 125 min = 2.083 h; Q1: 90 + 120 = 210 min = 3.5 h;
        # YTD: 335 min = 5.583 h.
        "total": (Decimal("2.1"), Decimal("3.5"), Decimal("5.6")),
        "category.relationship_building": (Decimal("0.5"), Decimal("0.0"), Decimal("0.5")),  # 30
        # A4 45 + A7 50 = 95 min = 1.583 | A3 120 | 215 min = 3.583
        "category.awareness_raising": (Decimal("1.6"), Decimal("2.0"), Decimal("3.6")),
        "category.advice_consultation": (Decimal("0.0"), Decimal("1.5"), Decimal("1.5")),  # A2 90
        "category.collaborative_project": (Decimal("0.0"), Decimal("0.0"), Decimal("0.0")),  # A6
    }


def test_it_counts_a_co_brokered_activity_once_per_broker(figures, log):
    assert section(figures, "brokers") == {
        # Lee leads A2 (Q1) and A4 (Q2); A8 is in Q3.
        str(log.lee.pk): (1, 1, 2),
        # Bea: co A2 and leads A3 (Q1); co A4 and leads A6 (Q2); A1 is 31 March.
        str(log.bea.pk): (2, 2, 4),
        # Cal: co A4, leads A5, co A6, leads A7 — all Q2.
        str(log.cal.pk): (4, 0, 4),
    }
    # 1 + 2 + 4 = 7 broker-activities this quarter, for 4 activities: A4 counts for three.
    assert figures["activities.total"][0] == 4


def test_it_counts_activities_by_setting_with_blank_as_not_recorded(figures):
    assert section(figures, "settings") == {
        "commissioning": (0, 0, 0),  # only A1, on 31 March
        "academic": (1, 2, 3),  # A7 | A2 A3
        "clinical": (1, 0, 1),  # A5
        "community": (0, 0, 0),
        "online": (1, 0, 1),  # A4
        "blank": (1, 0, 1),  # A6 has no setting
    }


def test_it_counts_activities_by_direction(figures):
    assert section(figures, "directions") == {
        "research_informed_commissioning": (1, 0, 1),  # A4 (A1 is outside)
        "commissioning_informed_research": (1, 1, 2),  # A6 | A2
        "both": (1, 1, 2),  # A7 | A3
        "unclear": (1, 0, 1),  # A5
    }


def test_it_counts_an_activity_once_per_conduit(figures):
    assert section(figures, "conduits") == {
        "interpersonal": (1, 1, 2),  # A6 | A2
        "people_placement": (0, 0, 0),
        "governance": (0, 1, 1),  # A2 has two conduits: it counts under both
        "copy_adapt_paste": (0, 0, 0),
        "product_deployment": (1, 0, 1),  # A4
        "none": (2, 1, 3),  # A5 A7 | A3 have none
    }


def test_it_counts_distinct_contacts_engaged_by_community(figures):
    assert section(figures, "contacts") == {
        # Q2: commissioning (A4), clinical (A5, A6: once), research (A5), patient (A7) = 4.
        # Q1: commissioning and research (both on A2) = 2. YTD: the same four people.
        "total": (4, 2, 4),
        "research": (1, 1, 1),
        "commissioning": (1, 1, 1),
        "clinical": (1, 0, 1),
        "patient_public": (1, 0, 1),
        "other": (0, 0, 0),
    }


def test_it_counts_new_contacts_by_their_first_activity_ever(figures):
    assert section(figures, "new_contacts") == {
        # Research first met on 31 March (A1): returning in every column.
        # Commissioning first met on 1 April (A2): new in Q1, returning in Q2.
        # Clinical (15 Jul) and patient (30 Sep) are new in Q2. "Late" (1 Oct) in none.
        "total": (2, 1, 3),
        "research": (0, 0, 0),
        "commissioning": (0, 1, 1),
        "clinical": (1, 0, 1),
        "patient_public": (1, 0, 1),
        "other": (0, 0, 0),
    }


def test_it_counts_events_and_attendees_by_setting(figures):
    assert section(figures, "events") == {
        "total": (2, 1, 3),  # A4 A7 | A3
        "commissioning": (0, 0, 0),
        "academic": (1, 1, 2),  # A7 | A3
        "clinical": (0, 0, 0),
        "community": (0, 0, 0),
        "online": (1, 0, 1),  # A4
    }
    assert section(figures, "attendees") == {
        "total": (37, 40, 77),  # 25 + 12 | 40 | 40 + 25 + 12
        "commissioning": (0, 0, 0),
        "academic": (12, 40, 52),
        "clinical": (0, 0, 0),
        "community": (0, 0, 0),
        "online": (25, 0, 25),
    }


def test_the_bids_submitted_add_up_to_where_they_stood_at_the_periods_end(figures):
    decisions = ("funded", "unsuccessful", "withdrawn", "awarded", "funded_without_outcome")
    bids = {k: v for k, v in section(figures, "projects").items() if k not in decisions}
    assert bids == {
        # Q2: P1 (15 Aug) P9 (20 Jul) | Q1: P2 (10 May) P3 (1 Apr) | YTD: all four.
        "submitted": (2, 2, 4),
        "requested": (Decimal("105000.00"), Decimal("70000.00"), Decimal("175000.00")),
        "submitted.awarded": (Decimal("0.00"), Decimal("0.00"), Decimal("45000.00")),  # P2
        # P2 was funded on 1 Jul: after Q1's end, by the year to date's.
        "bids.funded": (0, 0, 1),
        "bids.funded.requested": (Decimal("0.00"), Decimal("0.00"), Decimal("50000.00")),
        "bids.funded.awarded": (Decimal("0.00"), Decimal("0.00"), Decimal("45000.00")),
        # P3 was turned down on 30 Sep, the last day of Q2 and of the year to date.
        "bids.unsuccessful": (0, 0, 1),
        "bids.unsuccessful.requested": (Decimal("0.00"), Decimal("0.00"), Decimal("20000.00")),
        "bids.withdrawn": (1, 0, 1),  # P9, 10 Aug
        "bids.withdrawn.requested": (Decimal("5000.00"), Decimal("0.00"), Decimal("5000.00")),
        # P1 | P2 P3 (both undecided on 30 Jun) | P1.
        "bids.open": (1, 2, 1),
        "bids.open.requested": (Decimal("100000.00"), Decimal("70000.00"), Decimal("100000.00")),
    }
    for column in range(3):
        parts = ("bids.funded", "bids.unsuccessful", "bids.withdrawn", "bids.open")
        assert sum(bids[part][column] for part in parts) == bids["submitted"][column]
        money = sum(bids[f"{part}.requested"][column] for part in parts)
        assert money == bids["requested"][column]


def test_it_counts_decisions_within_the_quarter_whenever_the_bid_went_in(figures):
    decisions = {
        key: figures[f"projects.{key}"]
        for key in ("funded", "unsuccessful", "withdrawn", "awarded", "funded_without_outcome")
    }
    assert decisions == {
        # Funded: P2 (decided 1 Jul) | P5 (15 Jun, since completed). P4 decided 31 March.
        "funded": (1, 1, 2),
        # Unsuccessful: P3 (decided 30 Sep). P9 was withdrawn, which is neither.
        "unsuccessful": (1, 0, 1),
        "withdrawn": (1, 0, 1),  # P9, 10 Aug
        # Awarded: 45,000 | 12,000.50 | 57,000.50.
        "awarded": (Decimal("45000.00"), Decimal("12000.50"), Decimal("57000.50")),
        # Only P4 (funded 31 March) has a "bid funded" outcome (O4): P2 | P5 | both.
        "funded_without_outcome": (1, 1, 2),
    }


def test_the_report_names_the_projects_funded_without_a_bid_funded_outcome(log, lead):
    access = team_access(lead, log.team.slug)
    computed = compute_figures(access, ReportPeriods.for_quarter(Q2))
    assert "without a “bid funded” outcome: P2." in computed.section("decisions").note

    factories.OutcomeFactory(
        team=log.team, activity=None, project=log.project[2], type="bid_funded"
    )
    computed = compute_figures(access, ReportPeriods.for_quarter(Q2))
    assert "Every project funded in the period has" in computed.section("decisions").note
    assert computed.section("decisions").rows[-1].values == (0, 1, 1)  # P5 still has none


def test_the_open_pipeline_is_each_columns_status_at_the_end_of_its_period(figures):
    # Q2 and the year to date end on 30 Sep; Q1 on 30 Jun (see the fixture's history).
    assert section(figures, "pipeline") == {
        "idea": (0, 2, 0),  # - (P6 begun 1 Oct) | P1 P7 | -
        "developing": (2, 1, 2),  # P7 P8 | P8 (P9 begun 1 Jul) | P7 P8
        "submitted": (1, 2, 1),  # P1 (P3 turned down on 30 Sep) | P2 P3 | P1
    }


def test_moving_a_project_today_or_adding_one_leaves_a_past_pipeline_as_it_was(log, lead):
    access = team_access(lead, log.team.slug)
    log.project[8].status = "submitted"  # developing at the end of both columns
    log.project[8].save()
    log.project[1].status = "funded"
    log.project[1].save()
    factories.ProjectFactory(team=log.team, status="submitted")  # created today
    computed = compute_figures(access, ReportPeriods.for_quarter(Q2))
    rows = {row.key: row.values for _title, row in computed.rows()}

    assert section(rows, "pipeline") == {
        "idea": (0, 2, 0),
        "developing": (2, 1, 2),
        "submitted": (1, 2, 1),
    }


def test_a_project_without_history_counts_at_its_status_from_its_creation(log, lead):
    with freeze_time("2025-05-01 12:00"):
        old = factories.ProjectFactory(team=log.team, status="idea")
    old.history.all().delete()  # as written by bulk statements that keep no history
    computed = compute_figures(team_access(lead, log.team.slug), ReportPeriods.for_quarter(Q2))
    rows = {row.key: row.values for _title, row in computed.rows()}

    assert rows["pipeline.idea"] == (1, 3, 1)  # it | P1 P7 it | it


def test_it_counts_outcomes_by_type_and_capability_changes_by_dimension(figures):
    outcomes = section(figures, "outcomes")
    assert outcomes["total"] == (2, 1, 3)  # O1 O2 | O3 (O4 31 Mar, O5 1 Oct outside)
    assert outcomes["connection_made"] == (1, 0, 1)
    assert outcomes["capability_change"] == (1, 1, 2)
    assert outcomes["bid_funded"] == (0, 0, 0)
    assert sum(values[0] for key, values in outcomes.items() if key != "total") == 2
    assert section(figures, "capability") == {
        "knowledge": (1, 0, 1),  # O2
        "attitude": (0, 0, 0),
        "skills": (0, 0, 0),
        "confidence": (0, 1, 1),  # O3
    }


def test_it_charts_activities_per_month_of_the_year_to_date(log, lead):
    computed = compute_figures(team_access(lead, log.team.slug), ReportPeriods.for_quarter(Q2))
    months = {month.strftime("%b"): counts for month, counts in computed.months}

    assert list(months) == ["Apr", "May", "Jun", "Jul", "Aug", "Sep"]
    assert months["Apr"]["advice_consultation"] == 1  # A2
    assert months["May"] == dict.fromkeys(months["May"], 0)
    assert months["Jul"]["awareness_raising"] == 1  # A4
    assert months["Jul"]["relationship_building"] == 1  # A5
    assert months["Sep"]["awareness_raising"] == 1  # A7


def test_other_teams_see_none_of_it(log, other_broker):
    computed = compute_figures(
        team_access(other_broker, "west-midlands"), ReportPeriods.for_quarter(Q2)
    )
    values = {row.key: row.values for _title, row in computed.rows()}

    assert values["activities.total"] == (1, 0, 1)  # their own activity of 1 August only
    assert values["hours.total"] == (Decimal("10.0"), Decimal("0.0"), Decimal("10.0"))
    assert values["projects.submitted"] == (1, 0, 1)


@freeze_time("2025-10-15 10:00")
def test_the_page_shows_every_figure_beside_the_previous_quarter_and_year_to_date(
    log, client_for, lead
):
    url = reverse("evaluations:report_detail", kwargs={"team": "bristol", "quarter": "2025-q2"})
    response = client_for(lead).get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "2025/26 Q2 (Jul–Sep 2025)" in html
    assert '<tr class="fw-semibold" data-key="activities.total">' in html
    row = html.split('data-key="hours.total">')[1].split("</tr>")[0]
    assert [cell.split("</td>")[0] for cell in row.split('<td class="text-end">')[1:]] == [
        "2.1",
        "3.5",
        "5.6",
    ]
    awarded = html.split('data-key="projects.awarded">')[1].split("</tr>")[0]
    assert "£45,000.00" in awarded and "£12,000.50" in awarded and "£57,000.50" in awarded
    assert 'id="report-charts"' in html and "chart.umd.min.js" in html


@freeze_time("2025-10-15 10:00")
def test_an_evaluator_reads_the_report_without_contact_names(log, client_for, evaluator):
    url = reverse("evaluations:report_detail", kwargs={"team": "bristol", "quarter": "2025-q2"})
    response = client_for(evaluator).get(url)

    assert response.status_code == 200
    assert "Research contact" not in response.content.decode()
    assert "Sign off" not in response.content.decode()


def test_a_quarter_slug_that_is_not_a_quarter_is_404(client_for, lead):
    url = "/teams/bristol/reports/2025-q5/"
    assert client_for(lead).get(url).status_code == 404


@freeze_time("2025-10-15 10:00")
def test_a_team_whose_year_starts_in_january_reports_calendar_quarters(client_for):
    team = factories.TeamFactory(slug="calendar", year_start_month=1)
    profile = factories.BrokerFactory(team=team, membership="lead")
    factories.ActivityFactory(team=team, lead_broker=profile, date=datetime.date(2025, 3, 31))
    factories.ActivityFactory(team=team, lead_broker=profile, date=datetime.date(2025, 4, 1))
    access = team_access(profile.user, "calendar")

    q1 = compute_figures(access, ReportPeriods.for_quarter(Quarter(2025, 1, 1)))
    q2 = compute_figures(access, ReportPeriods.for_quarter(Quarter(2025, 2, 1)))

    assert {row.key: row.values for _t, row in q1.rows()}["activities.total"] == (1, 0, 1)
    # Q2 2025 (Apr–Jun): 1 April; previous Q1: 31 March; year to date from 1 January: both.
    assert {row.key: row.values for _t, row in q2.rows()}["activities.total"] == (1, 1, 2)


def test_a_period_of_whole_months_is_compared_with_as_many_months_before():
    periods = ReportPeriods.for_range(datetime.date(2025, 4, 1), datetime.date(2026, 3, 31))

    assert periods.previous.range == (datetime.date(2024, 4, 1), datetime.date(2025, 3, 31))
    assert periods.year_to_date.range == (datetime.date(2025, 4, 1), datetime.date(2026, 3, 31))
    assert periods.names == ("this_period", "previous_period", "year_to_date")


def test_a_period_of_days_is_compared_with_as_many_days_before():
    periods = ReportPeriods.for_range(datetime.date(2025, 7, 10), datetime.date(2025, 7, 19))

    # 10 days: 30 June to 9 July.
    assert periods.previous.range == (datetime.date(2025, 6, 30), datetime.date(2025, 7, 9))
    # The team's year holding 19 July 2025 started on 1 April 2025.
    assert periods.year_to_date.range == (datetime.date(2025, 4, 1), datetime.date(2025, 7, 19))


def test_a_period_of_whole_months_across_a_new_year_is_compared_with_the_months_before():
    periods = ReportPeriods.for_range(datetime.date(2025, 1, 1), datetime.date(2025, 2, 28))

    assert periods.previous.range == (datetime.date(2024, 11, 1), datetime.date(2024, 12, 31))


def test_an_activity_without_a_direction_is_not_recorded_rather_than_unclear(log, lead):
    factories.ActivityFactory(
        team=log.team, lead_broker=log.lee, date=datetime.date(2025, 8, 5), direction=""
    )
    computed = compute_figures(team_access(lead, log.team.slug), ReportPeriods.for_quarter(Q2))
    rows = {row.key: (row.breakdown, row.values) for _title, row in computed.rows()}

    assert rows["directions.unclear"] == ("Unclear", (1, 0, 1))  # A5 only
    assert rows["directions.blank"] == ("Not recorded", (1, 0, 1))  # the new one


def test_a_bid_decided_without_its_date_counts_as_still_open_and_the_sums_hold(log, lead):
    # Saved before the form asked for the decision date.
    factories.ProjectFactory(
        team=log.team,
        status="funded",
        submitted_on=datetime.date(2025, 8, 1),
        amount_requested=Decimal("1000"),
    )
    computed = compute_figures(team_access(lead, log.team.slug), ReportPeriods.for_quarter(Q2))
    rows = {row.key: row.values for _title, row in computed.rows()}

    assert rows["projects.submitted"] == (3, 2, 5)  # P1 P9 it | P2 P3 | all five
    assert rows["projects.bids.open"] == (2, 2, 2)  # P1 it | P2 P3 | P1 it
    assert rows["projects.bids.open.requested"][0] == Decimal("101000.00")
    assert rows["projects.funded"] == (1, 1, 2)  # not a decision of any period
