"""Two leads writing the same quarter's narrative: the second save is refused and merged."""

import pytest
from django.urls import reverse

from evaluations.models import QuarterlyReport
from tests import factories

pytestmark = pytest.mark.django_db


def narrative_url(team):
    return reverse("evaluations:report_narrative", kwargs={"team": team.slug, "quarter": "2025-q2"})


@pytest.fixture
def second_lead(team):
    return factories.BrokerFactory(
        team=team, user=factories.UserFactory(username="lead2"), membership="lead"
    ).user


def test_a_stale_narrative_is_refused_showing_both_and_then_merged(
    client_for, team, lead, second_lead
):
    client_for(lead).post(
        narrative_url(team), {"highlights": "First draft", "challenges": "", "plans": ""}
    )
    opened_at = QuarterlyReport.objects.get().version
    client_for(lead).post(
        narrative_url(team),
        {"highlights": "Ten seminars", "challenges": "", "plans": "", "version": opened_at},
    )

    client = client_for(second_lead)
    stale = {
        "highlights": "First draft",
        "challenges": "",
        "plans": "Two bids",
        "version": opened_at,
    }
    refused = client.post(narrative_url(team), stale)

    assert refused.status_code == 409
    differences = {d.name: (d.yours, d.saved) for d in refused.context["conflict"].differences}
    assert differences == {
        "highlights": ("First draft", "Ten seminars"),
        "plans": ("Two bids", "—"),
    }
    assert QuarterlyReport.objects.get().plans == ""

    merged = refused.context["form"].data.copy()
    merged["merge_highlights"] = "saved"
    response = client.post(narrative_url(team), merged)

    assert response.status_code == 302
    report = QuarterlyReport.objects.get()
    assert (report.highlights, report.plans) == ("Ten seminars", "Two bids")


def test_a_narrative_begun_before_the_report_existed_does_not_overwrite_it(
    client_for, team, lead, second_lead
):
    blank = client_for(second_lead).get(narrative_url(team)).context["form"]
    client_for(lead).post(
        narrative_url(team), {"highlights": "Ten seminars", "challenges": "", "plans": ""}
    )

    response = client_for(second_lead).post(
        narrative_url(team),
        {
            "highlights": "Two bids",
            "challenges": "",
            "plans": "",
            "version": blank["version"].value(),
        },
    )

    assert response.status_code == 409
    assert QuarterlyReport.objects.get().highlights == "Ten seminars"
