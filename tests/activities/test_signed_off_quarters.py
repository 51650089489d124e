"""Changing the log of a signed-off quarter: a warning, a reason, and a lock the team may set.

The team's year starts in April, so 2025/26 Q2 is 1 July – 30 September 2025;
it is the quarter signed off here, and 2025/26 Q1 (April – June) is open.
"""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, Outcome, Project
from evaluations.models import QuarterlyReport
from kmtracker.lib.quarters import Quarter
from tests import factories
from tests.activities.imports import confirm, csv_bytes, import_url, preview
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


# Imports ask as the forms do.

IMPORT_HEADER = ["date", "lead_broker", "category", "activity_type", "title", "direction"]


def import_file(*dates):
    rows = [
        [day, "broker", "awareness_raising", "Seminar delivered", f"Seminar {day}", "unclear"]
        for day in dates
    ]
    return csv_bytes(IMPORT_HEADER, rows)


def test_importing_into_a_signed_off_quarter_asks_why_and_keeps_the_reason(
    client_for, team, broker
):
    client = client_for(broker)
    page, token = preview(client, team, "activities", import_file("2025-05-01", "2025-08-20"))
    assert "dated in 2025/26 Q2, whose report is signed off" in page.content.decode()
    assert 'name="signoff_reason"' in page.content.decode()
    mapping = page.context["preview"].mapping

    refused = confirm(client, team, "activities", token, mapping)
    assert refused.status_code == 200 and refused.context["reason_missing"]
    assert not Activity.objects.exists()

    data = {"upload": token, "confirm": "1", "signoff_reason": REASON}
    data.update({f"map-{index}": name for index, name in enumerate(mapping)})
    assert client.post(import_url(team, "activities"), data).status_code == 302

    august = Activity.objects.get(date=datetime.date(2025, 8, 20))
    assert last_reason(august) == REASON


def test_importing_into_open_quarters_asks_nothing(client_for, team, broker):
    client = client_for(broker)
    page, token = preview(client, team, "activities", import_file("2025-05-01"))
    assert 'name="signoff_reason"' not in page.content.decode()

    response = confirm(client, team, "activities", token, page.context["preview"].mapping)

    assert response.status_code == 302 and Activity.objects.count() == 1


def test_a_broker_cannot_import_into_a_locked_quarter(client_for, team, broker):
    lock(team)
    client = client_for(broker)
    page, token = preview(client, team, "activities", import_file("2025-08-20"))
    assert "only a team lead may" in page.content.decode()

    data = {"upload": token, "confirm": "1", "signoff_reason": REASON}
    data.update({f"map-{i}": name for i, name in enumerate(page.context["preview"].mapping)})
    client.post(import_url(team, "activities"), data)

    assert not Activity.objects.exists()


def test_an_import_command_into_a_signed_off_quarter_records_its_name(team, broker, tmp_path):
    path = tmp_path / "activities.csv"
    path.write_bytes(import_file("2025-08-20"))

    call_command("import_csv", team.slug, "activities", str(path))

    assert last_reason(Activity.objects.get()) == "manage.py import_csv"


# The site administration asks too, and names itself when it deletes.


def admin_data(client, record, **changes):
    """What the admin's change form of `record` posts, as the page shows it, with `changes`."""
    name = f"admin:activities_{record._meta.model_name}_change"
    form = client.get(reverse(name, args=[record.pk])).context["adminform"].form
    data = {}
    for field in form:
        value = field.value()
        if isinstance(value, list | tuple):
            data[field.html_name] = [str(item) for item in value]
        elif isinstance(value, bool):
            if value:
                data[field.html_name] = "on"
        elif value is not None:
            data[field.html_name] = str(value)
    return reverse(name, args=[record.pk]), {**data, **changes}


def test_an_admin_edit_of_a_signed_off_quarter_needs_a_reason(client_for, team, admin_user):
    outcome = factories.OutcomeFactory(team=team, date=datetime.date(2025, 8, 20))
    client = client_for(admin_user)
    change_url, data = admin_data(client, outcome, description="Corrected")

    refused = client.post(change_url, data)
    assert refused.status_code == 200
    assert "signoff_reason" in refused.context["adminform"].form.errors
    assert Outcome.objects.get(pk=outcome.pk).description != "Corrected"

    assert client.post(change_url, {**data, "signoff_reason": REASON}).status_code == 302
    outcome.refresh_from_db()
    assert (outcome.description, last_reason(outcome)) == ("Corrected", REASON)


def test_an_admin_edit_of_an_open_quarter_needs_no_reason(client_for, team, admin_user):
    outcome = factories.OutcomeFactory(team=team, date=datetime.date(2025, 5, 20))
    client = client_for(admin_user)
    change_url, data = admin_data(client, outcome, description="Corrected")

    assert client.post(change_url, data).status_code == 302
    assert Outcome.objects.get(pk=outcome.pk).description == "Corrected"


def test_moving_a_project_into_a_signed_off_quarter_in_the_admin_needs_a_reason(
    client_for, team, admin_user
):
    project = factories.ProjectFactory(team=team, status="idea")
    client = client_for(admin_user)
    change_url, data = admin_data(client, project, status="submitted", submitted_on="2025-08-01")

    assert client.post(change_url, data).status_code == 200
    assert client.post(change_url, {**data, "signoff_reason": REASON}).status_code == 302
    assert last_reason(Project.objects.get(pk=project.pk)) == REASON


def test_an_admin_deletion_names_the_administration(client_for, broker, admin_user):
    activity = activity_of(broker, datetime.date(2025, 8, 20))
    delete_url = reverse("admin:activities_activity_delete", args=[activity.pk])

    client_for(admin_user).post(delete_url, {"post": "yes"})

    assert not Activity.objects.filter(pk=activity.pk).exists()
    record = Activity.history.filter(id=activity.pk, history_type="-").get()
    assert record.history_change_reason.startswith("Deleted in the site administration by")


# Outcomes and projects are deleted as activities are: with a reason in a signed-off quarter.


@pytest.mark.parametrize("kind", ["outcome", "project"])
def test_deleting_an_outcome_or_project_of_a_signed_off_quarter_needs_a_reason(
    client_for, team, broker, kind
):
    if kind == "outcome":
        record = factories.OutcomeFactory(team=team, date=datetime.date(2025, 8, 20))
    else:
        record = factories.ProjectFactory(
            team=team, status="submitted", submitted_on=datetime.date(2025, 8, 1)
        )
    client = client_for(broker)
    delete_url = url(f"{kind}_delete", team, pk=record.pk)

    page = client.get(delete_url).content.decode()
    assert "whose report is signed off" in page and 'name="signoff_reason"' in page
    assert client.post(delete_url).status_code == 200
    assert type(record).objects.filter(pk=record.pk).exists()

    response = client.post(delete_url, {"signoff_reason": REASON})

    assert response.status_code == 302
    assert not type(record).objects.filter(pk=record.pk).exists()
    deleted = type(record).history.get(id=record.pk, history_type="-")
    assert deleted.history_change_reason == REASON


def test_a_broker_cannot_delete_a_project_of_a_locked_quarter(client_for, team, broker):
    lock(team)
    project = factories.ProjectFactory(
        team=team, status="funded", decided_on=datetime.date(2025, 9, 1)
    )

    client_for(broker).post(url("project_delete", team, pk=project.pk), {"signoff_reason": REASON})

    assert Project.objects.filter(pk=project.pk).exists()


def test_a_deleted_projects_activities_stay_and_their_history_says_so(client_for, team, broker):
    project = factories.ProjectFactory(team=team, status="idea")
    activity = factories.ActivityFactory(
        team=team,
        lead_broker=broker.broker_profile,
        project=project,
        date=datetime.date(2025, 5, 1),
    )
    outcome = factories.OutcomeFactory(team=team, project=project, date=datetime.date(2025, 5, 2))

    response = client_for(broker).post(url("project_delete", team, pk=project.pk))

    assert response["Location"] == url("project_list", team)
    activity.refresh_from_db()
    assert activity.project is None
    assert activity.history.latest().project_id is None  # the change is in its history
    assert not Outcome.objects.filter(pk=outcome.pk).exists()


def test_deleting_an_outcome_of_an_open_quarter_asks_nothing(client_for, team, broker):
    outcome = factories.OutcomeFactory(team=team, date=datetime.date(2025, 5, 20))

    response = client_for(broker).post(url("outcome_delete", team, pk=outcome.pk))

    assert response["Location"] == url("outcome_list", team)
    assert not Outcome.objects.filter(pk=outcome.pk).exists()
