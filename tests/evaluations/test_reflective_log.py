"""The reflective log: private to its author unless shared, and then read by the team's
evaluators only; listed with search and filters; changed by its author alone."""

import datetime

import pytest
from django.urls import reverse

from evaluations.models import ReflectiveEntry
from tests import factories

pytestmark = pytest.mark.django_db


def log_url(name="log_list", **kwargs):
    return reverse(f"evaluations:{name}", kwargs={"team": "bristol", **kwargs})


def entry(team, author, **fields):
    return factories.ReflectiveEntryFactory(team=team, author=author, **fields)


def titles(response):
    return [e.title for e in response.context["object_list"]]


def test_a_broker_writes_a_private_entry_by_default(client_for, team, broker):
    response = client_for(broker).post(
        log_url("log_add"),
        {
            "date": "2025-05-14",
            "title": "Too many taskmasters",
            "text": "Three urgent requests.\r\nNone done well.",
            "tags": [
                factories.log_tag(team, "challenge").pk,
                factories.log_tag(team, "workload").pk,
            ],
        },
    )

    saved = ReflectiveEntry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == log_url("log_detail", pk=saved.pk)
    assert (saved.team, saved.author, saved.shared) == (team, broker, False)
    assert saved.date == datetime.date(2025, 5, 14)
    assert saved.text == "Three urgent requests.\nNone done well."
    assert sorted(saved.tags.values_list("label", flat=True)) == [
        "Challenge",
        "Workload and wellbeing",
    ]


def test_a_broker_shares_an_entry_with_the_evaluators(client_for, team, broker, evaluator):
    client_for(broker).post(
        log_url("log_add"), {"date": "2025-05-14", "text": "Buddying helped.", "shared": "on"}
    )

    saved = ReflectiveEntry.objects.get()
    assert saved.shared is True
    response = client_for(evaluator).get(log_url("log_detail", pk=saved.pk))
    assert response.status_code == 200
    assert "Buddying helped." in response.content.decode()


def test_an_entry_needs_its_date_and_text_and_nothing_is_saved_without(client_for, broker):
    response = client_for(broker).post(log_url("log_add"), {"date": "", "text": ""})

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"date", "text"}
    assert not ReflectiveEntry.objects.exists()


@pytest.mark.parametrize("reader", ["lead", "evaluator", "other_broker", "colleague", "superuser"])
def test_a_private_entry_is_seen_by_its_author_alone(
    request, client_for, team, broker, lead, evaluator, other_broker, reader
):
    private = entry(team, broker, title="Private thoughts", text="Only mine.")
    users = {
        "lead": lead,
        "evaluator": evaluator,
        "other_broker": other_broker,
        "colleague": factories.BrokerFactory(team=team).user,
        "superuser": factories.UserFactory(username="admin", is_superuser=True, is_staff=True),
    }
    client = client_for(users[reader])

    detail = client.get(log_url("log_detail", pk=private.pk))
    listing = client.get(log_url())

    assert detail.status_code == 404
    if reader == "other_broker":
        assert listing.status_code == 404  # not their team
    else:
        assert "Private thoughts" not in listing.content.decode()
    assert client.get(log_url("log_edit", pk=private.pk)).status_code in (403, 404)
    assert client_for(broker).get(log_url("log_detail", pk=private.pk)).status_code == 200


def test_shared_entries_are_read_by_the_teams_evaluators_but_not_by_the_lead(
    client_for, team, broker, lead, evaluator, other_team
):
    entry(team, broker, title="Shared one", shared=True)
    entry(team, broker, title="Private one")
    entry(team, lead, title="The lead's own")
    other_evaluator = factories.UserFactory(username="wm-evaluator")
    factories.MembershipFactory(user=other_evaluator, team=other_team, role="evaluator")

    assert titles(client_for(evaluator).get(log_url())) == ["Shared one"]
    assert titles(client_for(lead).get(log_url())) == ["The lead's own"]
    assert sorted(titles(client_for(broker).get(log_url()))) == ["Private one", "Shared one"]
    other = client_for(other_evaluator).get(log_url())
    assert other.status_code == 404


def test_it_queries_the_evaluators_scope_in_one_place():
    """Every path to entries starts from for_user(): the rule is decided there."""
    team = factories.TeamFactory(slug="t")
    author = factories.BrokerFactory(team=team).user
    evaluator = factories.UserFactory()
    factories.MembershipFactory(user=evaluator, team=team, role="evaluator")
    shared = entry(team, author, shared=True)
    entry(team, author)

    assert list(ReflectiveEntry.objects.for_user(evaluator)) == [shared]
    assert ReflectiveEntry.objects.for_user(author).count() == 2


def test_only_the_author_edits_an_entry(client_for, team, broker, evaluator):
    shared = entry(team, broker, title="Before", shared=True)

    refused = client_for(evaluator).post(
        log_url("log_edit", pk=shared.pk), {"date": "2025-05-14", "text": "Changed"}
    )
    assert refused.status_code == 403
    shared.refresh_from_db()
    assert shared.title == "Before"

    response = client_for(broker).post(
        log_url("log_edit", pk=shared.pk),
        {
            "date": "2025-05-15",
            "title": "After",
            "text": "Changed",
            "tags": [factories.log_tag(team, "learning").pk],
        },
    )
    assert response.status_code == 302
    shared.refresh_from_db()
    assert (shared.title, shared.text, shared.shared) == ("After", "Changed", False)
    assert shared.history.count() >= 2


def test_another_broker_of_the_team_cannot_reach_an_entry(client_for, team, broker):
    colleague = factories.BrokerFactory(team=team).user
    shared = entry(team, broker, shared=True)

    client = client_for(colleague)
    assert client.get(log_url("log_detail", pk=shared.pk)).status_code == 404
    assert client.post(log_url("log_delete", pk=shared.pk)).status_code == 404
    assert ReflectiveEntry.objects.filter(pk=shared.pk).exists()


def test_the_author_deletes_an_entry_and_its_history(client_for, team, broker):
    mine = entry(team, broker, title="Regret")

    response = client_for(broker).post(log_url("log_delete", pk=mine.pk))

    assert response.status_code == 302
    assert not ReflectiveEntry.objects.exists()
    assert not ReflectiveEntry.history.filter(id=mine.pk).exists()


def test_the_history_is_shown_to_the_author_only(client_for, team, broker, evaluator):
    shared = entry(team, broker, shared=True)

    assert (
        client_for(broker).get(log_url("log_detail", pk=shared.pk)).context["history"] is not None
    )
    assert client_for(evaluator).get(log_url("log_detail", pk=shared.pk)).context["history"] is None


def test_a_copy_taken_into_an_evaluation_is_marked_for_the_author(client_for, team, broker):
    shared = entry(team, broker, title="Taken", shared=True)
    entry(team, broker, title="Not taken", shared=True)
    study = factories.StudyFactory(team=team)
    factories.SourceFactory(study=study, reflective_entry=shared, kind="reflective_log")

    response = client_for(broker).get(log_url())

    marks = {e.title: e.in_evaluation for e in response.context["object_list"]}
    assert marks == {"Taken": True, "Not taken": False}
    assert "Copied into an evaluation" in response.content.decode()


# Filters: each with rows on both sides.


def test_it_searches_title_and_text(client_for, team, broker):
    entry(team, broker, title="Frailty board", text="Went well.")
    entry(team, broker, title="Seminar", text="Talked about frailty pathways.")
    entry(team, broker, title="Maternity", text="Nothing about it.")

    response = client_for(broker).get(log_url(), {"q": "frailty"})

    assert sorted(titles(response)) == ["Frailty board", "Seminar"]


def test_it_filters_by_tag(client_for, team, broker):
    entry(team, broker, title="Enabler", tags=["enabler"])
    entry(team, broker, title="Challenge", tags=["challenge"])

    enabler = factories.log_tag(team, "enabler").pk
    assert titles(client_for(broker).get(log_url(), {"tag": enabler})) == ["Enabler"]


def test_it_filters_by_dates(client_for, team, broker):
    entry(team, broker, title="April", date=datetime.date(2025, 4, 30))
    entry(team, broker, title="May", date=datetime.date(2025, 5, 1))
    entry(team, broker, title="June", date=datetime.date(2025, 6, 1))

    response = client_for(broker).get(
        log_url(), {"date_from": "2025-05-01", "date_to": "2025-05-31"}
    )

    assert titles(response) == ["May"]


def test_it_filters_by_sharing(client_for, team, broker):
    entry(team, broker, title="Shared", shared=True)
    entry(team, broker, title="Private")

    assert titles(client_for(broker).get(log_url(), {"shared": "yes"})) == ["Shared"]
    assert titles(client_for(broker).get(log_url(), {"shared": "no"})) == ["Private"]


def test_evaluators_filter_by_author_among_those_who_shared(client_for, team, broker, evaluator):
    colleague = factories.BrokerFactory(team=team, user__first_name="Cal").user
    entry(team, broker, title="Bea's", shared=True)
    entry(team, colleague, title="Cal's", shared=True)
    entry(team, colleague, title="Cal's private")

    response = client_for(evaluator).get(log_url(), {"author": colleague.pk})

    assert titles(response) == ["Cal's"]
    authors = response.context["filter"].form.fields["author"].queryset
    assert set(authors) == {broker, colleague}
    assert "shared" not in response.context["filter"].form.fields


def test_brokers_have_no_author_filter(client_for, broker):
    response = client_for(broker).get(log_url())

    assert "author" not in response.context["filter"].form.fields


def test_the_list_takes_a_fixed_number_of_queries(
    client_for, team, broker, evaluator, django_assert_num_queries
):
    for number in range(12):
        entry(team, broker, shared=True, tags=["enabler", "learning"], title=f"Entry {number}")
    client = client_for(evaluator)

    # session, user, membership (team access), count, tag choices and author choices of
    # the filter form, the page of entries (with authors), their tags, and the state of the
    # team's contacts (whose names the evaluator reads as pseudonyms): 9, whatever the rows.
    with django_assert_num_queries(9):
        response = client.get(log_url())

    assert len(response.context["object_list"]) == 12
