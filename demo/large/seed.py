"""`seed_large()`: the large dataset in one transaction, and deleting it again."""

import random
import sys
import time

from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from activities.models import Activity, Contact, Outcome
from demo.large.seeder import LargeSeeder
from demo.large.shape import LARGE_ACTIVITIES, LARGEST_TEAM_LEAD, TEAM_COUNT, TEAM_SLUGS, Sizes
from demo.seeding import DEMO_PASSWORD
from demo.seeding.seed import Out, delete_team
from teams.models import Team


def seed_large(activities=LARGE_ACTIVITIES, force=False, reset=False, stdout=None, stderr=None,
               seed=2024, today=None):  # fmt: skip
    """Create the large dataset's teams and rows; returns the seconds it took, or None
    when the teams are already there (and `reset` is off)."""
    from django.conf import settings

    if not settings.DEBUG and not force:
        raise CommandError(
            "seed_demo refuses to run with DEBUG off: demo users have a published password. "
            "Use --force if you really want demo data in this database."
        )
    if activities < TEAM_COUNT:
        raise CommandError(f"--activities must be at least {TEAM_COUNT}.")
    out = Out(stdout)
    stderr = stderr or sys.stderr
    today = today or timezone.localdate()
    started = time.monotonic()
    with transaction.atomic():
        existing = Team.objects.filter(slug__in=TEAM_SLUGS)
        if existing.exists():
            if not reset:
                out("The large dataset is already there; use --reset to recreate it.")
                return None
            out("Deleting the large dataset's teams and their data…")
            delete_large(existing)
        seeder = LargeSeeder(Sizes(activities), random.Random(seed), today, out, stderr)
        seeder.seed()
    seconds = time.monotonic() - started
    out(f"Large dataset created in {seconds:.1f}s: {seeder.summary()}.")
    out(f"Sign in as {LARGEST_TEAM_LEAD} (lead of the largest team) with the password "
        f"{DEMO_PASSWORD}; every team has <slug>-lead, <slug>-broker-NNN and "
        "<slug>-evaluator.")  # fmt: skip
    return seconds


def delete_large(teams):
    """Delete the large teams with plain DELETE statements (no rows loaded, no history)."""
    for team in teams:
        Contact.objects.filter(team=team).update(organisation=None)
        with connection.cursor() as cursor:
            for table, column, subquery in _team_rows(team.pk):
                cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({subquery})", [team.pk])
        delete_team(team)


def _team_rows(team_id):
    """(table, column, subquery of ids) of a team's bulk rows, dependents first."""
    activity_ids = f"SELECT id FROM {Activity._meta.db_table} WHERE team_id = %s"
    outcome_ids = f"SELECT id FROM {Outcome._meta.db_table} WHERE team_id = %s"
    rows = [(Outcome.contacts.through._meta.db_table, "outcome_id", outcome_ids)]
    for field in ("co_brokers", "contacts", "organisations", "topics", "conduits"):
        through = getattr(Activity, field).through._meta.db_table
        rows.append((through, "activity_id", activity_ids))
    rows.append((Outcome._meta.db_table, "team_id", "%s"))
    return rows
