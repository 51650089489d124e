"""A large dataset on demand, for measuring: `seed_demo --scale large`.

Twenty teams of a national programme, 400 brokers, 100,000 contacts, 1,000,000
activities with about 2,500,000 activity–contact links, 200,000 outcomes and
20,000 projects (`activities=` scales every count but teams and brokers).

The distributions are those of a real log, not uniform noise: teams differ in
size (Zipf-like weights), a few brokers log most of a team's work, a few key
contacts appear again and again while the network grows over the years,
activity follows the year's seasons (quiet Augusts and Christmases, busy
year-ends) and grows as teams mature, and the mix of categories, types,
settings, directions and conduits follows the demo teams' shape.

Rows are generated in Python and written with PostgreSQL's COPY; the big
tables' secondary indexes and constraints are dropped first and rebuilt after
(every foreign key is re-validated when it is added back), all in one
transaction, so a failure leaves the database as it was. SQLite gets the same
rows through plain INSERTs: slower, and fine for small counts. Bulk-seeded rows
have no history records, and these teams have no reflective log or evaluations.
"""

import bisect
import datetime
import itertools
import random
import sys
import time
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from activities.models import (
    Activity,
    ActivityType,
    Broker,
    Category,
    Community,
    Contact,
    Organisation,
    Outcome,
    Project,
    Topic,
)
from demo.seeding import DEMO_PASSWORD
from demo.seeding.data.activity_types import (
    COMMUNITY_WEIGHTS,
    CONDUIT_WEIGHTS,
    DIRECTION_WEIGHTS,
    TYPE_SPECS,
    WORK_MIX,
)
from demo.seeding.data.organisations import OTHER_TITLES, PATIENT_PUBLIC_TITLES, RESEARCH_TITLES
from demo.seeding.data.outcome_texts import CAPABILITY_TEXT, EVIDENCE_TEXT, OUTCOME_TEXT
from demo.seeding.data.teams import PLANS
from demo.seeding.sampling import weighted
from demo.seeding.seed import Out, delete_team, ensure_conduits
from teams.models import Membership, Team

LARGE_ACTIVITIES = 1_000_000
TEAM_COUNT = 20
BROKER_COUNT = 400
# Per activity: the large dataset's proportions, kept at any size.
CONTACTS_PER_ACTIVITY = 0.1
OUTCOMES_PER_ACTIVITY = 0.2
PROJECTS_PER_ACTIVITY = 0.02
YEARS = 5
# Activities generated and written per round: memory stays flat at any size.
ROUND = 50_000
SLUG_PREFIX = "large-"

REGIONS = [
    "North East and North Cumbria", "Yorkshire and Humber", "Greater Manchester",
    "Lancashire and South Cumbria", "Cheshire and Merseyside", "East Midlands",
    "West Midlands", "East of England", "North Thames", "South London",
    "Kent, Surrey and Sussex", "Wessex", "South West Peninsula", "Thames Valley",
    "Oxford and Buckinghamshire", "Cambridgeshire", "North Wales", "South Wales",
    "West of Scotland", "Humber and North Yorkshire",
]  # fmt: skip
TEAM_SLUGS = tuple(
    SLUG_PREFIX + region.lower().replace(",", "").replace(" and ", "-").replace(" ", "-")
    for region in REGIONS
)
# The first team is the largest; its lead is the login the benchmarks use.
LARGEST_TEAM_SLUG = TEAM_SLUGS[0]
LARGEST_TEAM_LEAD = f"{LARGEST_TEAM_SLUG}-lead"

Kind = Organisation.Kind
# Each region's organisations: (name suffix, kind, community whose contacts work there).
ORGANISATION_SUFFIXES = [
    ("University", Kind.UNIVERSITY, Community.RESEARCH),
    ("Institute of Health Research", Kind.UNIVERSITY, Community.RESEARCH),
    ("Applied Research Collaboration", Kind.OTHER, Community.RESEARCH),
    ("Integrated Care Board", Kind.COMMISSIONER, Community.COMMISSIONING),
    ("Commissioning Support Unit", Kind.SUPPORT_UNIT, Community.COMMISSIONING),
    ("County Council", Kind.LOCAL_AUTHORITY, Community.COMMISSIONING),
    ("City Council", Kind.LOCAL_AUTHORITY, Community.COMMISSIONING),
    ("Teaching Hospitals NHS Foundation Trust", Kind.PROVIDER, Community.CLINICAL),
    ("Community Health NHS Trust", Kind.PROVIDER, Community.CLINICAL),
    ("Mental Health NHS Foundation Trust", Kind.PROVIDER, Community.CLINICAL),
    ("Ambulance Service NHS Trust", Kind.PROVIDER, Community.CLINICAL),
    *[(f"Primary Care Network {n}", Kind.PROVIDER, Community.CLINICAL) for n in range(1, 9)],
    ("Healthwatch", Kind.VOLUNTARY, Community.PATIENT_PUBLIC),
    ("Mind", Kind.VOLUNTARY, Community.PATIENT_PUBLIC),
    ("Age UK", Kind.VOLUNTARY, Community.PATIENT_PUBLIC),
    ("Carers Centre", Kind.VOLUNTARY, Community.PATIENT_PUBLIC),
    ("Health Analytics Ltd", Kind.COMMERCIAL, Community.OTHER),
    ("Health Innovation Network", Kind.OTHER, Community.OTHER),
]
JOB_TITLES = {
    Community.RESEARCH: RESEARCH_TITLES,
    Community.COMMISSIONING: [
        "Senior Commissioning Manager", "Head of Commissioning", "Programme Director",
        "Public Health Consultant", "Commissioning Manager", "Head of Strategy",
    ],
    Community.CLINICAL: [
        "GP Partner", "Consultant Geriatrician", "Advanced Nurse Practitioner",
        "Clinical Lead", "Consultant Psychiatrist", "Physiotherapist", "Practice Manager",
    ],
    Community.PATIENT_PUBLIC: PATIENT_PUBLIC_TITLES,
    Community.OTHER: OTHER_TITLES,
}  # fmt: skip
TOPICS = {
    "frailty": 10, "urgent care": 9, "mental health": 10, "maternity": 6, "diabetes": 6,
    "social prescribing": 6, "children and young people": 5, "end of life care": 4,
    "dementia": 5, "musculoskeletal": 3, "health inequalities": 8, "respiratory": 3,
    "cardiovascular disease": 4, "primary care workforce": 4, "virtual wards": 3,
    "community diagnostics": 3, "stroke": 3, "cancer screening": 4, "obesity": 3,
    "perinatal mental health": 3, "sickle cell": 1, "falls prevention": 3,
}  # fmt: skip
FIRST_NAMES = sorted({name for plan in PLANS for name in plan.first_names})
LAST_NAMES = sorted({name for plan in PLANS for name in plan.last_names})
# Quiet Augusts and Christmases, busy ends of the financial year.
MONTH_WEIGHTS = (1.1, 1.15, 1.3, 0.9, 1.05, 1.05, 0.9, 0.5, 1.0, 1.15, 1.15, 0.7)
WEEKEND_WEIGHT = 0.03
BROKER_KINDS = {
    Broker.Kind.NHS_FELLOW: 40,
    Broker.Kind.RESEARCHER_IN_RESIDENCE: 45,
    Broker.Kind.OTHER: 15,
}
# Contacts per activity: 2.5 on average.
CONTACT_COUNTS = (1, 2, 2, 2, 3, 3, 3, 3, 4, 4)
OUTCOME_WEIGHTS = {
    Outcome.Type.CONNECTION_MADE: 30,
    Outcome.Type.COLLABORATION_FORMED: 14,
    Outcome.Type.EVALUATION_STARTED: 6,
    Outcome.Type.EVIDENCE_USED_IN_DECISION: 10,
    Outcome.Type.RESEARCH_SHAPED_BY_COMMISSIONING: 6,
    Outcome.Type.CAPABILITY_CHANGE: 18,
    Outcome.Type.OUTPUT: 10,
    Outcome.Type.OTHER: 4,
}
PROJECT_OUTCOME_WEIGHTS = {
    **OUTCOME_WEIGHTS,
    Outcome.Type.BID_SUBMITTED: 8,
    Outcome.Type.BID_FUNDED: 4,
}
PROJECT_STATUSES = {
    Project.Status.IDEA: 15,
    Project.Status.DEVELOPING: 20,
    Project.Status.SUBMITTED: 15,
    Project.Status.FUNDED: 20,
    Project.Status.UNSUCCESSFUL: 20,
    Project.Status.WITHDRAWN: 5,
    Project.Status.COMPLETED: 5,
}
FUNDERS = ["NIHR HS&DR", "NIHR RfPB", "The Health Foundation", "NIHR ARC", "The local ICB"]
PROJECT_PHRASES = [
    "a mixed-methods study", "a rapid evaluation", "co-designing an intervention",
    "a realist evaluation", "what works and for whom", "a service improvement pilot",
    "costs and outcomes", "a feasibility study",
]  # fmt: skip
TEXT_VARIANTS = 24  # pre-written titles and descriptions per team and activity type

# The big tables: their secondary indexes and constraints are rebuilt after the load.
BULK_TABLES = (
    Contact._meta.db_table,
    Project._meta.db_table,
    Project.partners.through._meta.db_table,
    Activity._meta.db_table,
    Activity.co_brokers.through._meta.db_table,
    Activity.contacts.through._meta.db_table,
    Activity.organisations.through._meta.db_table,
    Activity.topics.through._meta.db_table,
    Activity.conduits.through._meta.db_table,
    Outcome._meta.db_table,
    Outcome.contacts.through._meta.db_table,
)


@dataclass(frozen=True)
class Sizes:
    """How many rows of each kind to make."""

    activities: int

    @property
    def contacts(self):
        return max(TEAM_COUNT * 20, round(self.activities * CONTACTS_PER_ACTIVITY))

    @property
    def outcomes(self):
        return round(self.activities * OUTCOMES_PER_ACTIVITY)

    @property
    def projects(self):
        return max(TEAM_COUNT * 3, round(self.activities * PROJECTS_PER_ACTIVITY))


class ProgressBar:
    """A plain-text progress bar on stderr: redrawn in place on a terminal, a line per
    tenth of the way otherwise (logs, CI)."""

    WIDTH = 30

    def __init__(self, label, total, stream=None):
        self.label, self.total = label, max(1, total)
        self.stream = stream or sys.stderr
        self.live = getattr(self.stream, "isatty", lambda: False)()
        self.done = 0
        self.shown = -1
        self.started = time.monotonic()

    def advance(self, count):
        self.done = min(self.total, self.done + count)
        step = self.done * 100 // self.total if self.live else self.done * 10 // self.total * 10
        if step != self.shown:
            self.shown = step
            self._draw()

    def _draw(self):
        filled = self.WIDTH * self.done // self.total
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        seconds = time.monotonic() - self.started
        line = (
            f"{self.label} [{bar}] {self.done * 100 // self.total:3d}% "
            f"{self.done:,}/{self.total:,} {seconds:.1f}s"
        )
        end = "\n" if not self.live or self.done == self.total else ""
        self.stream.write(("\r" if self.live else "") + line + end)
        self.stream.flush()


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
        seeder = _LargeSeeder(Sizes(activities), random.Random(seed), today, out, stderr)
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


def _zipf(count, exponent):
    """Heavy-tailed weights for `count` items: the first few get most of the picks."""
    return [1 / (rank + 1) ** exponent for rank in range(count)]


def _pick(rng, cumulative):
    """An index chosen in proportion to the weights whose running sums are `cumulative`."""
    return bisect.bisect(cumulative, rng.random() * cumulative[-1])


def _share(total, weights, minimum):
    """`total` split in proportion to `weights`, each share at least `minimum`."""
    whole = sum(weights)
    shares = [max(minimum, int(total * weight / whole)) for weight in weights]
    shares[0] += max(0, total - sum(shares))
    return shares


def _cumulative_choice(weights):
    """(items as plain text, cumulative weights) of a {item: weight} mapping, for bisect.

    Plain text: a choices member hashes by its name, not its value.
    """
    return [str(item) for item in weights], list(itertools.accumulate(weights.values()))


class _Writer:
    """Writes rows with COPY on PostgreSQL and INSERT elsewhere, with ids chosen here."""

    def __init__(self, cursor):
        self.cursor = cursor
        self.postgres = connection.vendor == "postgresql"

    def next_id(self, table):
        """The first free id of `table`; the caller writes ids from there up."""
        if self.postgres:
            self.cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        self.cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        return self.cursor.fetchone()[0]

    def write(self, model, columns, rows):
        """Write `rows` (tuples of `columns`) to the table of `model` (a model or a
        many-to-many field's through model), filling columns they leave out with the
        model's defaults unless the database has its own."""
        table = model._meta.db_table
        extra = [
            field
            for field in model._meta.concrete_fields
            if field.column not in columns and not field.primary_key and not field.has_db_default()
        ]
        if extra:
            columns = (*columns, *(field.column for field in extra))
            defaults = tuple(field.get_db_prep_save(field.get_default(), connection)
                             for field in extra)  # fmt: skip
            rows = (row + defaults for row in rows)
        if self.postgres:
            with self.cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                write_row = copy.write_row
                for row in rows:
                    write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
            self.cursor.executemany(sql, list(rows))

    def restart_ids(self, table):
        """Move the table's id sequence past the ids written here."""
        if self.postgres:
            self.cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT GREATEST(MAX(id), 1) FROM {table}))"
            )

    def timestamp(self, day):
        """Late afternoon of `day` (an ISO date), as the database's column expects it."""
        return f"{day} 16:30:00+00:00" if self.postgres else f"{day} 16:30:00"


class _Rebuilt:
    """Drops the secondary indexes, unique constraints and foreign keys of `tables` on
    enter and adds them back, exactly as they were, on exit (PostgreSQL only).

    Building an index once over all rows is far faster than updating it row by row,
    and adding a foreign key back checks every row in one join instead of one lookup
    per row. Primary keys stay.
    """

    def __init__(self, cursor, tables, out):
        self.cursor, self.tables, self.out = cursor, tables, out
        self.indexes, self.constraints = [], []

    def __enter__(self):
        if connection.vendor != "postgresql":
            return self
        cursor = self.cursor
        # Check the rows written so far now: a table with checks still pending cannot
        # be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in self.tables:
            cursor.execute(
                "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype IN ('f', 'u') ORDER BY contype DESC",
                [table],
            )
            for name, kind, definition in cursor.fetchall():
                self.constraints.append((table, name, kind, definition))
            cursor.execute(
                "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid "
                "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT EXISTS ("
                "  SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid"
                "  AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))",
                [table],
            )
            self.indexes.extend(cursor.fetchall())
        for table, name, _kind, _definition in self.constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in self.indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        return self

    def __exit__(self, kind, error, traceback):
        if kind is not None or connection.vendor != "postgresql":
            return False
        started = time.monotonic()
        cursor = self.cursor
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _name, definition in self.indexes:
            cursor.execute(definition)
        # Unique constraints before foreign keys: nothing here references them, but keep
        # the order Django created them in.
        for table, name, _kind, definition in sorted(self.constraints, key=lambda c: c[2] != "u"):
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        # Fresh statistics for every table, the small ones written here included: plans
        # made for empty tables would read a million rows as if they were a hundred.
        cursor.execute("ANALYZE")
        self.out(
            f"  {len(self.indexes)} indexes and {len(self.constraints)} constraints rebuilt, "
            f"tables analysed in {time.monotonic() - started:.1f}s"
        )
        return False


@dataclass
class _TeamData:
    """One team as the generator needs it: ids, weights and pre-written texts."""

    team: Team
    weight: float
    brokers: list  # (broker id, user id, kind)
    broker_cum: list
    types: dict  # kind -> ((category, type id, type name), cumulative weights)
    topics: list  # (topic id, name)
    topic_cum: list
    contact_ids: list = None
    contact_orgs: list = None
    contact_cum: list = None
    known: list = None  # per day index: how many contacts the team knows by then
    projects: list = None  # (start day index, project id), by start
    texts: dict = None  # type name -> [(title, description)]
    outcome_texts: dict = None


class _LargeSeeder:
    def __init__(self, sizes, rng, today, out, stderr):
        self.sizes, self.rng, self.today, self.out, self.stderr = sizes, rng, today, out, stderr
        self.start = today.replace(year=today.year - YEARS) + datetime.timedelta(days=1)
        self.days = [
            self.start + datetime.timedelta(days=n) for n in range((today - self.start).days + 1)
        ]
        self.day_text = [day.isoformat() for day in self.days]
        # Seasonal, mostly weekdays, and growing as the programme matures.
        weights = [
            MONTH_WEIGHTS[day.month - 1]
            * (WEEKEND_WEIGHT if day.weekday() >= 5 else 1)
            * (0.6 + 0.4 * n / len(self.days))
            for n, day in enumerate(self.days)
        ]
        self.day_cum = list(itertools.accumulate(weights))
        self.counts = {}

    def seed(self):
        self.cursor = connection.cursor()
        self.writer = _Writer(self.cursor)
        self.out(
            f"Seeding {TEAM_COUNT} teams, {BROKER_COUNT} brokers, {self.sizes.contacts:,} "
            f"contacts, {self.sizes.activities:,} activities, {self.sizes.projects:,} projects…"
        )
        self.organisations = self._organisations()
        ensure_conduits()
        self.conduit_weights = {
            str(category): _cumulative_choice(weights)
            for category, weights in CONDUIT_WEIGHTS.items()
        }
        self.teams = self._teams()
        with _Rebuilt(self.cursor, BULK_TABLES, self.out):
            self._contacts()
            self._projects()
            self._activities()
        for table in BULK_TABLES:
            self.writer.restart_ids(table)

    def summary(self):
        return ", ".join(f"{count:,} {name}" for name, count in self.counts.items())

    # Teams, people, vocabulary ---------------------------------------------------

    def _organisations(self):
        """Each region's organisations by community: {team index: {community: [org id]}}."""
        wanted = [
            (f"{region} {suffix}", kind) for region in REGIONS for suffix, kind, _ in
            ORGANISATION_SUFFIXES
        ]  # fmt: skip
        existing = {name.lower() for name in Organisation.objects.values_list("name", flat=True)}
        Organisation.objects.bulk_create(
            Organisation(name=name, kind=kind)
            for name, kind in wanted
            if name.lower() not in existing
        )
        ids = {name.lower(): pk for pk, name in Organisation.objects.values_list("pk", "name")}
        by_team = []
        for region in REGIONS:
            communities = {community: [] for community in Community.values}
            for suffix, _kind, community in ORGANISATION_SUFFIXES:
                communities[str(community)].append(ids[f"{region} {suffix}".lower()])
            # Patients and the public often come without an organisation.
            communities[str(Community.PATIENT_PUBLIC)] += [None] * 4
            by_team.append(communities)
        return by_team

    def _teams(self):
        rng = self.rng
        password = make_password(DEMO_PASSWORD)
        weights = _zipf(TEAM_COUNT, 0.7)
        broker_counts = _share(BROKER_COUNT, weights, 3)
        User = get_user_model()
        usernames = []
        for slug, count in zip(TEAM_SLUGS, broker_counts, strict=True):
            usernames += [f"{slug}-lead", f"{slug}-evaluator"]
            usernames += [f"{slug}-broker-{n:03d}" for n in range(1, count)]
        known = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
        User.objects.bulk_create(
            User(
                username=name,
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                email=f"{name}@kmtracker.example",
                password=password,
            )
            for name in usernames
            if name not in known
        )
        users = dict(User.objects.filter(username__in=usernames).values_list("username", "pk"))
        teams = []
        for index, (region, slug) in enumerate(zip(REGIONS, TEAM_SLUGS, strict=True)):
            team = Team.objects.create(name=f"{region} KM Programme", slug=slug)
            Membership.objects.bulk_create(
                [
                    Membership(team=team, user_id=users[f"{slug}-lead"], role="lead"),
                    Membership(team=team, user_id=users[f"{slug}-evaluator"], role="evaluator"),
                ]
                + [
                    Membership(team=team, user_id=users[f"{slug}-broker-{n:03d}"], role="broker")
                    for n in range(1, broker_counts[index])
                ]
            )
            # Leads broker too: they are the team's first broker.
            names = [f"{slug}-lead"] + [
                f"{slug}-broker-{n:03d}" for n in range(1, broker_counts[index])
            ]
            orgs = self.organisations[index]
            contract_start = self.start
            brokers = Broker.objects.bulk_create(
                Broker(
                    team=team,
                    user_id=users[name],
                    kind=Broker.Kind.OTHER if n == 0 else weighted(rng, BROKER_KINDS),
                    home_organisation_id=orgs["research"][0],
                    host_organisation_id=orgs["commissioning"][0],
                    fte=rng.choice(("0.2", "0.4", "0.5", "0.6", "0.8", "1.0")),
                    contract_start=contract_start,
                    contract_end=self.today.replace(year=self.today.year + 1),
                )
                for n, name in enumerate(names)
            )
            broker_rows = [(b.pk, b.user_id, str(b.kind)) for b in brokers]
            broker_weights = [
                w * float(b.fte)
                for w, b in zip(_zipf(len(brokers), 0.8), brokers, strict=True)
            ]  # fmt: skip
            Topic.objects.bulk_create(Topic(team=team, name=name) for name in TOPICS)
            topic_ids = dict(Topic.objects.filter(team=team).values_list("name", "pk"))
            type_ids = dict(ActivityType.objects.filter(team=team).values_list("name", "pk"))
            teams.append(
                _TeamData(
                    team=team,
                    weight=weights[index],
                    brokers=broker_rows,
                    broker_cum=list(itertools.accumulate(broker_weights)),
                    types={str(kind): self._type_choice(kind, type_ids) for kind in BROKER_KINDS},
                    topics=[(topic_ids[name], name) for name in TOPICS],
                    topic_cum=list(itertools.accumulate(TOPICS.values())),
                )
            )
        self.counts["teams"] = TEAM_COUNT
        self.counts["brokers"] = sum(broker_counts)
        return teams

    @staticmethod
    def _type_choice(kind, type_ids):
        """What a broker of `kind` does: ((category, type id, name), cumulative weights)."""
        choices, weights = [], []
        for category, share, types in WORK_MIX[kind]:
            mix = dict(types)
            if category == Category.AWARENESS_RAISING:
                mix["Seminar delivered"] = 15  # about one event in ten of this category
            total = sum(mix.values())
            for name, weight in mix.items():
                choices.append((str(category), type_ids[name], name))
                weights.append(share * weight / total)
        return choices, list(itertools.accumulate(weights))

    # Contacts and projects -------------------------------------------------------

    def _contacts(self):
        rng, writer = self.rng, self.writer
        table = Contact._meta.db_table
        next_id = writer.next_id(table)
        shares = _share(self.sizes.contacts, [t.weight for t in self.teams], 20)
        communities, community_cum = _cumulative_choice(COMMUNITY_WEIGHTS)
        titles = {str(community): names for community, names in JOB_TITLES.items()}
        span = len(self.days)
        rows = []
        for index, (data, count) in enumerate(zip(self.teams, shares, strict=True)):
            orgs = self.organisations[index]
            data.contact_ids = list(range(next_id, next_id + count))
            data.contact_orgs = []
            for position, pk in enumerate(data.contact_ids):
                community = communities[
                    bisect.bisect(community_cum, rng.random() * community_cum[-1])
                ]
                org = rng.choice(orgs[community])
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                domain = "mail.example" if org is None else f"org{org}.example"
                # Contacts join the network over the years: this one by this day.
                joined = max(0, int((position / count - 0.3) / 0.7 * (span - 1)))
                stamp = writer.timestamp(self.day_text[joined])
                rows.append(
                    (pk, data.team.pk, f"{first} {last}", rng.choice(titles[community]), org,
                     community, f"{first}.{last}.{pk}@{domain}".lower(),
                     f"07700 900{rng.randint(0, 999):03d}" if rng.random() < 0.4 else "", "",
                     "Legitimate interest: professional contact through KM work.", None,
                     stamp, stamp)
                )  # fmt: skip
                data.contact_orgs.append(org)
            # Key contacts anywhere in the list; the first 30% are known from the start.
            weights = _zipf(count, 0.9)
            rng.shuffle(weights)
            data.contact_cum = list(itertools.accumulate(weights))
            data.known = [
                max(1, min(count, int(count * (0.3 + 0.7 * day / span)))) for day in range(span)
            ]
            next_id += count
        writer.write(
            Contact,
            ("id", "team_id", "name", "job_title", "organisation_id", "community", "email",
             "phone", "notes", "consent_note", "erased_at", "created_at", "updated_at"),
            rows,
        )  # fmt: skip
        self.counts["contacts"] = len(rows)
        for data in self.teams:
            data.texts = self._texts(data)
            data.outcome_texts = self._outcome_texts(data)

    def _pick_contact(self, data, day):
        cum = data.contact_cum
        return bisect.bisect(cum, self.rng.random() * cum[data.known[day] - 1])

    def _projects(self):
        rng, writer = self.rng, self.writer
        table = Project._meta.db_table
        next_id = writer.next_id(table)
        shares = _share(self.sizes.projects, [t.weight for t in self.teams], 3)
        statuses, status_cum = _cumulative_choice(PROJECT_STATUSES)
        span = len(self.days)
        rows, partners = [], []
        for data, count in zip(self.teams, shares, strict=True):
            data.projects = []
            for pk in range(next_id, next_id + count):
                status = statuses[bisect.bisect(status_cum, rng.random() * status_cum[-1])]
                start = rng.randrange(0, span - 30)
                submitted = decided = None
                if status not in (Project.Status.IDEA, Project.Status.DEVELOPING):
                    submitted = min(span - 1, start + rng.randint(60, 240))
                if status in (Project.Status.FUNDED, Project.Status.UNSUCCESSFUL,
                              Project.Status.COMPLETED):  # fmt: skip
                    decided = min(span - 1, submitted + rng.randint(60, 200))
                requested = rng.randrange(20_000, 800_000, 500)
                awarded = (
                    round(requested * rng.uniform(0.9, 1.0))
                    if status in (Project.Status.FUNDED, Project.Status.COMPLETED)
                    else None
                )
                deadline = submitted if submitted is not None else start + rng.randint(60, 180)
                topic = data.topics[
                    bisect.bisect(data.topic_cum, rng.random() * data.topic_cum[-1])
                ]
                lead = data.brokers[
                    bisect.bisect(data.broker_cum, rng.random() * data.broker_cum[-1])
                ]
                stamp = writer.timestamp(self.day_text[start])
                kind = rng.choice(Project.Kind.values)
                rows.append(
                    (pk, data.team.pk, f"{topic[1].capitalize()}: {rng.choice(PROJECT_PHRASES)}",
                     kind, status, f"A {kind.replace('_', ' ')} on {topic[1]}.",
                     rng.choice(FUNDERS), requested, awarded,
                     self._day(deadline), self._day(submitted), self._day(decided),
                     rng.random() < 0.6, lead[0], lead[1], stamp, stamp)
                )  # fmt: skip
                for contact in {self._pick_contact(data, start) for _ in range(2)}:
                    partners.append((pk, data.contact_ids[contact]))
                data.projects.append((start, pk))
            data.projects.sort()
            next_id += count
        writer.write(
            Project,
            ("id", "team_id", "title", "kind", "status", "description", "funder",
             "amount_requested", "amount_awarded", "deadline", "submitted_on", "decided_on",
             "co_produced", "lead_broker_id", "created_by_id", "created_at", "updated_at"),
            rows,
        )  # fmt: skip
        writer.write(Project.partners.through, ("project_id", "contact_id"), partners)
        self.counts["projects"] = len(rows)

    def _day(self, index):
        if index is None:
            return None
        return self.day_text[min(index, len(self.days) - 1)]

    # Texts -----------------------------------------------------------------------

    def _words(self, data):
        """Placeholders of the demo's titles and descriptions, for one pre-written text."""
        rng = self.rng
        region = data.team.name.removesuffix(" KM Programme")
        researcher = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        commissioner = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        topic = rng.choice(data.topics)[1]
        return {
            "topic": topic,
            "icb": f"{region} ICB",
            "uni": f"{region} University",
            "network": f"{region} Applied Research Collaboration",
            "n": rng.randint(15, 120),
            "project": f"“{topic.capitalize()}: {rng.choice(PROJECT_PHRASES)}”",
            "r": researcher,
            "c": commissioner,
            "c_first": commissioner.split(" ")[0],
            "c_org": f"{region} ICB",
        }

    def _texts(self, data):
        """A few dozen titles and descriptions per activity type, written once."""
        rng = self.rng
        texts = {}
        for name, spec in TYPE_SPECS.items():
            variants = []
            for _ in range(TEXT_VARIANTS):
                words = self._words(data)
                title = rng.choice(spec.titles)
                setting = None
                if isinstance(title, tuple):
                    title, setting = title
                variants.append(
                    (
                        title.format_map(words)[:250],
                        rng.choice(spec.descriptions).format_map(words),
                        setting,
                    )
                )
            texts[name] = variants
        return texts

    def _outcome_texts(self, data):
        rng = self.rng
        texts = {}
        for outcome_type in PROJECT_OUTCOME_WEIGHTS:
            variants = []
            for _ in range(8):
                words = self._words(data)
                if outcome_type == Outcome.Type.CAPABILITY_CHANGE:
                    dimension = rng.choice(Outcome.Dimension.values)
                    text = rng.choice(CAPABILITY_TEXT[dimension])
                elif outcome_type == Outcome.Type.BID_SUBMITTED:
                    dimension, text = "", "Submitted {project} to " + rng.choice(FUNDERS) + "."
                elif outcome_type == Outcome.Type.BID_FUNDED:
                    dimension, text = "", rng.choice(FUNDERS) + " funded {project}."
                else:
                    dimension, text = "", rng.choice(OUTCOME_TEXT[outcome_type])
                description = text.format_map(words)
                evidence = rng.choice(EVIDENCE_TEXT.get(outcome_type, [""]))
                variants.append(
                    (
                        dimension,
                        description[0].upper() + description[1:],
                        evidence.format_map(words),
                    )
                )
            texts[str(outcome_type)] = variants
        return texts

    # Activities, their links and outcomes -------------------------------------------

    def _activities(self):
        total = self.sizes.activities
        shares = _share(total, [t.weight for t in self.teams], 1)
        # Teams take turns, a slice of each per round, so every round writes every team.
        team_of_row = []
        for index, share in enumerate(shares):
            team_of_row.extend([index] * share)
        self.rng.shuffle(team_of_row)
        writer = self.writer
        self.next_activity = writer.next_id(Activity._meta.db_table)
        self.next_outcome = writer.next_id(Outcome._meta.db_table)
        bar = ProgressBar("activities", total, self.stderr)
        self.counts.update(dict.fromkeys(
            ("activities", "activity-contact links", "outcomes"), 0
        ))  # fmt: skip
        for begin in range(0, total, ROUND):
            teams = team_of_row[begin : begin + ROUND]
            self._round(teams)
            bar.advance(len(teams))

    def _round(self, team_indexes):
        rng, writer = self.rng, self.writer
        rand, cut = rng.random, bisect.bisect
        day_cum, day_total, day_text = self.day_cum, self.day_cum[-1], self.day_text
        span = len(self.days)
        outcome_chance = self.sizes.outcomes / self.sizes.activities
        outcome_types, outcome_cum = _cumulative_choice(OUTCOME_WEIGHTS)
        project_types, project_cum = _cumulative_choice(PROJECT_OUTCOME_WEIGHTS)
        directions, direction_cum = _cumulative_choice(DIRECTION_WEIGHTS)
        confidences = ("low", "medium", "medium", "high", "high")
        specs = TYPE_SPECS
        setting_choices = {
            name: _cumulative_choice({str(k): v for k, v in spec.settings.items()})
            for name, spec in specs.items()
        }
        timestamp = writer.timestamp
        activities, outcomes = [], []
        links = {name: [] for name in ("co_brokers", "contacts", "organisations", "topics",
                                       "conduits")}  # fmt: skip
        outcome_contacts = []
        pk = self.next_activity
        outcome_pk = self.next_outcome
        for index in team_indexes:
            data = self.teams[index]
            broker_cum = data.broker_cum
            broker = data.brokers[cut(broker_cum, rand() * broker_cum[-1])]
            day = cut(day_cum, rand() * day_total)
            if day >= span:
                day = span - 1
            choices, type_cum = data.types[broker[2]]
            category, type_id, type_name = choices[cut(type_cum, rand() * type_cum[-1])]
            spec = specs[type_name]
            title, description, setting = data.texts[type_name][int(rand() * TEXT_VARIANTS)]
            if setting is None:
                options, setting_cum = setting_choices[type_name]
                setting = options[cut(setting_cum, rand() * setting_cum[-1])]
            low, high = spec.minutes
            minutes = max(15, round((low + rand() * (high - low)) / 15) * 15)
            attendees = None
            if spec.attendees:
                attendees = spec.attendees[0] + int(
                    rand() * (spec.attendees[1] - spec.attendees[0])
                )
            project = None
            if data.projects and rand() < (0.7 if category == "collaborative_project" else 0.04):
                started = cut(data.projects, (day, 1 << 62))
                if started:
                    project = data.projects[started - 1 - int(rand() * min(started, 40))][1]
            follow_up = None
            if rand() < 0.12:
                follow_up = day_text[min(span - 1, day + 7 + int(rand() * 28))]
            stamp = timestamp(day_text[day])
            activities.append(
                (pk, data.team.pk, broker[0], day_text[day], minutes, category, type_id, title,
                 description, setting, directions[cut(direction_cum, rand() * direction_cum[-1])],
                 attendees, project, follow_up, broker[1], stamp, stamp)
            )  # fmt: skip
            # People: a few per piece of work, the team's key contacts most often.
            wanted = 1 if type_name in ("Newsletter or blog", "Seminar delivered") else (
                CONTACT_COUNTS[int(rand() * 10)]
            )  # fmt: skip
            cum, known = data.contact_cum, data.known[day]
            reach = cum[known - 1]
            picked = {cut(cum, rand() * reach) for _ in range(wanted)}
            contact_ids, orgs = data.contact_ids, data.contact_orgs
            contacts = links["contacts"]
            seen_orgs = set()
            for position in picked:
                contacts.append((pk, contact_ids[position]))
                org = orgs[position]
                if org is not None and org not in seen_orgs:
                    seen_orgs.add(org)
                    links["organisations"].append((pk, org))
            conduit_names, conduit_cum = self.conduit_weights[category]
            conduits = {conduit_names[cut(conduit_cum, rand() * conduit_cum[-1])]}
            if rand() < 0.35:
                conduits.add(conduit_names[cut(conduit_cum, rand() * conduit_cum[-1])])
            links["conduits"].extend((pk, code) for code in conduits)
            topic_cum = data.topic_cum
            topics = {data.topics[cut(topic_cum, rand() * topic_cum[-1])][0]}
            if rand() < 0.2:
                topics.add(data.topics[cut(topic_cum, rand() * topic_cum[-1])][0])
            links["topics"].extend((pk, topic) for topic in topics)
            if rand() < (0.6 if type_name == "Seminar delivered" else 0.3):
                co = {data.brokers[int(rand() * len(data.brokers))][0] for _ in range(
                    2 if rand() < 0.2 else 1)}  # fmt: skip
                co.discard(broker[0])
                links["co_brokers"].extend((pk, b) for b in co)
            if rand() < outcome_chance:
                if project is None:
                    kind = outcome_types[cut(outcome_cum, rand() * outcome_cum[-1])]
                else:
                    kind = project_types[cut(project_cum, rand() * project_cum[-1])]
                dimension, text, evidence = data.outcome_texts[kind][int(rand() * 8)]
                when = day_text[min(span - 1, day + int(rand() * 45))]
                value = None
                if kind == "evidence_used_in_decision" and rand() < 0.4:
                    value = 20_000 + int(rand() * 76) * 5_000
                outcomes.append(
                    (outcome_pk, data.team.pk, pk, project, kind, dimension, when, text,
                     evidence, confidences[int(rand() * 5)], value, broker[1],
                     timestamp(when), timestamp(when))
                )  # fmt: skip
                for position in list(picked)[: 1 + int(rand() * 2)]:
                    outcome_contacts.append((outcome_pk, contact_ids[position]))
                outcome_pk += 1
            pk += 1
        writer.write(
            Activity,
            ("id", "team_id", "lead_broker_id", "date", "duration_minutes", "category",
             "activity_type_id", "title", "description", "setting", "direction", "attendees",
             "project_id", "follow_up_date", "created_by_id", "created_at", "updated_at"),
            activities,
        )  # fmt: skip
        columns = {
            "co_brokers": "broker_id",
            "contacts": "contact_id",
            "organisations": "organisation_id",
            "topics": "topic_id",
            "conduits": "conduit_id",
        }
        for name, column in columns.items():
            writer.write(getattr(Activity, name).through, ("activity_id", column), links[name])
        writer.write(
            Outcome,
            ("id", "team_id", "activity_id", "project_id", "type", "capability_dimension",
             "date", "description", "evidence", "confidence", "value_gbp", "created_by_id",
             "created_at", "updated_at"),
            outcomes,
        )  # fmt: skip
        writer.write(
            Outcome.contacts.through,
            ("outcome_id", "contact_id"),
            outcome_contacts,
        )
        self.next_activity, self.next_outcome = pk, outcome_pk
        self.counts["activities"] += len(activities)
        self.counts["activity-contact links"] += len(links["contacts"])
        self.counts["outcomes"] += len(outcomes)
