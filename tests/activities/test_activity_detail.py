"""An activity's page: its fields, outcomes and history, as each role may see them."""

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from activities.models import Activity, Conduit, Outcome, Setting, Topic
from tests import factories

pytestmark = pytest.mark.django_db


def url(name, activity):
    return reverse(f"activities:{name}", kwargs={"team": activity.team.slug, "pk": activity.pk})


def submit(client, team, activity=None, **fields):
    """Log (or, given `activity`, change) an activity through the form, as a browser would."""
    data = {
        "date": "2025-05-12",
        "activity_type": factories.activity_type(team).pk,
        "direction": "unclear",
        "topics_text": "",
        **fields,
    }
    if activity is None:
        response = client.post(reverse("activities:activity_add", kwargs={"team": team.slug}), data)
    else:
        data["version"] = Activity.objects.get(pk=activity.pk).version  # as the edit page has it
        response = client.post(url("activity_edit", activity), data)
    assert response.status_code == 302, response.context["form"].errors
    return activity or Activity.objects.latest("pk")


@pytest.fixture
def full_activity(team, broker, lead):
    colleague = factories.BrokerFactory(
        team=team, user=factories.UserFactory(first_name="Cora", last_name="Colleague")
    )
    return factories.ActivityFactory(
        team=team,
        lead_broker=broker.broker_profile,
        co_brokers=[colleague],
        created_by=broker,
        title="Frailty seminar for the ICB",
        description="Forty minutes on falls prevention.",
        activity_type=factories.activity_type(team, "Seminar delivered"),
        date=datetime.date(2025, 5, 12),
        duration_minutes=90,
        attendees=34,
        setting=Setting.ACADEMIC,
        direction="research_informed_commissioning",
        follow_up_date=datetime.date(2025, 6, 2),
        project=factories.ProjectFactory(team=team, title="Falls prevention evaluation"),
        contacts=[
            factories.ContactFactory(team=team, name="Dr Ann Archer"),
            factories.ContactFactory(team=team, name="Bob Baker"),
        ],
        organisations=[factories.OrganisationFactory(name="Bristol ICB")],
        conduits=[Conduit.objects.get(code="copy_adapt_paste")],
        topics=[Topic.objects.create(team=team, name="Frailty")],
    )


def test_it_shows_the_activitys_fields(client_for, broker, full_activity):
    response = client_for(broker).get(url("activity_detail", full_activity))

    content = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Frailty seminar for the ICB",
        "Forty minutes on falls prevention.",
        "Monday 12 May 2025",
        "Awareness raising",
        "Seminar delivered",
        "Bea",  # the lead broker
        "Cora Colleague",
        "Dr Ann Archer",
        "Bob Baker",
        "Bristol ICB",
        "Academic",
        "Research-informed commissioning",
        "Copy, adapt and paste",
        "Frailty",
        "90 minutes",
        "34",
        "Falls prevention evaluation",
        "2 Jun 2025",
    ):
        assert text in content, text


def test_it_lists_the_activitys_outcomes_only(client_for, team, broker, full_activity):
    factories.OutcomeFactory(
        team=team,
        activity=full_activity,
        type=Outcome.Type.CAPABILITY_CHANGE,
        capability_dimension=Outcome.Dimension.CONFIDENCE,
        description="Commissioners now read systematic reviews.",
    )
    factories.OutcomeFactory(team=team, description="About another activity entirely.")

    response = client_for(broker).get(url("activity_detail", full_activity))

    content = response.content.decode()
    assert [outcome.description for outcome in response.context["outcomes"]] == [
        "Commissioners now read systematic reviews."
    ]
    assert "Capability change" in content and "(confidence)" in content
    assert "About another activity entirely." not in content


def test_it_offers_edit_and_delete_only_to_those_who_may(
    client_for, team, broker, lead, evaluator, full_activity
):
    outsider = factories.BrokerFactory(team=team).user
    edit = url("activity_edit", full_activity)

    for user, may_edit in ((broker, True), (lead, True), (outsider, False), (evaluator, False)):
        content = client_for(user).get(url("activity_detail", full_activity)).content.decode()
        assert (edit in content) is may_edit, user
        assert (url("activity_delete", full_activity) in content) is may_edit, user
        assert ("Log a similar one" in content) is (user != evaluator), user


# History.


@freeze_time("2025-05-15 09:00", tick=True)
def test_it_shows_one_history_entry_per_save(client_for, team, broker):
    ann, bob, cat = (
        factories.ContactFactory(team=team, name=name) for name in ("Ann", "Bob", "Cat")
    )
    lead_broker = broker.broker_profile.pk
    client = client_for(broker)
    activity = submit(
        client, team, title="First title", lead_broker=lead_broker, contacts=[ann.pk, bob.pk]
    )

    submit(
        client,
        team,
        activity,
        title="Second title",
        lead_broker=lead_broker,
        contacts=[ann.pk, cat.pk],
    )
    submit(client, team, activity, title="Second title", lead_broker=lead_broker, contacts=[])

    history = client.get(url("activity_detail", activity)).context["history"]
    assert [entry.action for entry in history] == ["changed", "changed", "created"]
    assert [(c.field, c.old, c.new) for c in history[0].changes] == [("Contacts", "Ann, Cat", "—")]
    assert [(c.field, c.old, c.new) for c in history[1].changes] == [
        ("Title", "First title", "Second title"),
        ("Contacts", "Ann, Bob", "Ann, Cat"),
    ]
    assert all(entry.who == broker for entry in history)


def test_a_save_that_changes_nothing_leaves_no_entry(client_for, team, broker):
    client = client_for(broker)
    fields = {"title": "Same", "lead_broker": broker.broker_profile.pk}
    activity = submit(client, team, **fields)

    submit(client, team, activity, **fields)

    history = client.get(url("activity_detail", activity)).context["history"]
    assert [entry.action for entry in history] == ["created"]


def test_the_history_reads_as_html(client_for, team, broker):
    client = client_for(broker)
    activity = submit(client, team, title="Before", lead_broker=broker.broker_profile.pk)
    submit(client, team, activity, title="After", lead_broker=broker.broker_profile.pk)

    content = client.get(url("activity_detail", activity)).content.decode()

    history = content[content.index('id="history-heading"') :]
    assert "<strong>Changed</strong> by Bea" in history
    assert "Title: <del>Before</del> → <ins>After</ins>" in history
    assert "<strong>Created</strong>" in history


def test_evaluators_see_pseudonyms_in_the_page_and_its_history(client_for, team, broker, evaluator):
    ann = factories.ContactFactory(team=team, name="Annabel Realname")
    bob = factories.ContactFactory(team=team, name="Bobby Realname")
    client = client_for(broker)
    activity = submit(client, team, title="Met", lead_broker=broker.broker_profile.pk)
    submit(
        client, team, activity, title="Met", lead_broker=broker.broker_profile.pk, contacts=[ann.pk]
    )
    submit(
        client,
        team,
        activity,
        title="Met",
        lead_broker=broker.broker_profile.pk,
        contacts=[ann.pk, bob.pk],
    )

    response = client_for(evaluator).get(url("activity_detail", activity))

    content = response.content.decode()
    assert "Realname" not in content
    history = content[content.index('id="history-heading"') :]
    assert f"<del>{ann.pseudonym}</del>" in history
    assert f"<ins>{', '.join(sorted([ann.pseudonym, bob.pseudonym]))}</ins>" in history
    page = content[: content.index('id="history-heading"')]
    assert ann.pseudonym in page and bob.pseudonym in page


def test_brokers_see_names_in_the_history(client_for, team, broker):
    ann = factories.ContactFactory(team=team, name="Annabel Realname")
    client = client_for(broker)
    activity = submit(client, team, title="Met", lead_broker=broker.broker_profile.pk)
    submit(
        client, team, activity, title="Met", lead_broker=broker.broker_profile.pk, contacts=[ann.pk]
    )

    history = client.get(url("activity_detail", activity)).context["history"]

    assert [(c.field, c.old, c.new) for c in history[0].changes] == [
        ("Contacts", "—", "Annabel Realname")
    ]


def test_it_names_a_deleted_contact_in_the_history(client_for, team, broker):
    ann = factories.ContactFactory(team=team, name="Ann")
    client = client_for(broker)
    activity = submit(
        client, team, title="Met", lead_broker=broker.broker_profile.pk, contacts=[ann.pk]
    )
    submit(client, team, activity, title="Met", lead_broker=broker.broker_profile.pk)
    deleted_pk = ann.pk
    ann.delete()

    history = client.get(url("activity_detail", activity)).context["history"]

    assert history[0].changes[0].old == f"#{deleted_pk} (deleted)"


def test_it_hides_the_activity_from_another_team(client_for, other_broker, full_activity):
    assert client_for(other_broker).get(url("activity_detail", full_activity)).status_code == 404


# Queries.


def grow(activity, client, team, broker, edits):
    """Outcomes, contacts and saved changes in proportion to `edits`."""
    contacts = [factories.ContactFactory(team=team) for _ in range(edits + 1)]
    for n in range(edits):
        factories.OutcomeFactory(team=team, activity=activity)
        submit(
            client,
            team,
            activity,
            title=f"Title {n}",
            lead_broker=broker.broker_profile.pk,
            co_brokers=[co.pk for co in activity.co_brokers.all()],
            contacts=[contact.pk for contact in contacts[: n + 2]],
            topics_text=f"Frailty, topic {n}",
            conduits=["interpersonal", "governance"][: n % 2 + 1],
        )


def test_the_page_needs_the_same_queries_however_much_it_shows(
    client_for, team, broker, full_activity, django_assert_num_queries
):
    client = client_for(broker)
    grow(full_activity, client, team, broker, edits=6)

    # 1 session, 2 user, 3 membership with team (team_access), 4 the activity with team,
    # lead broker and user, type, project, creator; prefetched: 5 co-brokers with users,
    # 6 conduits, 7 topics, 8 organisations, 9 contacts with organisations; 10 the user's
    # broker profile (can_edit); 11 the history records with their users; the links
    # each record keeps: 12 topics, 13 co-brokers, 14 conduits, 15 contacts,
    # 16 organisations; labels of what changed: 17 topics, 18 organisations, 19 conduits,
    # 20 brokers with users, 21 contacts, 22 activity types, 23 projects; 24 outcomes.
    with django_assert_num_queries(24):
        response = client.get(url("activity_detail", full_activity))

    assert len(response.context["outcomes"]) == 6
    # Made outside a request, the factory's save and its five link steps are six entries.
    assert [entry.action for entry in response.context["history"]] == ["changed"] * 11 + ["created"]
