"""Two people editing the same record: the second save is refused, shows both versions
field by field, writes nothing, and a merge then goes through."""

import threading

import pytest
from django.db import connection, transaction
from django.urls import reverse

from activities.models import Activity, Contact, Outcome, Project
from kmtracker.lib.versioning import VersionConflict
from kmtracker.lib.waiting import scaled
from tests import factories
from tests.activities.test_activity_form import form_data

pytestmark = pytest.mark.django_db


def edit_url(activity):
    return reverse(
        "activities:activity_edit", kwargs={"team": activity.team.slug, "pk": activity.pk}
    )


@pytest.fixture
def activity(team, broker):
    return factories.ActivityFactory(
        team=team,
        lead_broker=broker.broker_profile,
        title="Frailty network",
        description="First notes.",
        duration_minutes=60,
    )


def opened_form(activity, **changes):
    """The edit form as it was posted by someone who opened it at `activity.version`."""
    current = {"title": activity.title, "date": activity.date.isoformat(), "version": 1}
    return form_data(activity.team, activity.lead_broker, **{**current, **changes})


def test_a_save_over_a_newer_version_is_refused_and_shows_both_values(
    client_for, broker, lead, activity
):
    client_for(lead).post(edit_url(activity), opened_form(activity, title="Frailty network (ICB)"))
    history_before = activity.history.count()

    response = client_for(broker).post(
        edit_url(activity), opened_form(activity, title="Frailty hub network")
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this record while you were editing it" in page
    conflict = response.context["conflict"]
    title = next(d for d in conflict.differences if d.name == "title")
    assert (title.yours, title.saved) == ("Frailty hub network", "Frailty network (ICB)")
    assert conflict.saved_by == lead
    choice = page.index('name="merge_title" value="saved"')
    edit_form = page[page.rindex("<form", 0, choice) : page.index("</form>", choice)]
    assert 'name="version"' in edit_form  # the choices are sent with the form
    # The form keeps the editor's values and now carries the saved version.
    assert response.context["form"]["title"].value() == "Frailty hub network"
    assert response.context["form"]["version"].value() == "2"
    activity.refresh_from_db()
    assert (activity.title, activity.version) == ("Frailty network (ICB)", 2)
    assert activity.history.count() == history_before


def test_only_the_fields_that_differ_are_listed(client_for, broker, lead, activity):
    client_for(lead).post(edit_url(activity), opened_form(activity, duration_minutes="90"))

    response = client_for(broker).post(
        edit_url(activity), opened_form(activity, title="Frailty hub network")
    )

    names = {d.name for d in response.context["conflict"].differences}
    # The editor changed the title; the other saved a new duration the editor never saw.
    assert names == {"title", "duration_minutes"}


def test_keeping_mine_for_one_field_and_theirs_for_another_merges_both(
    client_for, broker, lead, activity
):
    client_for(lead).post(
        edit_url(activity),
        opened_form(activity, duration_minutes="90", description="The lead's notes."),
    )
    client = client_for(broker)
    refused = client.post(
        edit_url(activity),
        opened_form(activity, title="Frailty hub network", description="The broker's notes."),
    )
    merge = refused.context["form"].data.copy()
    merge["merge_duration_minutes"] = "saved"  # the lead's 90 minutes
    merge["merge_description"] = "saved"  # the lead's notes
    merge["merge_title"] = "mine"  # the broker's title

    response = client.post(edit_url(activity), merge)

    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.title, activity.duration_minutes, activity.description) == (
        "Frailty hub network",
        90,
        "The lead's notes.",
    )
    assert activity.version == 3


def test_a_merge_is_refused_again_when_yet_another_save_came_first(
    client_for, broker, lead, activity
):
    client_for(lead).post(edit_url(activity), opened_form(activity, title="Second"))
    refused = client_for(broker).post(edit_url(activity), opened_form(activity, title="Mine"))
    client_for(lead).post(edit_url(activity), opened_form(activity, title="Third", version=2))

    response = client_for(broker).post(edit_url(activity), refused.context["form"].data)

    assert response.status_code == 409
    activity.refresh_from_db()
    assert activity.title == "Third"


def test_an_edit_without_the_version_is_a_form_error(client_for, broker, activity):
    data = opened_form(activity, title="Changed", version=None)

    response = client_for(broker).post(edit_url(activity), data)

    assert response.status_code == 200
    assert "does not say which version" in response.content.decode()
    activity.refresh_from_db()
    assert activity.title == "Frailty network"


@pytest.mark.parametrize(
    ("kind", "name", "fields"),
    [
        ("contact", "contact_edit", {"name": "Ada King", "community": "research"}),
        ("project", "project_edit", {"title": "Falls bid", "kind": "research_bid"}),
        ("outcome", "outcome_edit", {"type": "output", "date": "2025-05-20"}),
    ],
)
def test_contacts_projects_and_outcomes_refuse_a_stale_save(
    client_for, team, broker, kind, name, fields
):
    record = {
        "contact": lambda: factories.ContactFactory(team=team, name="Ada", community="research"),
        "project": lambda: factories.ProjectFactory(team=team, title="Falls"),
        "outcome": lambda: factories.OutcomeFactory(team=team, description="Met"),
    }[kind]()
    data = {**fields, "status": "developing", "confidence": "medium", "version": 1}
    if kind == "outcome":
        data |= {"activity": record.activity_id, "description": "Met the ICB"}
    record.save()  # someone else saved it: now at version 2
    url = reverse(f"activities:{name}", kwargs={"team": team.slug, "pk": record.pk})

    response = client_for(broker).post(url, data)

    assert response.status_code == 409
    assert response.context["conflict"].differences
    model = type(record)
    assert model.objects.get(pk=record.pk).version == 2


def test_the_model_refuses_a_save_from_a_stale_copy(activity):
    mine, theirs = Activity.objects.get(pk=activity.pk), Activity.objects.get(pk=activity.pk)
    theirs.title = "Theirs"
    theirs.save()
    mine.title = "Mine"

    with pytest.raises(VersionConflict), transaction.atomic():
        mine.save()

    activity.refresh_from_db()
    assert (activity.title, activity.version) == ("Theirs", 2)


@pytest.mark.parametrize("model", [Activity, Contact, Outcome, Project])
def test_new_records_start_at_version_one(model):
    assert model._meta.get_field("version").default == 1


def test_a_bulk_update_moves_the_version_on_so_an_open_form_is_refused(
    client_for, broker, activity
):
    Activity.objects.filter(pk=activity.pk).update_with_history(duration_minutes=30)

    response = client_for(broker).post(edit_url(activity), opened_form(activity, title="Mine"))

    assert response.status_code == 409
    activity.refresh_from_db()
    assert (activity.title, activity.duration_minutes, activity.version) == (
        "Frailty network",
        30,
        2,
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks of PostgreSQL")
def test_of_two_concurrent_transactions_saving_the_same_version_one_is_refused(team, broker):
    activity = factories.ActivityFactory(team=team, lead_broker=broker.broker_profile)
    both_have_read = threading.Barrier(2, timeout=scaled(10))
    outcomes = {}

    def edit(title):
        try:
            with transaction.atomic():
                copy = Activity.objects.get(pk=activity.pk)  # both read version 1
                both_have_read.wait()
                copy.title = title
                copy.save()  # the second UPDATE waits for the first to commit, then matches nothing
            outcomes[title] = "saved"
        except VersionConflict:
            outcomes[title] = "refused"
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(title,)) for title in ("One", "Two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=scaled(20))

    assert sorted(outcomes.values()) == ["refused", "saved"]
    winner = next(title for title, outcome in outcomes.items() if outcome == "saved")
    activity.refresh_from_db()
    assert (activity.title, activity.version) == (winner, 2)
    assert activity.history.filter(history_type="~").count() == 1
