"""seed_demo --scale large: the large dataset, at a small size, valid for the app's rules."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count, F, Q
from django.test import override_settings

from activities.models import Activity, ActivityType, Contact, Outcome, Project
from demo.large import (
    BULK_TABLES,
    LARGEST_TEAM_LEAD,
    LARGEST_TEAM_SLUG,
    TEAM_COUNT,
    TEAM_SLUGS,
    seed_large,
)
from teams.models import Membership, Team

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = datetime.date(2025, 6, 18)
ACTIVITIES = 2_000
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def index_definitions():
    """Every index and constraint of the bulk-loaded tables, as the database reports it."""
    if connection.vendor != "postgresql":
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
            "UNION ALL SELECT conname || pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid::regclass::text = ANY(%s)",
            [list(BULK_TABLES), list(BULK_TABLES)],
        )
        return {row[0] for row in cursor.fetchall()}


@pytest.fixture
def seeded():
    before = index_definitions()
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        seed_large(activities=ACTIVITIES, force=True, today=TODAY, stderr=io.StringIO())
    return before


def test_it_makes_the_counts_asked_for_in_twenty_teams(seeded):
    assert Team.objects.filter(slug__in=TEAM_SLUGS).count() == TEAM_COUNT
    assert Activity.objects.count() == ACTIVITIES
    links = Activity.contacts.through.objects.count()
    assert 2.2 * ACTIVITIES < links < 2.8 * ACTIVITIES
    assert 0.15 * ACTIVITIES < Outcome.objects.count() < 0.25 * ACTIVITIES
    assert Contact.objects.count() >= ACTIVITIES // 10
    assert Project.objects.count() >= TEAM_COUNT * 3


def test_it_keeps_indexes_and_constraints_as_they_were(seeded):
    assert index_definitions() == seeded


def test_its_rows_follow_the_apps_rules(seeded):
    # Every activity's type is of its team and category; its broker and contacts too.
    assert not Activity.objects.exclude(activity_type__team=F("team")).exists()
    assert not Activity.objects.exclude(activity_type__category=F("category")).exists()
    assert not Activity.objects.exclude(lead_broker__team=F("team")).exists()
    assert (
        not Activity.objects.filter(contacts__isnull=False)
        .exclude(contacts__team=F("team"))
        .exists()
    )
    assert (
        not Activity.objects.filter(project__isnull=False).exclude(project__team=F("team")).exists()
    )
    assert not Activity.objects.filter(date__gt=TODAY).exists()
    assert not Outcome.objects.exclude(activity__team=F("team")).exists()
    assert not Project.objects.filter(decided_on__lt=F("submitted_on")).exists()
    # Brokers and leads are members of their team; each team has a lead who brokers.
    for team in Team.objects.filter(slug__in=TEAM_SLUGS):
        brokers = set(team.brokers.values_list("user_id", flat=True))
        members = set(team.memberships.values_list("user_id", flat=True))
        assert brokers <= members
        lead = team.memberships.get(role=Membership.Role.LEAD)
        assert lead.user_id in brokers


def test_some_brokers_and_contacts_carry_most_of_the_work(seeded):
    team = Team.objects.get(slug=LARGEST_TEAM_SLUG)
    per_broker = sorted(
        team.brokers.annotate(n=Count("led_activities")).values_list("n", flat=True),
        reverse=True,
    )
    assert per_broker[0] > 4 * max(1, per_broker[len(per_broker) // 2])
    assert team.activities.count() == max(
        Team.objects.filter(slug__in=TEAM_SLUGS)
        .annotate(n=Count("activities"))
        .values_list("n", flat=True)
    )
    quiet = Activity.objects.filter(Q(date__month=8) | Q(date__month=12)).count() / 2
    busy = Activity.objects.filter(date__month=3).count()
    assert busy > quiet


def test_new_ids_follow_the_seeded_ones(seeded):
    types = ActivityType.objects.filter(team__slug=LARGEST_TEAM_SLUG)
    contact = Contact.objects.create(team=types.first().team, name="After", community="other")
    assert contact.pk > Contact.objects.exclude(pk=contact.pk).order_by("-pk").first().pk


def test_the_lead_of_the_largest_team_has_the_demo_password(seeded):
    lead = get_user_model().objects.get(username=LARGEST_TEAM_LEAD)
    assert lead.check_password("kmtracker-demo")


def test_it_does_nothing_the_second_time_unless_reset(seeded):
    out = io.StringIO()
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        assert seed_large(activities=ACTIVITIES, force=True, today=TODAY, stdout=out) is None
        assert "already there" in out.getvalue()
        seed_large(activities=500, force=True, reset=True, today=TODAY, stderr=io.StringIO())
    assert Activity.objects.count() == 500


def test_the_command_takes_the_scale_and_a_count(settings):
    settings.PASSWORD_HASHERS = FAST_HASHER
    settings.DEBUG = True
    out, err = io.StringIO(), io.StringIO()
    call_command("seed_demo", "--scale", "large", "--activities", "300", stdout=out, stderr=err)
    assert Activity.objects.count() == 300
    assert "activities [" in err.getvalue()
    with pytest.raises(CommandError, match="--scale large"):
        call_command("seed_demo", "--activities", "300")
