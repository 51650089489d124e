"""Staff see the jobs in the admin: queued, waiting to be retried (with the error), failed,
and the request that enqueued each; failed jobs can be run again from there."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django_tasks import TaskResultStatus

from kmtracker.lib.log import request_id
from tests import factories
from tests.jobs import tasks
from tests.jobs.inline import job_row, run_due_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    user = factories.UserFactory(username="operator", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__endswith="dbtaskresult"))
    client.force_login(user)
    return client


def test_the_job_list_shows_each_state_and_the_last_error(staff_client):
    tasks.record_run.enqueue(1)
    run_due_jobs()
    token = request_id.set("req-admin-1")
    retrying = tasks.flaky.enqueue(failures=3)
    request_id.reset(token)
    failed = tasks.refuse.enqueue()
    run_due_jobs()
    queued = tasks.record_run.enqueue(2)

    page = staff_client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist"))
    text = page.content.decode()
    assert page.status_code == 200
    for shown in ("Successful", "waiting to be retried", "Failed", "Ready"):
        assert shown in text
    assert "ConnectionError: attempt 1: the server did not answer" in text
    assert "PermanentFailure: no such recipient" in text

    detail = staff_client.get(
        reverse("admin:django_tasks_database_dbtaskresult_change", args=[retrying.id])
    )
    assert "req-admin-1" in detail.content.decode()
    retrying_only = staff_client.get(
        reverse("admin:django_tasks_database_dbtaskresult_changelist") + "?state=retrying"
    )
    assert str(retrying.id) in retrying_only.content.decode()
    assert str(queued.id) not in retrying_only.content.decode()
    assert job_row(failed.id).status == TaskResultStatus.FAILED


def test_a_failed_job_can_be_run_again(staff_client):
    failed = tasks.refuse.enqueue()
    run_due_jobs()
    response = staff_client.post(
        reverse("admin:django_tasks_database_dbtaskresult_changelist"),
        {"action": "run_again", "_selected_action": [str(failed.id)]},
    )
    assert response.status_code == 302
    assert job_row(failed.id).status == TaskResultStatus.READY
    assert run_due_jobs() == 1


def test_members_who_are_not_staff_see_no_jobs(client, lead):
    client.force_login(lead)
    response = client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist"))
    assert response.status_code == 302  # to the admin's sign-in
