"""Prepare the load test's database: `python -m loadtest.prepare` with DATABASE_URL set.

Runs after `migrate` and `seed_demo --force`, with the production settings. The demo
gives Bristol a broker, a lead and an evaluator but West Midlands brokers only; this adds
a lead and an evaluator there, so that both teams have every role. Prints, as JSON, what
the simulated users need: logins, each broker's id, the ids they may choose in the
activity form, the current quarter, and strings found only in one team's data (its
contacts' names and emails, its brokers' names), which must never appear in a page
rendered for the other team.
"""

import json
import os

import django

ROLES = ("broker", "lead", "evaluator")


def prepare():
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from activities.models import ActivityType, Broker, Contact, Direction
    from demo.seeding import DEMO_PASSWORD, DEMO_TEAM_SLUGS
    from kmtracker.lib.quarters import Quarter
    from teams.models import Membership, Team

    User = get_user_model()
    teams = {}
    for slug in DEMO_TEAM_SLUGS:
        team = Team.objects.get(slug=slug)
        for role in ("lead", "evaluator"):
            if not Membership.objects.filter(team=team, role=role).exists():
                user = User.objects.create_user(f"{slug}-{role}-load", password=DEMO_PASSWORD)
                Membership.objects.create(user=user, team=team, role=role)
        users = {role: [] for role in ROLES}
        for membership in Membership.objects.filter(team=team).select_related("user"):
            users[membership.role].append(membership.user.username)
        brokers = {
            broker.user.username: broker.pk
            for broker in Broker.objects.filter(team=team).select_related("user")
        }
        contacts = list(Contact.objects.filter(team=team).order_by("pk"))
        quarter = Quarter.containing(timezone.localdate(), team.year_start_month)
        teams[slug] = {
            "slug": slug,
            "users": {role: sorted(names) for role, names in users.items()},
            "brokers": brokers,
            "contacts": [contact.pk for contact in contacts[:40]],
            "activity_types": list(
                ActivityType.objects.filter(team=team, is_active=True).values_list("pk", flat=True)
            ),
            "quarter": quarter.slug,
            "previous_quarter": quarter.previous().slug,
            "markers": _identifying_strings(team, contacts),
        }
    first, second = (set(teams[slug]["markers"]) for slug in DEMO_TEAM_SLUGS)
    for slug in DEMO_TEAM_SLUGS:  # a string both teams have proves nothing
        teams[slug]["markers"] = sorted(set(teams[slug]["markers"]) - (first & second))
    return {"password": DEMO_PASSWORD, "teams": teams, "directions": list(Direction.values)}


def _identifying_strings(team, contacts):
    from activities.models import Broker

    strings = set()
    for contact in contacts:
        strings.update(value for value in (contact.name, contact.email) if len(value) >= 8)
    for broker in Broker.objects.filter(team=team).select_related("user"):
        name = broker.user.get_full_name()
        if len(name) >= 8:
            strings.add(name)
    return sorted(strings)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kmtracker.settings")
    django.setup()
    print(json.dumps(prepare()))
