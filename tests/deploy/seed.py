"""Seed the deployment tests' database: `python -m tests.deploy.seed` with DATABASE_URL set.

Runs in its own process with the production settings (so passwords get the
production hasher) and prints what the tests need as JSON.
"""

import json
import os

import django

TEAM = "deploy"
PASSWORD = "deploy-test-password-123"


def seed():
    from activities.models import ActivityType, Team
    from tests import factories

    team = Team.objects.create(name="Deployment check", slug=TEAM)
    lead = factories.BrokerFactory(
        team=team, user=factories.UserFactory(username="deploy-lead"), membership="lead"
    )
    broker = factories.BrokerFactory(
        team=team, user=factories.UserFactory(username="deploy-broker")
    )
    for user in (lead.user, broker.user):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    activity_type = ActivityType.objects.filter(team=team, is_active=True).first()
    return {
        "team": team.slug,
        "lead": lead.user.username,
        "lead_broker": lead.pk,
        "broker": broker.user.username,
        "broker_id": broker.pk,
        "activity_type": activity_type.pk,
        "password": PASSWORD,
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kmtracker.settings")
    django.setup()
    print(json.dumps(seed()))
