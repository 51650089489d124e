"""The possible duplicates found in the background: a check per burst of changes, stored
once per team and count of changes, read against the contacts as they are now."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from activities.duplicate_checks import check_later, find_duplicates
from activities.merging import merge_contacts
from activities.models import DuplicateCheck
from teams.tenancy import team_access
from tests import factories
from tests.jobs.inline import end_pauses, run_due_jobs

pytestmark = pytest.mark.django_db


def page(client, team):
    return client.get(reverse("activities:contact_duplicates", kwargs={"team": team.slug}))


def waiting_checks():
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path__endswith="find_duplicates"
    )


def checked():
    end_pauses()
    return run_due_jobs()


@pytest.fixture
def twins(team):
    uob = factories.OrganisationFactory(name="University of Bristol")
    return [
        factories.ContactFactory(team=team, name=name, organisation=uob)
        for name in ("Dr Ayesha Brennan", "Ayesha Brennan")
    ]


def test_a_burst_of_changes_is_checked_once_after_the_delay(team, twins):
    # Two contacts saved: one check waiting, not yet due.
    [waiting] = waiting_checks()
    assert waiting.run_after > timezone.now() + datetime.timedelta(seconds=30)
    assert run_due_jobs() == 0
    twins[0].job_title = "Reader"
    twins[0].save()
    assert waiting_checks().count() == 1
    check = DuplicateCheck.objects.get(team=team)
    assert check.wanted == 3 and check.checked is None
    assert checked() == 1
    check.refresh_from_db()
    assert check.checked == 3 and check.is_current and not check.queued
    assert check.contacts == 2 and check.found == 1
    assert check.clusters[0]["contacts"] == [twins[0].pk, twins[1].pk]
    # A change after the check queues another.
    factories.ContactFactory(team=team, name="Someone Else")
    assert waiting_checks().count() == 1


def test_a_check_stores_once_and_never_over_a_newer_one(team, twins):
    check_later(team.pk, delay=0)
    wanted = DuplicateCheck.objects.get(team=team).wanted
    assert find_duplicates.call(team.pk) == 1
    stored = DuplicateCheck.objects.get(team=team)
    assert stored.checked == wanted
    # Run again for the same changes (a worker that died after storing): nothing stored.
    assert find_duplicates.call(team.pk) is None
    assert DuplicateCheck.objects.get(team=team).checked_at == stored.checked_at
    # A check that read fewer changes than the one stored does not overwrite it.
    DuplicateCheck.objects.filter(team=team).update(checked=wanted + 5, wanted=wanted + 5)
    DuplicateCheck.objects.filter(team=team).update(wanted=wanted + 1)
    find_duplicates.call(team.pk)
    assert DuplicateCheck.objects.get(team=team).checked == wanted + 5


def test_the_page_shows_the_stored_clusters_and_when(client_for, broker, team, twins):
    client = client_for(broker)
    body = page(client, team).content.decode()
    assert "Being checked" in body and "Dr Ayesha Brennan" not in body
    checked()
    response = page(client, team)
    body = response.content.decode()
    assert len(response.context["clusters"]) == 1 and "Dr Ayesha Brennan" in body
    check = DuplicateCheck.objects.get(team=team)
    assert f"Checked {timezone.localtime(check.checked_at):%Y-%m-%d %H:%M}" in body
    assert "Check again" in body and "Changes since" not in body
    # A third Brennan: shown once checked, the page saying a check is under way till then.
    factories.ContactFactory(
        team=team, name="Prof Ayesha Brennan", organisation=twins[0].organisation
    )
    response = page(client, team)
    assert "Changes since are being checked" in response.content.decode()
    assert len(response.context["clusters"][0].contacts) == 2
    checked()
    assert len(page(client, team).context["clusters"][0].contacts) == 3


def test_a_merged_contact_is_never_shown_even_before_the_check(client_for, lead, team, twins):
    third = factories.ContactFactory(
        team=team, name="Prof Ayesha Brennan", organisation=twins[0].organisation
    )
    checked()
    client = client_for(lead)
    assert len(page(client, team).context["clusters"][0].contacts) == 3
    merge_contacts(team_access(lead, team.slug), twins[0], [third], {"name": twins[0].name})
    [cluster] = page(client, team).context["clusters"]
    assert cluster.contacts == twins and third.name not in page(client, team).content.decode()
    merge_contacts(team_access(lead, team.slug), twins[0], [twins[1]], {"name": twins[0].name})
    assert page(client, team).context["clusters"] == []
    # The merge asked for a check; it finds nothing left.
    checked()
    check = DuplicateCheck.objects.get(team=team)
    assert check.is_current and check.clusters == []


def test_check_again_queues_a_check_at_once(client_for, broker, evaluator, team, twins):
    checked()
    url = reverse("activities:contact_duplicates_check", kwargs={"team": team.slug})
    assert client_for(evaluator).post(url).status_code == 403
    assert waiting_checks().count() == 0
    assert client_for(broker).post(url).status_code == 302
    assert waiting_checks().count() == 1
    assert run_due_jobs() == 1  # due at once: no pause ended


def test_a_team_never_checked_is_checked_on_its_first_visit(client_for, evaluator, team):
    # Contacts made before checks began: no check was ever asked for.
    factories.ContactFactory(team=team, name="Ayesha Brennan")
    DuplicateCheck.objects.filter(team=team).delete()
    DBTaskResult.objects.all().delete()

    assert "Being checked" in page(client_for(evaluator), team).content.decode()
    assert waiting_checks().count() == 1
    page(client_for(evaluator), team)
    assert waiting_checks().count() == 1  # one check, however many visits
    assert run_due_jobs() == 1
    assert DuplicateCheck.objects.get(team=team).checked is not None


def test_an_erased_contact_leaves_the_page_at_once(client_for, broker, team, twins):
    checked()
    twins[1].erase()
    assert page(client_for(broker), team).context["clusters"] == []


def test_deleting_a_team_deletes_its_check(team, twins):
    checked()
    team.delete()
    assert not DuplicateCheck.objects.exists()
    assert run_due_jobs() == 0


def test_contacts_imported_in_bulk_are_checked(client_for, broker, team, twins):
    from tests.activities.imports import csv_bytes
    from tests.activities.test_contact_import import HEADER, imported, row

    checked()
    client = client_for(broker)
    uob = twins[0].organisation.name
    imported(client, team, csv_bytes(HEADER, [row(name="Prof A. Brennan", organisation=uob)]))
    assert waiting_checks().count() == 1
    checked()
    assert len(page(client, team).context["clusters"][0].contacts) == 3
