"""seed_demo: two demo teams with realistic, valid data; safe to run again; off in production."""

import datetime
import io
from collections import Counter
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, F
from django.test import override_settings
from django.utils import timezone

from activities.duplicates import clusters
from activities.models import (
    Activity,
    Broker,
    Category,
    Community,
    Contact,
    Direction,
    Organisation,
    Outcome,
    Project,
)
from demo.duplicates import LOOK_ALIKES, SAME_PERSON
from demo.seeding import DEMO_PASSWORD, seed_demo
from teams.models import Membership, Team

pytestmark = pytest.mark.django_db

# A fixed day, so that "the last twelve months" and follow-ups do not depend on the calendar.
TODAY = datetime.date(2025, 6, 18)
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data, seeded once for this module and rolled back at its end.

    Seeding takes about a second; every test here reads the same data, and
    each test's own changes are still rolled back to a savepoint as usual.
    """
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER),
        transaction.atomic(),
    ):
        seed_demo(force=True, today=TODAY)
        yield
        transaction.set_rollback(True)


def demo_team(slug):
    return Team.objects.get(slug=slug)


def row_counts():
    """Rows of every table seed_demo writes, to compare two runs."""
    models = [get_user_model(), Team, Membership, Broker, Organisation, Contact, Project]
    models += [Activity, Outcome, Activity.contacts.through, Activity.co_brokers.through]
    models += [Activity.topics.through, Activity.conduits.through, Outcome.contacts.through]
    return {model.__name__: model.objects.count() for model in models}


def test_it_creates_the_two_demo_teams(demo):
    bristol, west_midlands = demo_team("bristol"), demo_team("west-midlands")

    assert bristol.name == "Bristol Knowledge Mobilisation Team"
    assert bristol.year_start_month == 4
    assert west_midlands.name == "West Midlands KM Programme"
    assert west_midlands.activities.count() < bristol.activities.count() / 3


def test_bristol_has_two_nhs_fellows_and_three_researchers_in_residence(demo):
    brokers = Broker.objects.filter(team=demo_team("bristol")).select_related("buddy")
    kinds = Counter(broker.kind for broker in brokers)

    assert kinds[Broker.Kind.NHS_FELLOW] == 2
    assert kinds[Broker.Kind.RESEARCHER_IN_RESIDENCE] == 3
    for broker in brokers.exclude(kind=Broker.Kind.OTHER):
        assert broker.home_organisation != broker.host_organisation
        assert Decimal("0.4") <= broker.fte <= Decimal("0.6")
        assert broker.contract_end.year - broker.contract_start.year == 2
        # Buddies pair an NHS fellow with a researcher-in-residence.
        assert broker.buddy.kind != broker.kind
    fellow = brokers.filter(kind=Broker.Kind.NHS_FELLOW).first()
    assert fellow.home_organisation.kind == Organisation.Kind.COMMISSIONER
    assert fellow.host_organisation.kind == Organisation.Kind.UNIVERSITY


@pytest.mark.parametrize(
    "username, slug, role, brokers",
    [
        ("broker", "bristol", "broker", True),
        ("lead", "bristol", "lead", True),
        ("evaluator", "bristol", "evaluator", False),
        ("wm-broker", "west-midlands", "broker", True),
    ],
)
def test_it_creates_the_demo_logins(demo, username, slug, role, brokers):
    user = get_user_model().objects.get(username=username)

    assert user.check_password(DEMO_PASSWORD)
    assert user.first_name and user.last_name
    assert list(user.memberships.values_list("team__slug", "role")) == [(slug, role)]
    assert user.broker_profiles.exists() is brokers


def test_it_creates_the_demo_site_administrator_and_no_membership_for_it(demo):
    admin = get_user_model().objects.get(username="admin")

    assert admin.is_superuser and admin.is_staff
    assert admin.check_password(DEMO_PASSWORD)
    assert not admin.memberships.exists()


def test_the_broker_login_is_an_nhs_fellow(demo):
    assert Broker.objects.get(user__username="broker").kind == Broker.Kind.NHS_FELLOW


def test_it_gives_each_team_contacts_in_every_community(demo):
    # Bristol has the seeded duplicates and look-alikes besides (demo.duplicates).
    seeded = 2 * len(SAME_PERSON) + len(LOOK_ALIKES)
    for slug, expected in [("bristol", 120 + seeded), ("west-midlands", 30)]:
        contacts = Contact.objects.filter(team=demo_team(slug))

        assert contacts.count() == expected
        assert set(contacts.values_list("community", flat=True)) == set(Community.values)
        emails = [email.lower() for email in contacts.values_list("email", flat=True) if email]
        assert len(emails) == len(set(emails))
        assert contacts.exclude(phone="").exists()


def test_it_keeps_each_team_to_its_own_people(demo):
    bristol, west_midlands = demo_team("bristol"), demo_team("west-midlands")
    bristol_names = set(bristol.contacts.values_list("name", flat=True))

    assert not bristol_names & set(west_midlands.contacts.values_list("name", flat=True))
    for name, through, column in [
        ("contacts", Activity.contacts.through, "contact__team"),
        ("co-brokers", Activity.co_brokers.through, "broker__team"),
    ]:
        crossing = through.objects.exclude(**{column: F("activity__team")})
        assert not crossing.exists(), f"an activity's {name} belong to another team"
    assert not Activity.objects.exclude(lead_broker__team=F("team")).exists()
    assert not Project.partners.through.objects.exclude(contact__team=F("project__team")).exists()


def test_bristol_holds_about_ten_seminars_a_year(demo):
    seminars = Activity.objects.filter(
        team=demo_team("bristol"),
        activity_type__name="Seminar delivered",
        date__gt=TODAY - datetime.timedelta(days=365),
    )

    assert 6 <= seminars.count() <= 14
    for seminar in seminars:
        assert seminar.category == Category.AWARENESS_RAISING
        assert 15 <= seminar.attendees <= 80
        assert seminar.setting in ("commissioning", "academic")


def test_bristol_work_follows_the_seed_evaluations_proportions(demo):
    activities = Activity.objects.filter(team=demo_team("bristol"))
    by_category = Counter(activities.values_list("category", flat=True))
    by_direction = Counter(activities.values_list("direction", flat=True))
    co_brokered = activities.annotate(n=Count("co_brokers")).filter(n__gt=0).count()

    assert [category for category, _ in by_category.most_common(2)] == [
        Category.RELATIONSHIP_BUILDING,
        Category.ADVICE_CONSULTATION,
    ]
    assert (
        by_direction[Direction.COMMISSIONING_INFORMED_RESEARCH]
        > by_direction[Direction.RESEARCH_INFORMED_COMMISSIONING]
    )
    assert 0.2 < co_brokered / activities.count() < 0.4
    # About two years of 8 to 15 activities a month for the broker login.
    per_month = activities.filter(lead_broker__user__username="broker").count() / 24
    assert 8 <= per_month <= 15
    assert activities.earliest("date").date > TODAY - datetime.timedelta(days=2 * 366)
    assert activities.latest("date").date <= TODAY


def test_every_activity_has_contacts_topics_and_conduits(demo):
    activities = Activity.objects.filter(team=demo_team("bristol"))
    annotated = activities.annotate(
        contacts_n=Count("contacts", distinct=True),
        topics_n=Count("topics", distinct=True),
        conduits_n=Count("conduits", distinct=True),
    )

    assert not annotated.filter(contacts_n=0).exists()
    assert not annotated.filter(contacts_n__gt=4).exists()
    assert not annotated.filter(topics_n=0).exists()
    assert not annotated.filter(conduits_n=0).exists()
    assert not activities.exclude(created_by=F("lead_broker__user")).exists()


def test_the_broker_login_has_follow_ups_due_in_the_coming_week(demo):
    due = Activity.objects.filter(
        lead_broker__user__username="broker",
        follow_up_date__gt=TODAY,
        follow_up_date__lte=TODAY + datetime.timedelta(days=7),
    )

    assert due.count() >= 2


def test_it_makes_projects_in_every_status_with_consistent_dates(demo):
    projects = Project.objects.filter(team=demo_team("bristol"))

    assert set(projects.values_list("status", flat=True)) == set(Project.Status.values)
    assert projects.filter(status="funded", amount_awarded__gt=0).exists()
    assert projects.filter(status="unsuccessful", amount_awarded__isnull=True).exists()
    assert projects.filter(co_produced=True, kind="research_bid").exists()
    for project in projects.filter(decided_on__isnull=False):
        assert project.submitted_on <= project.decided_on <= TODAY
    assert projects.filter(activities__isnull=False).distinct().count() >= 10
    assert not projects.filter(partners__isnull=True).exists()


def test_its_projects_have_a_dated_status_history_ending_at_their_status(demo):
    projects = Project.objects.filter(team=demo_team("bristol"))

    for project in projects:
        records = list(project.history.order_by("history_date", "history_id"))
        assert records[-1].status == project.status
        dates = [timezone.localdate(record.history_date) for record in records]
        assert dates == sorted(dates) and dates[-1] <= TODAY
        if project.submitted_on:
            statuses = [record.status for record in records]
            assert "submitted" in statuses
            submitted = records[statuses.index("submitted")]
            assert timezone.localdate(submitted.history_date) >= project.submitted_on


def test_its_outcomes_cover_every_type(demo):
    outcomes = Outcome.objects.filter(team=demo_team("bristol"))

    assert 40 <= outcomes.count() <= 90
    assert set(outcomes.values_list("type", flat=True)) == set(Outcome.Type.values)
    assert not outcomes.filter(type="capability_change", capability_dimension="").exists()
    assert outcomes.filter(activity__isnull=False).exists()
    assert outcomes.filter(activity__isnull=True, project__isnull=False).exists()
    assert outcomes.filter(value_gbp__gt=0).exists()


def test_its_rows_pass_model_validation(demo):
    models = [Broker, Contact, Project, Outcome]
    for model in models:
        for row in model.objects.all():
            row.full_clean()
    # A sample: each activity's validation costs a query per foreign key.
    for activity in Activity.objects.order_by("pk")[::40]:
        activity.full_clean()


def test_running_it_again_creates_nothing_new(demo):
    before = row_counts()
    out = io.StringIO()

    assert seed_demo(force=True, stdout=out, today=TODAY) is False

    assert row_counts() == before
    assert "already there" in out.getvalue()


def test_reset_recreates_the_same_data(demo):
    before = row_counts()
    out = io.StringIO()

    assert seed_demo(force=True, reset=True, stdout=out, today=TODAY) is True

    assert row_counts() == before
    assert "bristol" in out.getvalue()
    assert "wm-broker" in out.getvalue()
    assert get_user_model().objects.get(username="broker").check_password(DEMO_PASSWORD)


def test_it_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=io.StringIO())


def test_it_runs_with_debug_off_when_forced(demo, settings):
    settings.DEBUG = False
    out = io.StringIO()

    call_command("seed_demo", "--force", stdout=out)

    assert "already there" in out.getvalue()


def test_the_command_takes_only_a_positive_scale():
    with pytest.raises(CommandError, match="positive"):
        call_command("seed_demo", "--scale", "0", "--force")


def test_the_possible_duplicates_page_of_the_demo_shows_the_seeded_duplicates(demo):
    """Among the demo's ~140 Bristol contacts, the finder's pairs are mostly the seeded
    duplicates: its precision on a whole team, look-alikes and chance collisions included."""
    team = demo_team("bristol")
    seeded = {frozenset(pair) for pair in _seeded_pairs(team)}
    found = {
        frozenset((one.pk, two.pk))
        for cluster in clusters(team.contacts.all())
        for one, two, _score, _reasons in cluster.links
    }
    precision = len(found & seeded) / len(found)
    print(f"demo bristol: {len(found)} pairs found, {len(found & seeded)} of {len(seeded)} seeded")
    assert len(found & seeded) >= len(seeded) - 1
    assert precision >= 0.7


def _seeded_pairs(team):
    """The seeded pairs: demo.duplicates adds its contacts last, each pair side by side."""
    count = 2 * len(SAME_PERSON) + len(LOOK_ALIKES)
    pks = sorted(team.contacts.order_by("-pk").values_list("pk", flat=True)[:count])
    return [(pks[2 * n], pks[2 * n + 1]) for n in range(len(SAME_PERSON))]
