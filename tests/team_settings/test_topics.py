"""Topics in team settings: rename, retire (no longer suggested, kept on activities) and
merge (every activity of one moves to the other, in one transaction, with history)."""

import pytest
from django.urls import reverse

from activities.models import Activity, Topic
from tests import factories

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"team_settings:{name}", kwargs={"team": "bristol", **kwargs})


@pytest.fixture
def topics(team):
    return {
        name: Topic.objects.create(team=team, name=name)
        for name in ("Frailty", "frailty care", "Maternity")
    }


def test_a_lead_renames_a_topic_and_its_activities_show_the_new_name(
    client_for, team, lead, topics
):
    activity = factories.ActivityFactory(team=team, topics=[topics["Maternity"]])
    topic = topics["Maternity"]

    response = client_for(lead).post(
        url("topic_edit", pk=topic.pk),
        {"name": "Maternity services", "is_active": "on", "version": topic.version},
    )

    assert response.status_code == 302
    assert [t.name for t in activity.topics.all()] == ["Maternity services"]
    assert topic.history.first().history_user == lead


def test_a_duplicate_topic_name_is_refused_whatever_its_case(client_for, team, lead, topics):
    topic = topics["frailty care"]

    response = client_for(lead).post(
        url("topic_edit", pk=topic.pk),
        {"name": "FRAILTY", "is_active": "on", "version": topic.version},
    )

    assert response.status_code == 200
    assert "already has a topic named" in response.context["form"].errors["name"][0]
    topic.refresh_from_db()
    assert topic.name == "frailty care"


def test_a_retired_topic_is_not_given_to_new_activities_but_stays_on_its_own(
    client_for, team, lead, broker, topics
):
    topic = topics["Frailty"]
    old = factories.ActivityFactory(
        team=team, lead_broker=broker.broker_profile, topics=[topic], title="Old"
    )
    client_for(lead).post(
        url("topic_edit", pk=topic.pk), {"name": "Frailty", "version": topic.version}
    )
    client = client_for(broker)
    activity = {
        "date": "2025-05-12",
        "activity_type": factories.activity_type(team).pk,
        "title": "New",
        "lead_broker": broker.broker_profile.pk,
        "direction": "unclear",
        "topics_text": "frailty, maternity",
    }

    refused = client.post(reverse("activities:activity_add", args=["bristol"]), activity)
    kept = client.post(
        reverse("activities:activity_edit", args=["bristol", old.pk]),
        activity | {"title": "Old, edited", "version": old.version},
    )

    assert "“Frailty” is a retired topic" in refused.context["form"].errors["topics_text"][0]
    assert not Activity.objects.filter(title="New").exists()
    assert kept.status_code == 302
    old.refresh_from_db()
    assert sorted(t.name for t in old.topics.all()) == ["Frailty", "Maternity"]
    # The list's filter still finds it, for the activities that have it.
    search = client.get(reverse("activities:topic_search", args=["bristol"]), {"q": "frail"})
    assert [item["text"] for item in search.json()["results"]] == [
        "Frailty (retired)",
        "frailty care",
    ]
    listed = client.get(reverse("activities:activity_list", args=["bristol"]), {"topic": topic.pk})
    assert [a.title for a in listed.context["object_list"]] == ["Old, edited"]
    export = client.get(reverse("activities:activity_list", args=["bristol"]), {"export": "csv"})
    assert "Frailty" in b"".join(export.streaming_content).decode()


def test_merging_moves_every_activity_and_leaves_history(client_for, team, lead, topics):
    frailty, care, maternity = topics["Frailty"], topics["frailty care"], topics["Maternity"]
    only_care = factories.ActivityFactory(team=team, topics=[care], title="Only care")
    both = factories.ActivityFactory(team=team, topics=[care, frailty], title="Both")
    other = factories.ActivityFactory(team=team, topics=[maternity], title="Other")
    versions = {a.pk: a.version for a in (only_care, both, other)}

    response = client_for(lead).post(url("topic_merge", pk=care.pk), {"into": frailty.pk})

    assert response.status_code == 302
    assert not Topic.objects.filter(pk=care.pk).exists()
    for activity in (only_care, both):
        activity.refresh_from_db()
        assert [t.name for t in activity.topics.all()] == ["Frailty"]
        assert activity.version == versions[activity.pk] + 1
        record = activity.history.first()
        assert record.history_user == lead
        assert "merged into" in record.history_change_reason
        assert [link.topic_id for link in record.topics.all()] == [frailty.pk]
    other.refresh_from_db()
    assert other.version == versions[other.pk]
    deleted = Topic.history.get(id=care.pk, history_type="-")
    assert deleted.history_user == lead


def test_a_merge_is_all_or_nothing(team, topics, monkeypatch):
    care, frailty = topics["frailty care"], topics["Frailty"]
    activity = factories.ActivityFactory(team=team, topics=[care])

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(type(Activity.objects.all()), "update_with_history", fail)
    with pytest.raises(RuntimeError):
        care.merge_into(frailty)

    assert Topic.objects.filter(pk=care.pk).exists()
    assert list(activity.topics.all()) == [care]


def test_a_topic_merges_only_into_a_topic_of_its_team(client_for, team, lead, other_team, topics):
    theirs = Topic.objects.create(team=other_team, name="Theirs")
    care = topics["frailty care"]

    response = client_for(lead).post(url("topic_merge", pk=care.pk), {"into": theirs.pk})

    assert response.status_code == 200
    assert "into" in response.context["form"].errors
    assert Topic.objects.filter(pk=care.pk).exists()
    assert client_for(lead).get(url("topic_merge", pk=theirs.pk)).status_code == 404
    with pytest.raises(ValueError):
        care.merge_into(theirs)
