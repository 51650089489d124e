"""The report opens with the figures a board asks about, each against the previous quarter.

From tests/evaluations/quarter_fixture.py, 2025/26 Q2 against Q1, by hand:

    activities        A4 A5 A6 A7 = 4      against A2 A3 = 2           up 2
    people engaged    commissioning, clinical, research, patient = 4
                      against commissioning, research = 2                up 2
    new people        clinical, patient = 2 against commissioning = 1    up 1
    events            A4 A7 = 2 against A3 = 1                           up 1
    attendees         25 + 12 = 37 against 40                            down 3
    bids submitted    P1 P9 = 2 against P2 P3 = 2                        the same
    amount requested  100,000 + 5,000 = 105,000 against 50,000 + 20,000  up 35,000
    bids funded       P2 (1 Jul) = 1 against P5 (15 Jun) = 1             the same
    amount awarded    45,000 against 12,000.50                           up 32,999.50
    outcomes          O1 O2 = 2 against O3 = 1                           up 1
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from evaluations.reports.computation import compute_figures
from evaluations.reports.key_figures import key_figures
from evaluations.reports.periods import ReportPeriods
from kmtracker.lib.quarters import Quarter
from teams.tenancy import TeamAccess
from tests.evaluations.quarter_fixture import build_logbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(team, lead, broker, other_team):
    return build_logbook(team, lead, broker, other_team)


def test_the_key_figures_against_the_previous_quarter(log, team, lead):
    figures = compute_figures(
        TeamAccess(team, lead, "lead"), ReportPeriods.for_quarter(Quarter(2025, 2))
    )

    found = {
        item.key: (item.current, item.previous, item.direction) for item in key_figures(figures)
    }

    assert found == {
        "activities.total": (4, 2, "up"),
        "contacts.total": (4, 2, "up"),
        "new_contacts.total": (2, 1, "up"),
        "events.total": (2, 1, "up"),
        "attendees.total": (37, 40, "down"),
        "projects.submitted": (2, 2, "same"),
        "projects.requested": (Decimal("105000"), Decimal("70000"), "up"),
        "projects.funded": (1, 1, "same"),
        "projects.awarded": (Decimal("45000"), Decimal("12000.50"), "up"),
        "outcomes.total": (2, 1, "up"),
    }


def test_the_report_page_opens_with_them_arrows_hidden_words_read(log, client_for, lead):
    page = client_for(lead).get(
        reverse("evaluations:report_detail", kwargs={"team": "bristol", "quarter": "2025-q2"})
    )
    content = page.content.decode()

    assert content.index('data-testid="key-figures"') < content.index('id="figures-heading"')
    assert '<span aria-hidden="true">↓ 3</span>' in content
    assert '<span class="visually-hidden">down 3 on the previous quarter</span>' in content
    assert "the same as the previous quarter" in content
    assert "up £32,999.50 on the previous quarter" in content
