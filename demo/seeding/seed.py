"""`seed_demo()`: the two demo teams, the organisations and conduits they need, and deleting
a demo team again for `--reset`."""

import random
import time

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import CommandError
from django.db import router, transaction
from django.utils import timezone

from activities.duplicate_checks import check_later
from activities.models import CONDUITS, Activity, Conduit, Contact, Organisation, Outcome, Project
from demo.administrator import ensure_demo_admin
from demo.duplicates import seed_duplicates
from demo.evaluations import delete_evaluations
from demo.seeding.data.organisations import ORGANISATIONS
from demo.seeding.data.teams import PLANS
from demo.seeding.team import TeamSeeder
from teams.models import Membership, Team

DEMO_PASSWORD = "kmtracker-demo"
DEMO_TEAM_SLUGS = ("bristol", "west-midlands")


class Out:
    """Writes lines to a command's stdout, a StringIO, or nowhere."""

    def __init__(self, stream):
        self.stream = stream

    def __call__(self, line=""):
        if self.stream is not None:
            self.stream.write(line + "\n")


def seed_demo(scale=1, force=False, reset=False, stdout=None, seed=2024, today=None):
    """Create the two demo teams with their people, contacts, work, projects and outcomes.

    Does nothing when the demo teams already exist, unless `reset` deletes
    them first. Refuses with DEBUG off unless `force`. `scale` multiplies the
    number of activities, contacts and outcomes. Returns True when it seeded.
    """
    if not settings.DEBUG and not force:
        raise CommandError(
            "seed_demo refuses to run with DEBUG off: demo users have a published password. "
            "Use --force if you really want demo data in this database."
        )
    if not isinstance(scale, int) or scale < 1:
        raise CommandError(f"--scale must be a positive whole number, not {scale!r}.")
    out = Out(stdout)
    today = today or timezone.localdate()
    started = time.monotonic()
    password = _Password()
    with transaction.atomic():
        ensure_demo_admin(password.hashed())
        existing = Team.objects.filter(slug__in=DEMO_TEAM_SLUGS)
        if existing.exists():
            if not reset:
                out("The demo data is already there (teams: bristol, west-midlands); "
                    "use --reset to recreate it.")  # fmt: skip
                _print_logins(out)
                return False
            for team in existing:
                out(f"Deleting the demo team {team.slug} and its data…")
                delete_team(team)
        organisations = _ensure_organisations()
        ensure_conduits()
        rng = random.Random(seed)
        teams = []
        for plan in PLANS:
            seeder = TeamSeeder(plan, rng, today, scale, organisations, password, out, reset)
            teams.append(seeder.seed())
        # A few people entered twice, for the possible duplicates page.
        seed_duplicates(teams[0])
        # Found by the worker as it starts, so that the page shows them from the first visit.
        for team in teams:
            check_later(team.pk, delay=0)
    _print_summary(out, teams, time.monotonic() - started)
    return True


class _Password:
    """The demo password, hashed once: PBKDF2 is slow by design, and it is one password."""

    _hash = None

    def hashed(self):
        if self._hash is None:
            self._hash = make_password(DEMO_PASSWORD)
        return self._hash


def delete_team(team):
    """Delete a demo team and everything in it, without loading its rows into memory.

    Django's cascade would fetch every activity and write a history row for
    each deletion; demo data has no history worth keeping, so the link tables
    and the big tables go in plain DELETE statements.
    """
    using = router.db_for_write(Activity)
    Outcome.contacts.through.objects.filter(outcome__team=team).delete()
    Outcome.objects.filter(team=team)._raw_delete(using)
    for through in (
        Activity.co_brokers.through,
        Activity.contacts.through,
        Activity.organisations.through,
        Activity.topics.through,
        Activity.conduits.through,
    ):
        through.objects.filter(activity__team=team).delete()
    Activity.objects.filter(team=team)._raw_delete(using)
    Project.partners.through.objects.filter(project__team=team).delete()
    Project.objects.filter(team=team)._raw_delete(using)
    delete_evaluations(team)
    team_id = team.pk
    team.delete()
    for model in (Activity, Outcome, Project, Contact, Membership):
        model.history.filter(team_id=team_id).delete()


def ensure_conduits():
    """The five conduits: a migration adds them, but a database built without one lacks them."""
    for position, (code, label) in enumerate(CONDUITS):
        Conduit.objects.get_or_create(code=code, defaults={"label": label, "position": position})


def _ensure_organisations():
    """The shared organisations by name, creating those this installation lacks."""
    existing = {org.name.lower(): org for org in Organisation.objects.all()}
    missing = [
        Organisation(name=name, kind=kind, aliases=_aliases(name, short))
        for name, kind, _, short in ORGANISATIONS
        if name.lower() not in existing
    ]
    Organisation.objects.bulk_create(missing)
    existing = {org.name.lower(): org for org in Organisation.objects.all()}
    return {name: existing[name.lower()] for name, _, _, _ in ORGANISATIONS}


def _aliases(name, short):
    """What people call an organisation besides its name: "BNSSG ICB; BNSSG"."""
    if short == name or short.startswith("the "):
        return ""
    aliases = [short]
    for suffix in (" ICB", " CSU"):
        if short.endswith(suffix):
            aliases.append(short.removesuffix(suffix))
    return "; ".join(aliases)


def _print_summary(out, teams, seconds):
    out(f"Demo data created in {seconds:.1f}s:")
    for team in teams:
        counts = {
            "brokers": team.brokers.count(),
            "contacts": team.contacts.count(),
            "activities": team.activities.count(),
            "projects": team.projects.count(),
            "outcomes": team.outcomes.count(),
        }
        summary = ", ".join(f"{value:,} {name}" for name, value in counts.items())
        out(f"  {team.name} ({team.slug}): {summary}")
    _print_logins(out)


def _print_logins(out):
    out(f"Demo logins (password: {DEMO_PASSWORD}):")
    out("  broker     Bristol broker (NHS fellow)")
    out("  lead       Bristol team lead")
    out("  evaluator  Bristol evaluator")
    out("  wm-broker  West Midlands broker")
    out("  admin      site administrator: creates teams and invites their leads")
