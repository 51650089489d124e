"""Changing the log of a signed-off quarter: a warning, a reason, and a lock the team may set.

The team's year starts in April, so 2025/26 Q2 is 1 July – 30 September 2025;
it is the quarter signed off here, and 2025/26 Q1 (April – June) is open.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, Outcome, Project
from evaluations.models import QuarterlyReport
from kmtracker.lib.quarters import Quarter
from tests import factories
from tests.activities.test_activity_form import form_data

pytestmark = pytest.mark.django_db

SIGNED = Quarter(2025, 2, 4)  # 1 Jul – 30 Sep 2025
REASON = "The attendance sheet arrived late"


@pytest.fixture(autouse=True)
def signed_off(team, lead):
    report = QuarterlyReport.of_quarter(team, SIGNED)
    report.signed_off_at = timezone.now()
    report.signed_off_by = lead
    report.frozen = {"figures": {}, "narrative": {}}
    report.save()
    return report


def url(name, team, **kwargs):
    return reverse(f"activities:{name}", kwargs={"team": team.slug, **kwargs})


def activity_of(user, date):
    profile = user.broker_profile
    return factories.ActivityFactory(team=profile.team, lead_broker=profile, date=date)


def edit(client, activity, **changes):
    fields = {"date": activity.date.isoformat(), "version": activity.version, **changes}
    data = form_data(activity.team, activity.lead_broker, **fields)
    return client.post(url("activity_edit", activity.team, pk=activity.pk), data)


def last_reason(record):
    return record.history.order_by("-history_date", "-history_id").first().history_change_reason


def lock(team):
    team.lock_signed_off_quarters = True
    team.save()


def test_editing_an_activity_of_a_signed_off_quarter_warns_and_asks_why(client_for, broker):
    activity = activity_of(broker, datetime.date(2025, 8, 20))

    page = client_for(broker).get(url("activity_edit", activity.team, pk=activity.pk))

    assert "signoff_reason" in page.context["form"].fields
    content = page.content.decode()
    assert "dated in 2025/26 Q2, whose report is signed off" in content
    assert 'name="signoff_reason"' in content


def test_without_a_reason_nothing_is_saved(client_for, broker):
    activity = activity_of(broker, datetime.date(2025, 8, 20))

    response = edit(client_for(broker), activity, title="Renamed")

    assert response.status_code == 200
    assert "signoff_reason" in response.context["form"].errors
    activity.refresh_from_db()
    assert activity.title != "Renamed"


def test_the_reason_is_kept_with_the_change(client_for, broker):
    activity = activity_of(broker, datetime.date(2025, 8, 20))

    response = edit(client_for(broker), activity, title="Renamed", signoff_reason=REASON)

    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Renamed"
    assert last_reason(activity) == REASON


def test_moving_an_activity_into_a_signed_off_quarter_asks_why(client_for, broker):
    activity = activity_of(broker, datetime.date(2025, 6, 30))  # Q1, open

    response = edit(client_for(broker), activity, date="2025-07-01")

    assert "signoff_reason" in response.context["form"].errors
    activity.refresh_from_db()
    assert activity.date == datetime.date(2025, 6, 30)


def test_moving_an_activity_out_of_a_signed_off_quarter_asks_why(client_for, broker):
    activity = activity_of(broker, datetime.date(2025, 9, 30))  # Q2, signed off

    response = edit(client_for(broker), activity, date="2025-10-01")

    assert "signoff_reason" in response.context["form"].errors


def test_an_open_quarter_asks_for_nothing(client_for, broker):
    activity = activity_of(broker, datetime.date(2025, 6, 30))

    page = client_for(broker).get(url("activity_edit", activity.team, pk=activity.pk))
    response = edit(client_for(broker), activity, title="Renamed")

    assert "signoff_reason" not in page.context["form"].fields
    assert response.status_code == 302
    assert last_reason(Activity.objects.get(pk=activity.pk)) in (None, "")


def test_logging_a_new_activity_in_a_signed_off_quarter_asks_why(client_for, team, broker):
    client = client_for(broker)
    data = form_data(team, broker.broker_profile, date="2025-07-01")

    refused = client.post(url("activity_add", team), data)
    logged = client.post(url("activity_add", team), {**data, "signoff_reason": REASON})

    assert "signoff_reason" in refused.context["form"].errors
    assert logged.status_code == 302
    assert last_reason(Activity.objects.get()) == REASON


def test_another_teams_sign_off_asks_nothing(client_for, other_team, team, broker):
    QuarterlyReport.objects.filter(team=team).update(team=other_team)
    activity = activity_of(broker, datetime.date(2025, 8, 20))

    response = edit(client_for(broker), activity, title="Renamed")

    assert response.status_code == 302


# A locked quarter: leads only.


def test_in_a_locked_quarter_a_broker_is_told_to_ask_a_lead(client_for, team, broker):
    lock(team)
    activity = activity_of(broker, datetime.date(2025, 8, 20))
    client = client_for(broker)

    page = client.get(url("activity_edit", team, pk=activity.pk))
    response = edit(client, activity, title="Renamed", signoff_reason=REASON)

    assert "only a team lead may add, change or delete" in page.content.decode()
    assert response.status_code == 200
    assert "Ask your team lead" in " ".join(response.context["form"].non_field_errors())
    activity.refresh_from_db()
    assert activity.title != "Renamed"


def test_in_a_locked_quarter_a_lead_may_change_with_a_reason(client_for, team, lead):
    lock(team)
    activity = activity_of(lead, datetime.date(2025, 8, 20))

    response = edit(client_for(lead), activity, title="Renamed", signoff_reason=REASON)

    assert response.status_code == 302
    assert last_reason(Activity.objects.get(pk=activity.pk)) == REASON


def test_the_lock_leaves_open_quarters_open(client_for, team, broker):
    lock(team)
    activity = activity_of(broker, datetime.date(2025, 6, 30))

    response = edit(client_for(broker), activity, title="Renamed")

    assert response.status_code == 302


# Deleting.


def test_deleting_an_activity_of_a_signed_off_quarter_needs_a_reason(client_for, team, broker):
    activity = activity_of(broker, datetime.date(2025, 8, 20))
    client = client_for(broker)
    delete_url = url("activity_delete", team, pk=activity.pk)

    page = client.get(delete_url)
    refused = client.post(delete_url)
    deleted = client.post(delete_url, {"signoff_reason": REASON})

    assert "whose report is signed off" in page.content.decode()
    assert refused.status_code == 200
    assert deleted.status_code == 302
    assert not Activity.objects.filter(pk=activity.pk).exists()
    removal = Activity.history.get(id=activity.pk, history_type="-")
    assert removal.history_change_reason == REASON


def test_a_broker_cannot_delete_from_a_locked_quarter(client_for, team, broker):
    lock(team)
    activity = activity_of(broker, datetime.date(2025, 8, 20))

    response = client_for(broker).post(
        url("activity_delete", team, pk=activity.pk), {"signoff_reason": REASON}
    )

    assert response.status_code == 200
    assert "only a team lead" in response.content.decode()
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_deleting_from_an_open_quarter_asks_nothing(client_for, team, broker):
    activity = activity_of(broker, datetime.date(2025, 6, 30))

    response = client_for(broker).post(url("activity_delete", team, pk=activity.pk))

    assert response.status_code == 302


# Outcomes and projects.


def assert_needs_reason(client, edit_url, data):
    """`data` posted to `edit_url` is refused without a reason and saved with one."""
    refused = client.post(edit_url, data)
    saved = client.post(edit_url, {**data, "signoff_reason": REASON})

    assert "signoff_reason" in refused.context["form"].errors
    assert saved.status_code == 302


def test_an_outcome_of_a_signed_off_quarter_needs_a_reason(client_for, team, broker):
    outcome = factories.OutcomeFactory(team=team, date=datetime.date(2025, 9, 1))
    data = {
        "activity": outcome.activity.pk,
        "project": "",
        "type": "connection_made",
        "capability_dimension": "",
        "date": "2025-09-01",
        "description": "Renamed outcome",
        "evidence": "",
        "confidence": "high",
        "value_gbp": "",
        "version": outcome.version,
    }
    assert_needs_reason(client_for(broker), url("outcome_edit", team, pk=outcome.pk), data)
    assert last_reason(Outcome.objects.get(pk=outcome.pk)) == REASON


def test_a_bid_submitted_in_a_signed_off_quarter_needs_a_reason(client_for, team, broker):
    project = factories.ProjectFactory(
        team=team, status=Project.Status.SUBMITTED, submitted_on=datetime.date(2025, 8, 15)
    )
    data = {
        "title": "Frailty evaluation",
        "kind": "research_bid",
        "status": "submitted",
        "lead_broker": "",
        "funder": "",
        "deadline": "",
        "amount_requested": "100000",
        "amount_awarded": "",
        "submitted_on": "2025-08-15",
        "decided_on": "",
        "description": "",
        "version": project.version,
    }
    assert_needs_reason(client_for(broker), url("project_edit", team, pk=project.pk), data)
    assert last_reason(Project.objects.get(pk=project.pk)) == REASON


# The team setting.


def test_a_lead_locks_signed_off_quarters_in_team_settings(client_for, team, lead):
    settings_url = reverse("team_settings:settings", kwargs={"team": team.slug})
    client = client_for(lead)

    page = client.get(settings_url)
    response = client.post(
        settings_url,
        {
            "name": team.name,
            "year_start_month": 4,
            "lock_signed_off_quarters": "on",
            "version": team.version,
        },
    )

    assert 'name="lock_signed_off_quarters"' in page.content.decode()
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.lock_signed_off_quarters is True
