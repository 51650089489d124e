"""`manage.py seed_demo`: realistic demo data for two teams (see `activities.demo`)."""

import argparse

from django.core.management.base import BaseCommand

from activities.demo import seed_demo


def positive_int(value):
    """argparse type: a whole number of at least 1."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be a positive whole number, not {value!r}")
    return number


class Command(BaseCommand):
    help = (
        "Create two demo teams (bristol, west-midlands) with brokers, contacts, about two "
        "years of activities, projects and outcomes. Logins use the password kmtracker-demo. "
        "Refuses to run with DEBUG off unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=positive_int,
            default=1,
            metavar="N",
            help="Multiply the number of activities, contacts and outcomes by N (default 1).",
        )
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the two demo teams and all their data first.",
        )

    def handle(self, *args, scale, force, reset, **options):
        seed_demo(scale=scale, force=force, reset=reset, stdout=self.stdout)
