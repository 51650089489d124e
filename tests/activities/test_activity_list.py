"""The activity list: one test per filter with rows on both sides, paging, htmx, isolation."""

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from activities.models import Category, Conduit, Direction, Setting
from tests import factories

pytestmark = pytest.mark.django_db


def list_url(team):
    return reverse("activities:activity_list", kwargs={"team": team.slug})


def titles(client, team, **params):
    """Titles of the rows the list shows for these query parameters, in order."""
    response = client.get(list_url(team), params)
    assert response.status_code == 200
    return [activity.title for activity in response.context["object_list"]]


def activity(team, broker_user, **fields):
    return factories.ActivityFactory(team=team, lead_broker=broker_user.broker_profile, **fields)


# Filters, one each, with a row on each side.


def test_it_filters_from_a_date_inclusive(client_for, team, broker):
    activity(team, broker, title="Before", date=datetime.date(2025, 5, 9))
    activity(team, broker, title="On the day", date=datetime.date(2025, 5, 10))
    activity(team, broker, title="After", date=datetime.date(2025, 5, 11))

    shown = titles(client_for(broker), team, date_from="2025-05-10")

    assert shown == ["After", "On the day"]


def test_it_filters_to_a_date_inclusive(client_for, team, broker):
    activity(team, broker, title="Before", date=datetime.date(2025, 5, 9))
    activity(team, broker, title="On the day", date=datetime.date(2025, 5, 10))
    activity(team, broker, title="After", date=datetime.date(2025, 5, 11))

    shown = titles(client_for(broker), team, date_to="2025-05-10")

    assert shown == ["On the day", "Before"]


@freeze_time("2025-05-15")
def test_it_filters_by_quarter_of_an_april_start_year(client_for, team, broker):
    assert team.year_start_month == 4
    activity(team, broker, title="Last day of 2024/25", date=datetime.date(2025, 3, 31))
    activity(team, broker, title="First day of 2025/26", date=datetime.date(2025, 4, 1))
    activity(team, broker, title="End of Q1", date=datetime.date(2025, 6, 30))
    client = client_for(broker)

    assert titles(client, team, quarter="2025-q1") == ["End of Q1", "First day of 2025/26"]
    assert titles(client, team, quarter="2024-q4") == ["Last day of 2024/25"]


@freeze_time("2025-05-15")
def test_it_filters_by_calendar_quarter_when_the_year_starts_in_january(client_for, broker):
    team = broker.broker_profile.team
    team.year_start_month = 1
    team.save()
    activity(team, broker, title="March", date=datetime.date(2025, 3, 31))
    activity(team, broker, title="April", date=datetime.date(2025, 4, 1))

    assert titles(client_for(broker), team, quarter="2025-q1") == ["March"]


@freeze_time("2025-05-15")
def test_it_offers_the_quarters_from_the_first_activity_to_today(client_for, team, broker):
    activity(team, broker, date=datetime.date(2024, 12, 1))

    response = client_for(broker).get(list_url(team))

    choices = [value for value, _label in response.context["filter"].form.fields["quarter"].choices]
    assert choices == ["", "2025-q1", "2024-q4", "2024-q3"]


def test_it_filters_by_category(client_for, team, broker):
    activity(team, broker, title="Intro", activity_type=factories.activity_type(team))
    activity(
        team,
        broker,
        title="Seminar",
        activity_type=factories.activity_type(team, "Seminar delivered"),
    )

    shown = titles(client_for(broker), team, category=Category.AWARENESS_RAISING)

    assert shown == ["Seminar"]


def test_it_filters_by_activity_type(client_for, team, broker):
    introduction = factories.activity_type(team, "Introduction")
    meeting = factories.activity_type(team, "Meeting attended")
    assert introduction.category == meeting.category
    activity(team, broker, title="Intro", activity_type=introduction)
    activity(team, broker, title="Meeting", activity_type=meeting)

    assert titles(client_for(broker), team, activity_type=meeting.pk) == ["Meeting"]


def test_it_filters_by_broker_as_lead_or_co_broker(client_for, team, broker, lead):
    colleague = factories.BrokerFactory(team=team)
    activity(team, broker, title="Led", date=datetime.date(2025, 5, 3))
    activity(
        team,
        lead,
        title="Co-brokered",
        date=datetime.date(2025, 5, 2),
        co_brokers=[broker.broker_profile, colleague],
    )
    activity(
        team, lead, title="Not involved", date=datetime.date(2025, 5, 1), co_brokers=[colleague]
    )

    shown = titles(client_for(lead), team, broker=broker.broker_profile.pk)

    assert shown == ["Led", "Co-brokered"]


def test_it_filters_by_direction(client_for, team, broker):
    activity(team, broker, title="RIC", direction=Direction.RESEARCH_INFORMED_COMMISSIONING)
    activity(team, broker, title="CIR", direction=Direction.COMMISSIONING_INFORMED_RESEARCH)

    shown = titles(client_for(broker), team, direction=Direction.COMMISSIONING_INFORMED_RESEARCH)

    assert shown == ["CIR"]


def test_it_filters_by_conduit(client_for, team, broker):
    governance = Conduit.objects.get(code="governance")
    placement = Conduit.objects.get(code="people_placement")
    activity(team, broker, title="Board seat", conduits=[governance, placement])
    activity(team, broker, title="Secondment", conduits=[placement])
    activity(team, broker, title="No conduit")

    assert titles(client_for(broker), team, conduit="governance") == ["Board seat"]


def test_it_filters_by_setting(client_for, team, broker):
    activity(team, broker, title="Webinar", setting=Setting.ONLINE)
    activity(team, broker, title="Ward round", setting=Setting.CLINICAL)
    activity(team, broker, title="No setting", setting="")

    assert titles(client_for(broker), team, setting=Setting.ONLINE) == ["Webinar"]


def test_it_filters_by_contact(client_for, team, broker):
    ann = factories.ContactFactory(team=team, name="Ann Archer")
    bob = factories.ContactFactory(team=team, name="Bob Baker")
    activity(team, broker, title="With Ann", contacts=[ann, bob])
    activity(team, broker, title="With Bob", contacts=[bob])

    assert titles(client_for(broker), team, contact=ann.pk) == ["With Ann"]


def test_it_filters_by_organisation(client_for, team, broker):
    icb = factories.OrganisationFactory(name="Bristol ICB")
    university = factories.OrganisationFactory(name="University of Bristol")
    activity(team, broker, title="Commissioners", organisations=[icb])
    activity(team, broker, title="Academics", organisations=[university])

    assert titles(client_for(broker), team, organisation=icb.pk) == ["Commissioners"]


def test_it_filters_by_topic(client_for, team, broker):
    frailty = factories.models.Topic.objects.create(team=team, name="Frailty")
    maternity = factories.models.Topic.objects.create(team=team, name="Maternity")
    activity(team, broker, title="Falls clinic", topics=[frailty])
    activity(team, broker, title="Birth centre", topics=[maternity])

    assert titles(client_for(broker), team, topic=frailty.pk) == ["Falls clinic"]


def test_it_filters_by_project(client_for, team, broker):
    bid = factories.ProjectFactory(team=team, title="Frailty bid")
    activity(team, broker, title="Bid meeting", project=bid)
    activity(team, broker, title="Unrelated", project=None)

    assert titles(client_for(broker), team, project=bid.pk) == ["Bid meeting"]


def test_it_searches_title_and_description_for_every_word(client_for, team, broker):
    activity(team, broker, title="Frailty seminar", description="")
    activity(team, broker, title="Seminar", description="On FRAILTY in care homes")
    activity(team, broker, title="Frailty network", description="")
    activity(team, broker, title="Maternity seminar", description="")
    client = client_for(broker)

    assert set(titles(client, team, q="frailty seminar")) == {"Frailty seminar", "Seminar"}
    assert set(titles(client, team, q="  network  ")) == {"Frailty network"}


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("title", ["Alpha", "Bravo", "Charlie"]),
        ("-title", ["Charlie", "Bravo", "Alpha"]),
        ("date", ["Bravo", "Charlie", "Alpha"]),
        ("-date", ["Alpha", "Charlie", "Bravo"]),
        ("duration", ["Charlie", "Alpha", "Bravo"]),
    ],
)
def test_it_sorts_by_the_o_parameter(client_for, team, broker, order, expected):
    activity(team, broker, title="Bravo", date=datetime.date(2025, 1, 1), duration_minutes=90)
    activity(team, broker, title="Alpha", date=datetime.date(2025, 3, 1), duration_minutes=60)
    activity(team, broker, title="Charlie", date=datetime.date(2025, 2, 1), duration_minutes=30)

    assert titles(client_for(broker), team, o=order) == expected


def test_it_breaks_ties_in_the_sort_newest_logged_first(client_for, team, broker):
    for title in ("First logged", "Second logged", "Third logged"):
        activity(team, broker, title=title, date=datetime.date(2025, 5, 1))
    activity(team, broker, title="Earlier", date=datetime.date(2025, 4, 1))

    shown = titles(client_for(broker), team, o="date")

    assert shown == ["Earlier", "Third logged", "Second logged", "First logged"]


def test_pages_sorted_by_a_column_with_ties_show_every_row_once(client_for, team, broker):
    for n in range(55):
        activity(team, broker, title=f"Seminar {n}", date=datetime.date(2025, 5, 1 + n % 2))
    client = client_for(broker)

    pages = [titles(client, team, o="-date", page=page) for page in (1, 2)]

    assert len(pages[0]) == 50
    assert sorted(pages[0] + pages[1]) == sorted(f"Seminar {n}" for n in range(55))


def test_it_sorts_newest_first_by_default(client_for, team, broker):
    activity(team, broker, title="Old", date=datetime.date(2024, 1, 1))
    activity(team, broker, title="New", date=datetime.date(2025, 1, 1))

    assert titles(client_for(broker), team) == ["New", "Old"]


# Paging and htmx.


def test_it_pages_at_50_and_keeps_the_filters_in_the_page_links(client_for, team, broker):
    seminar = factories.activity_type(team, "Seminar delivered")
    for day in range(51):
        activity(
            team,
            broker,
            title=f"Seminar {day}",
            activity_type=seminar,
            date=datetime.date(2025, 1, 1) + datetime.timedelta(days=day),
        )
    activity(team, broker, title="Introduction, filtered out")
    client = client_for(broker)
    query = {"category": Category.AWARENESS_RAISING, "o": "date"}

    first = client.get(list_url(team), query)
    second = client.get(list_url(team), {**query, "page": 2})

    assert len(first.context["object_list"]) == 50
    assert first.context["paginator"].count == 51
    assert "category=awareness_raising&amp;o=date&amp;page=2" in first.content.decode()
    assert [a.title for a in second.context["object_list"]] == ["Seminar 50"]
    assert "category=awareness_raising&amp;o=date&amp;page=1" in second.content.decode()


def test_it_answers_an_htmx_request_with_the_table_alone(client_for, team, broker):
    activity(team, broker, title="Frailty seminar")

    response = client_for(broker).get(
        list_url(team), {"q": "frailty"}, headers={"HX-Request": "true"}
    )

    content = response.content.decode()
    used = [template.name for template in response.templates]
    assert response.status_code == 200
    assert used[0] == "activities/partials/activity_table.html"
    assert "base.html" not in used
    assert "activities/activity_list.html" not in used
    assert "<html" not in content and "<form" not in content
    assert "Frailty seminar" in content


def test_each_row_links_to_its_activity(client_for, team, broker):
    logged = [activity(team, broker, title=f"Meeting {n}") for n in range(3)]

    response = client_for(broker).get(list_url(team))

    page = response.content.decode()
    for row in logged:
        assert f'<a href="{row.get_absolute_url()}">Meeting {row.title[-1]}</a>' in page


def test_each_row_names_its_brokers_and_contacts(client_for, team, broker):
    colleague = factories.BrokerFactory(team=team, user__first_name="Ada", user__last_name="Cole")
    contacts = [
        factories.ContactFactory(team=team, name=name) for name in ("Dr Ann Bell", "Raj Patel")
    ]
    activity(team, broker, title="Joint visit", co_brokers=[colleague], contacts=contacts)
    activity(team, broker, title="Alone")

    response = client_for(broker).get(list_url(team))

    page = response.content.decode()
    assert '<small class="d-block text-body-secondary">with Ada Cole</small>' in page
    assert "<td>Dr Ann Bell, Raj Patel</td>" in page
    assert '<td><span class="text-body-secondary">—</span></td>' in page  # no contacts


def test_it_renders_the_whole_page_without_htmx(client_for, team, broker):
    activity(team, broker, title="Frailty seminar")

    response = client_for(broker).get(list_url(team))

    used = [template.name for template in response.templates]
    assert "activities/activity_list.html" in used and "base.html" in used
    assert 'role="search"' in response.content.decode()


# Who sees what.


def test_evaluators_see_contact_pseudonyms_not_names(client_for, team, broker, evaluator):
    contact = factories.ContactFactory(team=team, name="Dr Wilhelmina Names")
    activity(team, broker, title="Met a commissioner", contacts=[contact])

    response = client_for(evaluator).get(list_url(team), {"contact": contact.pk})

    content = response.content.decode()
    assert [a.title for a in response.context["object_list"]] == ["Met a commissioner"]
    assert "Wilhelmina" not in content
    assert contact.pseudonym in content


def test_brokers_see_contact_names(client_for, team, broker):
    contact = factories.ContactFactory(team=team, name="Dr Wilhelmina Names")
    activity(team, broker, title="Met a commissioner", contacts=[contact])

    content = client_for(broker).get(list_url(team)).content.decode()

    assert "Dr Wilhelmina Names" in content
    assert contact.pseudonym not in content


def test_it_hides_other_teams_activities(client_for, team, broker, other_team, other_broker):
    activity(team, broker, title="Ours")
    activity(other_team, other_broker, title="Theirs")

    assert titles(client_for(broker), team) == ["Ours"]


def test_it_refuses_other_teams_records_as_filter_values(
    client_for, team, broker, other_team, other_broker
):
    their_contact = factories.ContactFactory(team=other_team, name="Their contact")
    their_project = factories.ProjectFactory(team=other_team)
    activity(team, broker, title="Ours", contacts=[])
    activity(other_team, other_broker, title="Theirs", contacts=[their_contact])
    client = client_for(broker)

    for params in (
        {"contact": their_contact.pk},
        {"broker": other_broker.broker_profile.pk},
        {"project": their_project.pk},
        {"activity_type": factories.activity_type(other_team).pk},
    ):
        response = client.get(list_url(team), params)
        assert response.status_code == 200
        assert list(response.context["object_list"]) == [], params
        assert response.context["filter"].form.errors, params
        assert "Their contact" not in response.content.decode()


def test_it_shows_nothing_of_the_team_to_a_broker_of_another_team(client_for, team, other_broker):
    assert client_for(other_broker).get(list_url(team)).status_code == 404


def test_it_survives_garbage_in_the_filters(client_for, team, broker):
    activity(team, broker, title="Ours")

    response = client_for(broker).get(
        list_url(team),
        {
            "contact": "abc",
            "organisation": "x1",
            "date_from": "soon",
            "quarter": "2025-q9",
            "o": "?",
        },
    )

    assert response.status_code == 200
    assert list(response.context["object_list"]) == []


# Queries.


@freeze_time("2025-05-15")
def test_it_lists_with_a_fixed_number_of_queries(
    client_for, team, broker, lead, django_assert_num_queries
):
    colleagues = [factories.BrokerFactory(team=team) for _ in range(3)]
    contacts = [
        factories.ContactFactory(
            team=team, organisation=factories.OrganisationFactory(name=f"Org {n}")
        )
        for n in range(6)
    ]
    topics = [factories.models.Topic.objects.create(team=team, name=f"Topic {n}") for n in range(4)]
    organisations = [factories.OrganisationFactory(name=f"Partner {n}") for n in range(4)]
    conduits = list(Conduit.objects.all())
    projects = [factories.ProjectFactory(team=team) for _ in range(3)]
    for n in range(30):
        activity(
            team,
            broker if n % 2 else lead,
            date=datetime.date(2025, 4, 1) + datetime.timedelta(days=n),
            contacts=contacts[n % 3 : n % 3 + 3],
            co_brokers=colleagues[n % 2 : n % 2 + 2],
            topics=topics[n % 2 : n % 2 + 2],
            conduits=conduits[n % 3 : n % 3 + 2],
            organisations=organisations[n % 2 : n % 2 + 2],
            project=projects[n % 3],
        )
    client = client_for(broker)

    # 1 session, 2 user, 3 membership with team (team_access),
    # 4 the count of matching rows (capped) with the team's first activity date (the
    # quarter choices); 5 the activity types of the filter form (brokers, contacts,
    # organisations, topics and projects are searched as the user types; conduits are
    # fixed); 6 the page of activities with lead broker and user, and type;
    # prefetched: 7 co-brokers with users, 8 contacts.
    with django_assert_num_queries(8):
        response = client.get(list_url(team))

    assert len(response.context["object_list"]) == 30
