"""A living narrative: figures named in braces show the quarter's figure from the log until
sign-off, then the figure signed off with it; a name the report has not is refused.

Figures of 2025/26 Q2 from the hand-worked log (tests/evaluations/quarter_fixture.py):
4 activities (A4-A7), 2.1 hours (125 minutes), new contacts: clinical 1 (A5), patient and
public 1 (A7), commissioning 0 (first seen in A2, the previous quarter).
"""

import datetime

import pytest
from freezegun import freeze_time

from evaluations.models import QuarterlyReport
from evaluations.studies import report_text
from tests import factories
from tests.evaluations.quarter_fixture import build_logbook
from tests.evaluations.test_quarterly_report_signoff import report, sign_off, url

pytestmark = pytest.mark.django_db

HIGHLIGHTS = (
    "We logged **{activities.total}** activities ({hours.total} hours) and met "
    "{new_contacts.clinical} new clinician; {new_contacts.commissioning} new commissioners."
)
FILLED = (
    "We logged <strong>{total}</strong> activities (2.1 hours) and met 1 new clinician; "
    "0 new commissioners."
)


@pytest.fixture
def log(team, lead, broker):
    with freeze_time("2025-10-01 12:00"):
        return build_logbook(team, lead, broker)


def write(client, highlights, challenges=""):
    return client.post(
        url("report_narrative"), {"highlights": highlights, "challenges": challenges, "plans": ""}
    )


def add_activity(team, broker):
    factories.ActivityFactory(
        team=team,
        lead_broker=broker.broker_profile,
        date=datetime.date(2025, 8, 1),
        duration_minutes=None,  # so that the hours stay 2.1
    )


@freeze_time("2025-10-10 09:00")
def test_placeholders_show_the_live_figures_of_an_open_report(log, client_for, lead, team):
    client = client_for(lead)
    assert write(client, HIGHLIGHTS).status_code == 302

    assert FILLED.format(total=4) in client.get(url("report_detail")).content.decode()
    add_activity(team, lead)
    assert FILLED.format(total=5) in client.get(url("report_detail")).content.decode()
    assert FILLED.format(total=5) in client.get(url("report_print")).content.decode()
    assert report().highlights == HIGHLIGHTS  # what is stored is what the lead wrote


def test_placeholders_freeze_with_the_sign_off(log, client_for, lead, broker, team):
    client = client_for(lead)
    with freeze_time("2025-10-10 09:00"):
        write(client, HIGHLIGHTS)
    sign_off(client)
    with freeze_time("2025-10-20 09:00"):
        add_activity(team, broker)  # the log moves after the sign-off

        page = client.get(url("report_detail")).content.decode()
        current = client.get(url("report_detail") + "?figures=current").content.decode()

    assert FILLED.format(total=4) in page
    assert FILLED.format(total=4) in current  # the narrative is the one signed off
    assert "All activities" in current and ">5<" in current  # while the table moved on
    signed = QuarterlyReport.objects.get(pk=report().pk)
    assert "We logged **4** activities (2.1 hours)" in report_text(signed)


def test_an_unknown_placeholder_is_an_error_beside_its_field(log, client_for, lead):
    response = write(client_for(lead), "Fine {activities.total}", "{activities.totl} {nope}")

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {
        "challenges": [
            "No figures of the report named {activities.totl}, {nope}: use one listed beside "
            "the form, or write \\{ for a brace."
        ]
    }
    assert not QuarterlyReport.objects.exists()


def test_an_escaped_brace_is_written_as_a_brace(log, client_for, lead):
    client = client_for(lead)
    assert write(client, "Set notation \\{nope} and {activities.total}").status_code == 302

    with freeze_time("2025-10-10 09:00"):
        page = client.get(url("report_detail")).content.decode()

    assert "Set notation {nope} and 4" in page


@freeze_time("2025-10-10 09:00")
def test_the_form_lists_the_placeholders_with_their_figures_now(log, client_for, lead):
    page = client_for(lead).get(url("report_narrative")).content.decode()

    assert "Figures you can write" in page
    for name, line in [
        ("{activities.total}", "All activities: 4"),
        ("{hours.total}", "2.1"),
        ("{new_contacts.clinical}", "Clinical: 1"),
    ]:
        assert name in page
        assert line in page
