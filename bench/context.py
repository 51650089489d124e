"""What every operation of the bench works on: the largest team, its lead, signed-in clients."""

import datetime

BENCH_ADMIN = "bench-admin"


class BenchContext:
    """What every operation needs: the team, its lead, a signed-in client, dates."""

    def __init__(self):
        from django.contrib.auth import get_user_model
        from django.test import Client
        from django.utils import timezone

        from demo.large import LARGEST_TEAM_LEAD, LARGEST_TEAM_SLUG
        from kmtracker.lib.quarters import Quarter
        from teams.models import Team
        from teams.tenancy import TeamAccess

        User = get_user_model()
        self.team = Team.objects.get(slug=LARGEST_TEAM_SLUG)
        self.lead = User.objects.get(username=LARGEST_TEAM_LEAD)
        self.access = TeamAccess(self.team, self.lead, "lead")
        self.evaluator = User.objects.get(username=f"{LARGEST_TEAM_SLUG}-evaluator")
        self.evaluator_client = Client()
        self.evaluator_client.force_login(self.evaluator)
        admin, _ = User.objects.get_or_create(
            username=BENCH_ADMIN, defaults={"is_superuser": True, "is_staff": True}
        )
        self.everything = TeamAccess(self.team, admin, "lead")
        self.client = Client()
        self.client.force_login(self.lead)
        today = timezone.localdate()
        self.year = (today - datetime.timedelta(days=365), today - datetime.timedelta(days=1))
        self.quarter = Quarter.containing(today, self.team.year_start_month).previous()
        self.list_url = f"/teams/{self.team.slug}/activities/"


def consume(response):
    """Read a response to its last byte, as a browser would; its size."""
    if response.status_code != 200:
        raise RuntimeError(f"status {response.status_code}")
    if response.streaming:
        size = sum(len(piece) for piece in response.streaming_content)
    else:
        size = len(response.content)
    response.close()
    return size
