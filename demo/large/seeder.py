"""The large dataset's seeder: one object, its parts in modules of their own."""

import datetime
import itertools

from django.db import connection

from demo.large.activities import ActivitySeeding
from demo.large.contacts import ContactSeeding
from demo.large.shape import (
    BROKER_COUNT,
    BULK_TABLES,
    MONTH_WEIGHTS,
    TEAM_COUNT,
    WEEKEND_WEIGHT,
    YEARS,
)
from demo.large.teams import TeamSeeding
from demo.large.texts import TextSeeding
from demo.large.weights import cumulative_choice
from demo.large.writing import Rebuilt, Writer
from demo.seeding.data.activity_types import CONDUIT_WEIGHTS
from demo.seeding.seed import ensure_conduits


class LargeSeeder(TeamSeeding, ContactSeeding, TextSeeding, ActivitySeeding):
    """Generates and writes the large dataset from one random generator.

    Each part (teams, contacts and projects, texts, activities) lives in a module of its
    own and reads the state set here; they draw from the generator in the order `seed()`
    calls them, so the same seed and day still make the same rows.
    """

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
        self.writer = Writer(self.cursor)
        self.out(
            f"Seeding {TEAM_COUNT} teams, {BROKER_COUNT} brokers, {self.sizes.contacts:,} "
            f"contacts, {self.sizes.activities:,} activities, {self.sizes.projects:,} projects…"
        )
        self.organisations = self._organisations()
        ensure_conduits()
        self.conduit_weights = {
            str(category): cumulative_choice(weights)
            for category, weights in CONDUIT_WEIGHTS.items()
        }
        self.teams = self._teams()
        with Rebuilt(self.cursor, BULK_TABLES, self.out):
            self._contacts()
            self._projects()
            self._activities()
        for table in BULK_TABLES:
            self.writer.restart_ids(table)

    def summary(self):
        return ", ".join(f"{count:,} {name}" for name, count in self.counts.items())
