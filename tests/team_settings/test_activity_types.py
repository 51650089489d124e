"""Activity types in team settings: add, rename, reorder, retire, delete only when unused;
names unique in the team whatever their case; retired types leave new-record forms but
stay on old records, in filters and in exports."""

import pytest
from django.urls import reverse

from activities.models import ActivityType, Category
from tests import factories

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"team_settings:{name}", kwargs={"team": "bristol", **kwargs})


def type_named(team, name):
    return ActivityType.objects.get(team=team, name=name)


def test_a_lead_adds_a_type_at_the_end_of_its_category(client_for, team, lead):
    response = client_for(lead).post(
        url("type_add"),
        {"category": Category.AWARENESS_RAISING, "name": " Podcast ", "is_active": "on"},
    )

    assert response.status_code == 302
    added = type_named(team, "Podcast")
    last = ActivityType.objects.filter(team=team, category=Category.AWARENESS_RAISING)
    assert added.position == max(t.position for t in last)
    assert list(last.order_by("position", "name"))[-1] == added
    assert added.history.get().history_user == lead


@pytest.mark.parametrize("name", ["introduction", "SEMINAR DELIVERED"])
def test_a_duplicate_name_is_an_error_beside_the_field_and_saves_nothing(
    client_for, team, lead, name
):
    before = ActivityType.objects.count()

    response = client_for(lead).post(
        url("type_add"), {"category": Category.ADVICE_CONSULTATION, "name": name}
    )

    assert response.status_code == 200
    assert (
        "The team already has a type of activity named"
        in response.context["form"].errors["name"][0]
    )
    assert ActivityType.objects.count() == before


def test_the_same_name_in_another_team_is_no_duplicate(client_for, team, lead, other_team):
    ActivityType.objects.create(
        team=other_team, category=Category.AWARENESS_RAISING, name="Podcast"
    )

    client_for(lead).post(
        url("type_add"), {"category": Category.AWARENESS_RAISING, "name": "podcast"}
    )

    assert type_named(team, "podcast")


def test_renaming_keeps_the_type_on_its_activities_and_in_the_history(client_for, team, lead):
    introduction = factories.activity_type(team)
    activity = factories.ActivityFactory(team=team, activity_type=introduction)

    response = client_for(lead).post(
        url("type_edit", pk=introduction.pk),
        {
            "category": introduction.category,
            "name": "Warm introduction",
            "is_active": "on",
            "version": introduction.version,
        },
    )

    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.activity_type.name == "Warm introduction"
    names = [record.name for record in introduction.history.order_by("history_date")]
    assert names[-2:] == ["Introduction", "Warm introduction"]
    assert introduction.history.first().history_user == lead


def test_a_stale_edit_is_refused_and_shown_as_a_conflict(client_for, team, lead):
    introduction = factories.activity_type(team)
    opened_at = introduction.version
    introduction.name = "Changed meanwhile"
    introduction.save()

    response = client_for(lead).post(
        url("type_edit", pk=introduction.pk),
        {
            "category": introduction.category,
            "name": "Mine",
            "is_active": "on",
            "version": opened_at,
        },
    )

    assert response.status_code == 409
    introduction.refresh_from_db()
    assert introduction.name == "Changed meanwhile"


def test_a_type_in_use_keeps_its_category(client_for, team, lead):
    introduction = factories.activity_type(team)
    factories.ActivityFactory(team=team, activity_type=introduction)

    client_for(lead).post(
        url("type_edit", pk=introduction.pk),
        {
            "category": Category.COLLABORATIVE_PROJECT,
            "name": "Introduction",
            "is_active": "on",
            "version": introduction.version,
        },
    )

    introduction.refresh_from_db()
    assert introduction.category == Category.RELATIONSHIP_BUILDING


def test_a_type_in_use_cannot_be_deleted(client_for, team, lead):
    introduction = factories.activity_type(team)
    factories.ActivityFactory(team=team, activity_type=introduction)

    page = client_for(lead).get(url("type_delete", pk=introduction.pk))
    response = client_for(lead).post(url("type_delete", pk=introduction.pk), follow=True)

    assert "cannot be deleted" in page.content.decode()
    assert ActivityType.objects.filter(pk=introduction.pk).exists()
    assert "retire it instead" in response.content.decode()
    assert introduction.delete_if_unused() is False


def test_an_unused_type_is_deleted_and_its_history_kept(client_for, team, lead):
    unused = type_named(team, "Network event")

    response = client_for(lead).post(url("type_delete", pk=unused.pk))

    assert response.status_code == 302
    assert not ActivityType.objects.filter(pk=unused.pk).exists()
    assert ActivityType.history.filter(id=unused.pk, history_type="-").get().history_user == lead


def test_a_lead_reorders_the_types_of_a_category(client_for, team, lead):
    client = client_for(lead)
    network_event = type_named(team, "Network event")

    client.post(url("type_move", pk=network_event.pk), {"direction": "up"})
    client.post(url("type_move", pk=network_event.pk), {"direction": "up"})
    client.post(url("type_move", pk=network_event.pk), {"direction": "up"})  # already first

    offered = ActivityType.objects.filter(team=team, category=Category.RELATIONSHIP_BUILDING)
    assert [t.name for t in offered] == ["Network event", "Introduction", "Meeting attended"]
    moved = type_named(team, "Introduction")
    client.post(url("type_move", pk=moved.pk), {"direction": "down"})
    assert [t.name for t in offered.all()] == ["Network event", "Meeting attended", "Introduction"]
    assert type_named(team, "Network event").history.count() >= 2


def test_the_activity_form_offers_types_in_the_new_order(client_for, team, lead):
    type_named(team, "Network event").move(-1)

    form = (
        client_for(lead).get(reverse("activities:activity_add", args=["bristol"])).context["form"]
    )

    groups = dict(form.fields["activity_type"].choices)
    relationship = [name for _pk, name in groups[Category.RELATIONSHIP_BUILDING.label]]
    assert relationship == ["Introduction", "Network event", "Meeting attended"]


def test_a_retired_type_is_not_offered_for_new_activities_but_stays_on_old_ones(
    client_for, team, lead, broker
):
    introduction = factories.activity_type(team)
    old = factories.ActivityFactory(
        team=team, lead_broker=broker.broker_profile, activity_type=introduction, title="Old one"
    )

    client_for(lead).post(
        url("type_edit", pk=introduction.pk),
        {
            "category": introduction.category,
            "name": "Introduction",
            "version": introduction.version,
        },
    )

    introduction.refresh_from_db()
    assert introduction.is_active is False
    client = client_for(broker)
    new_form = client.get(reverse("activities:activity_add", args=["bristol"])).context["form"]
    assert introduction not in new_form.fields["activity_type"].queryset
    edit_form = client.get(reverse("activities:activity_edit", args=["bristol", old.pk])).context[
        "form"
    ]
    assert introduction in edit_form.fields["activity_type"].queryset
    offered = dict(edit_form.fields["activity_type"].choices)[Category.RELATIONSHIP_BUILDING.label]
    assert (introduction.pk, "Introduction (retired)") in offered
    listed = client.get(
        reverse("activities:activity_list", args=["bristol"]), {"activity_type": introduction.pk}
    )
    assert [a.title for a in listed.context["object_list"]] == ["Old one"]
    export = client.get(reverse("activities:activity_list", args=["bristol"]), {"export": "csv"})
    assert ",Introduction," in b"".join(export.streaming_content).decode()


def test_a_retired_type_cannot_be_posted_for_a_new_activity(client_for, team, broker):
    introduction = factories.activity_type(team)
    introduction.is_active = False
    introduction.save()

    response = client_for(broker).post(
        reverse("activities:activity_add", args=["bristol"]),
        {
            "date": "2025-05-12",
            "activity_type": introduction.pk,
            "title": "New",
            "lead_broker": broker.broker_profile.pk,
            "direction": "unclear",
        },
    )

    assert response.status_code == 200
    assert "activity_type" in response.context["form"].errors


def test_another_teams_type_is_not_found(client_for, team, lead, other_team):
    theirs = factories.activity_type(other_team)

    assert client_for(lead).get(url("type_edit", pk=theirs.pk)).status_code == 404
    assert client_for(lead).post(url("type_delete", pk=theirs.pk)).status_code == 404
    assert ActivityType.objects.filter(pk=theirs.pk).exists()
