"""The activity list stays cheap as the log grows: capped counting and paging, a fixed
number of queries whatever the page holds, choice lists searched rather than rendered."""

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from activities.models import Conduit, Topic
from kmtracker.lists.paging import CappedPaginator
from tests import factories

pytestmark = pytest.mark.django_db


def list_url(team):
    return reverse("activities:activity_list", kwargs={"team": team.slug})


def log(team, broker_user, count, **fields):
    first = datetime.date(2025, 1, 1)
    return [
        factories.ActivityFactory(
            team=team,
            lead_broker=broker_user.broker_profile,
            title=f"Meeting {number:03d}",
            date=first + datetime.timedelta(days=number),
            **fields,
        )
        for number in range(count)
    ]


@pytest.fixture
def small_cap(monkeypatch):
    """A cap of 5 rows, so that a handful of activities shows what 10,000 would."""
    monkeypatch.setattr(CappedPaginator, "limit", 5)


@freeze_time("2025-06-01")
@pytest.mark.parametrize("rows", [3, 60])
def test_a_full_page_takes_eight_queries_whatever_it_holds(
    client_for, team, broker, django_assert_num_queries, rows
):
    contacts = factories.ContactFactory.create_batch(3, team=team)
    colleague = factories.BrokerFactory(team=team)
    conduits = list(Conduit.objects.all()[:2])
    topics = [Topic.objects.create(team=team, name=f"Topic {n}") for n in range(2)]
    log(
        team,
        broker,
        rows,
        contacts=contacts,
        co_brokers=[colleague],
        conduits=conduits,
        topics=topics,
    )
    client = client_for(broker)

    # Session, user, membership; capped count with first date; activity types; the page;
    # its co-brokers; its contacts.
    with django_assert_num_queries(8):
        response = client.get(list_url(team), {"q": "meeting", "category": "", "o": "-date"})

    assert len(response.context["object_list"]) == min(rows, 50)


def test_an_htmx_request_with_filters_takes_no_more_queries(
    client_for, team, broker, django_assert_max_num_queries
):
    topic = Topic.objects.create(team=team, name="Frailty")
    log(team, broker, 3, topics=[topic], conduits=[Conduit.objects.get(code="governance")])
    client = client_for(broker)

    # The chosen topic is read to check it; the form (and its types) is not drawn.
    with django_assert_max_num_queries(8):
        response = client.get(
            list_url(team),
            {"quarter": "2024-q4", "topic": topic.pk, "conduit": "governance"},
            headers={"HX-Request": "true"},
        )

    assert len(response.context["object_list"]) == 3


def test_it_counts_no_further_than_the_cap_and_says_so(client_for, team, broker, small_cap):
    log(team, broker, 7)

    response = client_for(broker).get(list_url(team))

    paginator = response.context["paginator"]
    assert paginator.is_capped
    assert paginator.count == 5
    assert "More than 5 activities" in response.content.decode()


def test_under_the_cap_it_gives_the_exact_count(client_for, team, broker, small_cap):
    log(team, broker, 5)

    response = client_for(broker).get(list_url(team))

    assert not response.context["paginator"].is_capped
    assert "5 activities" in response.content.decode()


def test_a_page_past_the_last_offered_shows_the_last(client_for, team, broker):
    log(team, broker, 55)

    response = client_for(broker).get(list_url(team), {"o": "title", "page": 999})

    assert response.status_code == 200
    assert response.context["page_obj"].number == 2
    assert [a.title for a in response.context["object_list"]] == [
        f"Meeting {n:03d}" for n in range(50, 55)
    ]


def test_pages_offered_stop_at_the_cap(client_for, team, broker, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "limit", 60)
    log(team, broker, 120)

    response = client_for(broker).get(list_url(team), {"o": "title", "page": 2})

    assert response.context["paginator"].num_pages == 2
    assert [a.title for a in response.context["object_list"]][-1] == "Meeting 059"


@freeze_time("2025-06-01")
def test_the_quarter_filter_still_lists_quarters_from_the_first_activity(client_for, team, broker):
    factories.ActivityFactory(
        team=team, lead_broker=broker.broker_profile, date=datetime.date(2024, 12, 1)
    )

    response = client_for(broker).get(list_url(team), {"category": "awareness_raising"})

    choices = [value for value, _ in response.context["filter"].form.fields["quarter"].choices]
    assert choices == ["", "2025-q1", "2024-q4", "2024-q3"]


def test_a_quarter_that_is_not_one_is_refused(client_for, team, broker):
    log(team, broker, 2)

    response = client_for(broker).get(list_url(team), {"quarter": "2025-q5"})

    assert response.context["filter"].errors["quarter"]
    assert list(response.context["object_list"]) == []


def test_the_filter_form_renders_no_long_choice_list(client_for, team, broker):
    for number in range(40):
        factories.ContactFactory(team=team, name=f"Person {number}")
        factories.ProjectFactory(team=team, title=f"Project {number}")
        Topic.objects.create(team=team, name=f"Topic {number}")
        factories.OrganisationFactory(name=f"Organisation {number}")
    log(team, broker, 1)

    page = client_for(broker).get(list_url(team)).content.decode()

    for word in ("Person", "Project", "Topic", "Organisation"):
        assert f">{word} 1<" not in page
    for url_name in ("broker_search", "topic_search", "project_search", "contact_search"):
        url = reverse(f"activities:{url_name}", kwargs={"team": team.slug})
        assert f'data-autocomplete-url="{url}"' in page


def test_a_chosen_project_is_rendered_as_the_one_option(client_for, team, broker):
    chosen = factories.ProjectFactory(team=team, title="Frailty bid")
    factories.ProjectFactory(team=team, title="Maternity bid")
    log(team, broker, 1, project=chosen)

    page = client_for(broker).get(list_url(team), {"project": chosen.pk}).content.decode()

    assert "Frailty bid" in page
    assert "Maternity bid" not in page


# The searches behind the filter form.


def search(client, team, name, term):
    url = reverse(f"activities:{name}", kwargs={"team": team.slug})
    response = client.get(url, {"q": term})
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


def test_broker_search_matches_names_within_the_team(client_for, team, broker, other_broker):
    colleague = factories.BrokerFactory(team=team)
    colleague.user.first_name, colleague.user.last_name = "Grace", "Hopper"
    colleague.user.save()

    client = client_for(broker)

    assert search(client, team, "broker_search", "hopp") == ["Grace Hopper"]
    assert other_broker.broker_profile.name not in search(client, team, "broker_search", "")


def test_topic_and_project_searches_stay_in_the_team(client_for, team, other_team, broker):
    Topic.objects.create(team=team, name="Frailty")
    Topic.objects.create(team=other_team, name="Frailty elsewhere")
    factories.ProjectFactory(team=team, title="Frailty bid")
    factories.ProjectFactory(team=other_team, title="Frailty bid elsewhere")
    client = client_for(broker)

    assert search(client, team, "topic_search", "frail") == ["Frailty"]
    assert search(client, team, "project_search", "frail") == ["Frailty bid"]
