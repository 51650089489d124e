"""Narrative, sign-off and reopening: who may do them, what is frozen, what shows later."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from freezegun import freeze_time

from evaluations.models import QuarterlyReport, ReportEvent
from evaluations.reports.computation import compute_figures
from evaluations.reports.figures import ReportFigures, Row, Section
from evaluations.reports.pages import differences
from evaluations.reports.periods import ReportPeriods
from kmtracker.lib.quarters import Quarter
from tests import factories
from tests.evaluations.quarter_fixture import build_logbook

pytestmark = pytest.mark.django_db

SIGNED_OFF_AT = "2025-10-15 10:00"
EDITED_AT = "2025-10-20 09:30"


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def log(team, lead, broker):
    with freeze_time("2025-10-01 12:00"):
        return build_logbook(team, lead, broker)


def url(name, quarter="2025-q2", team="bristol"):
    return reverse(f"evaluations:{name}", kwargs={"team": team, "quarter": quarter})


def report():
    return QuarterlyReport.objects.get(team__slug="bristol", start_year=2025, number=2)


def sign_off(client):
    with freeze_time(SIGNED_OFF_AT):
        return client.post(url("report_signoff"))


def frozen_value(key, column=0):
    rows = [row for section in report().frozen["figures"]["sections"] for row in section["rows"]]
    return next(row["values"][column] for row in rows if row["key"] == key)


# Sign-off freezes the figures and the narrative.


def test_the_lead_signs_off_and_the_figures_are_frozen_with_who_and_when(log, client_for, lead):
    response = sign_off(client_for(lead))

    assert response.status_code == 302
    assert response["Location"] == url("report_detail")
    signed = report()
    assert signed.signed_off_by == lead
    assert signed.signed_off_at == datetime.datetime(2025, 10, 15, 10, 0, tzinfo=datetime.UTC)
    assert frozen_value("activities.total") == "4"  # A4 A5 A6 A7
    assert frozen_value("hours.total") == "2.1"  # 125 minutes
    event = ReportEvent.objects.get()
    assert (event.action, event.user, event.at) == ("signed_off", lead, signed.signed_off_at)
    assert event.snapshot == signed.frozen


def test_signing_off_freezes_the_narrative(log, client_for, lead):
    client = client_for(lead)
    client.post(
        url("report_narrative"), {"highlights": "First version", "challenges": "", "plans": ""}
    )
    sign_off(client)

    QuarterlyReport.objects.filter(pk=report().pk).update(highlights="Changed behind the form")
    page = client.get(url("report_detail")).content.decode()

    assert report().frozen["narrative"]["highlights"] == "First version"
    assert "First version" in page
    assert "Changed behind the form" not in page


def test_signing_off_twice_keeps_the_first_sign_off(log, client_for, lead):
    client = client_for(lead)
    sign_off(client)
    with freeze_time("2025-10-16 10:00"):
        client.post(url("report_signoff"))

    assert ReportEvent.objects.count() == 1
    assert report().signed_off_at.day == 15


def test_a_signed_off_narrative_cannot_be_changed_until_reopened(log, client_for, lead):
    client = client_for(lead)
    client.post(url("report_narrative"), {"highlights": "Submitted", "challenges": "", "plans": ""})
    sign_off(client)

    response = client.post(
        url("report_narrative"), {"highlights": "Rewritten", "challenges": "", "plans": ""}
    )

    assert response.status_code == 302
    assert report().highlights == "Submitted"


# Later changes to the log show, never silently.


def test_a_later_edit_shows_as_a_difference_against_the_frozen_figures(log, client_for, lead):
    client = client_for(lead)
    sign_off(client)
    with freeze_time(EDITED_AT):
        a5 = log.activity[5]
        a5.duration_minutes = 90  # was 30: Q2 hours 125 -> 185 min = 3.1 h
        a5.save()
        factories.ActivityFactory(
            team=log.team, lead_broker=log.bea, title="Logged late", date=datetime.date(2025, 9, 2)
        )
        log.activity[7].delete()  # A7, 30 Sep

    response = client.get(url("report_detail"))
    page = response.content.decode()

    # The page shows the figures as signed off ...
    total = page.split('data-key="activities.total">')[1].split("</tr>")[0]
    assert '<td class="text-end">4</td>' in total
    # ... and lists each figure whose value differs, frozen against current.
    differences = {
        (d.section, d.breakdown, column): change
        for d in response.context["differences"]
        for column, change in d.changes.items()
    }
    # Activities: +1 logged late, -1 A7 deleted: still 4 this quarter and 6 in the year.
    assert ("Activities", "All activities", "This quarter") not in differences
    # Hours: 125 min + 60 (A5 now 90) + 60 (logged late) - 50 (A7) = 195 min = 3.25 h.
    assert differences[("Hours of brokering", "All activities", "This quarter")] == (
        Decimal("2.1"),
        Decimal("3.3"),
    )
    assert differences[("Activities", "Awareness raising", "This quarter")] == (2, 1)  # A7 gone
    assert differences[("Activities", "Relationship building", "Year to date")] == (1, 2)
    assert differences[("Events: attendees", "All events", "This quarter")] == (37, 25)
    # Unchanged columns of a changed figure are not differences.
    assert ("Activities", "Awareness raising", "Previous quarter") not in differences
    assert "Figures that changed since sign-off" in page
    # ... and which activities of the quarter changed since sign-off.
    changed = {item.title: item.action for item in response.context["changed_activities"]}
    assert changed == {"A5": "changed", "Logged late": "added", "A7": "deleted"}


def test_moving_a_project_after_sign_off_is_no_difference(log, client_for, lead):
    client = client_for(lead)
    sign_off(client)
    with freeze_time(EDITED_AT):
        log.project[1].status = "funded"  # submitted on 30 Sep, and it still was
        log.project[1].save()
        factories.ProjectFactory(team=log.team, status="idea")

    assert client.get(url("report_detail")).context["differences"] == []


def test_a_corrected_status_history_of_the_quarter_shows_as_a_difference(log, client_for, lead):
    client = client_for(lead)
    sign_off(client)
    # P7 was recorded as moving to developing on 1 Aug; that record was wrong, and is removed:
    # P7 was still an idea on 30 Sep.
    log.project[7].history.filter(status="developing").delete()

    response = client.get(url("report_detail"))
    differences = {
        (d.breakdown, column): change
        for d in response.context["differences"]
        if d.section == "Open pipeline (at the end of the period)"
        for column, change in d.changes.items()
    }

    assert differences == {
        ("Idea", "This quarter"): (0, 1),
        ("Idea", "Year to date"): (0, 1),
        ("Developing", "This quarter"): (2, 1),
        ("Developing", "Year to date"): (2, 1),
    }


def test_the_log_figures_of_a_signed_off_quarter_can_be_shown_on_request(log, client_for, lead):
    client = client_for(lead)
    sign_off(client)
    with freeze_time(EDITED_AT):
        factories.ActivityFactory(
            team=log.team, lead_broker=log.bea, date=datetime.date(2025, 9, 2)
        )

    frozen = client.get(url("report_detail")).context["figures"]
    current = client.get(url("report_detail"), {"figures": "current"}).context["figures"]

    assert frozen.section("activities").rows[0].values == (4, 2, 6)
    assert current.section("activities").rows[0].values == (5, 2, 7)


def test_an_unchanged_log_shows_no_difference(log, client_for, lead):
    client = client_for(lead)
    sign_off(client)

    response = client.get(url("report_detail"))

    assert response.context["differences"] == []
    assert response.context["changed_activities"] == []
    assert "The log still gives the same figures." in response.content.decode()


def test_a_change_to_an_activity_of_another_quarter_is_not_listed(log, client_for, lead):
    client = client_for(lead)
    sign_off(client)
    with freeze_time(EDITED_AT):
        log.activity[8].title = "A8 renamed"  # 1 October: Q3
        log.activity[8].save()

    assert client.get(url("report_detail")).context["changed_activities"] == []


# Reopening.


def test_the_lead_reopens_a_quarter_and_it_is_recorded(log, client_for, lead):
    client = client_for(lead)
    sign_off(client)
    with freeze_time("2025-10-18 14:00"):
        response = client.post(url("report_reopen"), {"note": "Two seminars logged late"})

    assert response.status_code == 302
    reopened = report()
    assert not reopened.is_signed_off and reopened.frozen is None
    events = list(reopened.events.order_by("at"))
    assert [(e.action, e.user, e.note) for e in events] == [
        ("signed_off", lead, ""),
        ("reopened", lead, "Two seminars logged late"),
    ]
    assert events[0].snapshot["figures"]  # what was submitted is kept
    assert events[1].at == datetime.datetime(2025, 10, 18, 14, 0, tzinfo=datetime.UTC)
    page = client.get(url("report_detail")).content.decode()
    assert "Reopened" in page and "Two seminars logged late" in page


def test_a_reopened_quarter_can_be_signed_off_again(log, client_for, lead):
    client = client_for(lead)
    sign_off(client)
    with freeze_time("2025-10-18 10:00"):
        client.post(url("report_reopen"))
    with freeze_time("2025-10-19 10:00"):
        client.post(url("report_signoff"))

    assert report().is_signed_off
    assert list(report().events.order_by("at").values_list("action", flat=True)) == [
        "signed_off",
        "reopened",
        "signed_off",
    ]


# Only the lead writes; everyone in the team reads; other teams see nothing.


@pytest.mark.parametrize("persona", ["broker", "evaluator"])
@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("report_narrative", "get"),
        ("report_narrative", "post"),
        ("report_signoff", "post"),
        ("report_reopen", "post"),
    ],
)
def test_only_the_lead_writes_the_narrative_and_signs_off(
    log, client_for, request, persona, name, method
):
    client = client_for(request.getfixturevalue(persona))
    data = {"highlights": "Mine now", "challenges": "", "plans": ""} if method == "post" else None

    response = getattr(client, method)(url(name), data)

    assert response.status_code == 403
    assert not QuarterlyReport.objects.exists()


@pytest.mark.parametrize("name", ["report_narrative", "report_signoff", "report_reopen"])
def test_another_teams_lead_gets_404(log, client_for, other_team, name):
    outsider = factories.BrokerFactory(team=other_team, membership="lead").user

    assert client_for(outsider).post(url(name)).status_code == 404


def test_signing_off_needs_a_post(log, client_for, lead):
    assert client_for(lead).get(url("report_signoff")).status_code == 405
    assert not QuarterlyReport.objects.exists()


@pytest.mark.parametrize("persona", ["broker", "evaluator"])
def test_brokers_and_evaluators_read_the_narrative_but_get_no_buttons(
    log, client_for, lead, request, persona
):
    client_for(lead).post(
        url("report_narrative"), {"highlights": "A *good* quarter", "challenges": "", "plans": ""}
    )
    reader = client_for(request.getfixturevalue(persona))

    page = reader.get(url("report_detail")).content.decode()

    assert "A <em>good</em> quarter" in page
    assert url("report_signoff") not in page
    assert url("report_narrative") not in page


# The narrative is Markdown, rendered safely.


def test_the_narrative_markdown_is_rendered_and_sanitised(log, client_for, lead):
    client = client_for(lead)
    response = client.post(
        url("report_narrative"),
        {
            "highlights": "**Ten** seminars\n\n- one\n- two\n\n<script>alert('x')</script>",
            "challenges": '[click](javascript:alert(1)) <img src=x onerror="alert(2)">',
            "plans": "<b onclick='steal()'>Plans</b>",
        },
    )
    assert response.status_code == 302

    page = client.get(url("report_detail")).content.decode()

    assert "<strong>Ten</strong> seminars" in page
    assert "<li>one</li>" in page
    assert "alert('x')" not in page and "<script>alert" not in page
    assert "javascript:" not in page
    assert "onerror" not in page and "onclick" not in page
    assert "<b>Plans</b>" in page


def test_the_narrative_form_shows_the_saved_text(log, client_for, lead):
    client = client_for(lead)
    client.post(url("report_narrative"), {"highlights": "Kept", "challenges": "", "plans": "Next"})

    form = client.get(url("report_narrative")).context["form"]

    assert (form.initial["highlights"], form.initial["plans"]) == ("Kept", "Next")
    assert QuarterlyReport.objects.count() == 1


@freeze_time("2025-09-01 10:00")
def test_signing_off_a_quarter_that_has_not_ended_warns_first(log, client_for, lead):
    page = client_for(lead).get(url("report_detail")).content.decode()

    assert "This quarter runs until 30 September 2025" in page


@freeze_time("2025-10-01 10:00")
def test_no_warning_once_the_quarter_has_ended(log, client_for, lead):
    page = client_for(lead).get(url("report_detail")).content.decode()

    assert 'data-testid="quarter-running"' not in page


def test_a_figure_on_one_side_only_counts_as_zero_on_the_other():
    periods = ReportPeriods.for_quarter(Quarter(2025, 2))
    frozen = ReportFigures(
        [Section("brokers", "Activities by broker", "", [Row("brokers.1", "Ann", (2, 1, 3))])], []
    )
    current = ReportFigures(
        [Section("brokers", "Activities by broker", "", [Row("brokers.2", "Ben", (1, 0, 1))])], []
    )

    found = {(d.breakdown, column): change for d in differences(frozen, current, periods)
             for column, change in d.changes.items()}  # fmt: skip

    assert found == {
        ("Ben", "This quarter"): (0, 1),  # a broker who had nothing at sign-off
        ("Ben", "Year to date"): (0, 1),
        ("Ann", "This quarter"): (2, 0),  # a broker whose activities were all moved or deleted
        ("Ann", "Previous quarter"): (1, 0),
        ("Ann", "Year to date"): (3, 0),
    }


def test_a_snapshot_reads_back_as_the_same_figures(log, lead):
    from teams.tenancy import team_access

    figures = compute_figures(
        team_access(lead, "bristol"), ReportPeriods.for_quarter(Quarter(2025, 2))
    )
    stored = json.loads(json.dumps(figures.to_json(), cls=DjangoJSONEncoder))

    again = ReportFigures.from_json(stored)

    assert again == figures
    assert again.section("hours").rows[0].values == (Decimal("2.1"), Decimal("3.5"), Decimal("5.6"))
