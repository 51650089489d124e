"""`manage.py seed_demo`: realistic demo data for two teams (see `demo.seeding`)."""

import argparse

from django.core.management.base import CommandError

from demo.large import LARGE_ACTIVITIES, seed_large
from demo.seeding import seed_demo
from kmtracker.lib.history.writing import RecordedCommand


def positive_int(value):
    """argparse type: a whole number of at least 1."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be a positive whole number, not {value!r}")
    return number


def scale_value(value):
    """argparse type for --scale: a multiplier, or `large` for the large dataset."""
    if value == "large":
        return value
    return positive_int(value)


class Command(RecordedCommand):
    help = (
        "Create two demo teams (bristol, west-midlands) with brokers, contacts, about two "
        "years of activities, projects and outcomes. Logins use the password kmtracker-demo. "
        "Refuses to run with DEBUG off unless --force. --scale large makes instead the large "
        "dataset used to measure performance: 20 teams, 400 brokers, 100,000 contacts, "
        "1,000,000 activities, 200,000 outcomes and 20,000 projects, written with COPY on "
        "PostgreSQL (no history records for these rows, no reflective log or evaluations)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=scale_value,
            default=1,
            metavar="N|large",
            help="Multiply the number of activities, contacts and outcomes by N (default 1), "
            "or `large` for the large dataset.",
        )
        parser.add_argument(
            "--activities",
            type=positive_int,
            metavar="N",
            help=f"With --scale large: this many activities instead of {LARGE_ACTIVITIES:,}; "
            "contacts, outcomes and projects keep their proportions.",
        )
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the two demo teams (with --scale large, the large dataset's teams) "
            "and all their data first.",
        )

    def handle(self, *args, scale, activities, force, reset, **options):
        if scale == "large":
            seed_large(
                activities=activities or LARGE_ACTIVITIES,
                force=force,
                reset=reset,
                stdout=self.stdout,
                stderr=self.stderr._out,
            )
            return
        if activities is not None:
            raise CommandError("--activities goes with --scale large.")
        seed_demo(scale=scale, force=force, reset=reset, stdout=self.stdout)
