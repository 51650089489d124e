"""The records the bad-input tests need: team A with one record of each kind and the
personas' accesses, as `World`, and helpers to run an example and undo its writes."""

import contextlib
import datetime
import importlib
import pkgutil
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from activities.models import ActivityType, CalendarFeed, Topic
from api.models import ApiToken
from evaluations.models import LogTag, QuarterlyReport, ReportRecipient, SavedReport
from kmtracker.lib.quarters import Quarter
from teams.tenancy import team_access
from tests import factories
from tests.evaluations.objects import evaluation_objects


@dataclass
class World:
    team: object
    users: dict  # persona -> user
    objects: dict  # the URL matrix's objects of team A, by the names its lines use
    report: object  # a quarterly report of team A, not signed off

    def access(self, persona):
        return team_access(self.users[persona], self.team.slug)


def build_world(team, broker, lead, evaluator, other_broker):
    activity = factories.ActivityFactory(
        team=team, lead_broker=broker.broker_profile, title="Fuzzed activity"
    )
    project = factories.ProjectFactory(team=team, lead_broker=broker.broker_profile)
    university = factories.OrganisationFactory(name="University of Bristol")
    contact = factories.ContactFactory(
        team=team, name="Fuzzed Person", email="fp@example.org", organisation=university
    )
    recipient = ReportRecipient.objects.create(team=team, address="board@example.org")
    _feed, feed_token = CalendarFeed.issue(team, broker)
    api_token, _secret = ApiToken.issue(
        broker, team, "Fuzzed token", timezone.now() + datetime.timedelta(days=9)
    )
    objects = {
        "team": team,
        "organisation": university,
        "recipient": recipient,
        "recipient_link": recipient.token,
        "saved_report": SavedReport.objects.create(
            team=team, owner=broker, name="Fuzzed report", period_rule="previous_quarter"
        ),
        "feed_link": feed_token,
        "api_token": api_token,
        "activity_type": ActivityType.objects.create(
            team=team, category="awareness_raising", name="Fuzzed type"
        ),
        "topic": Topic.objects.create(team=team, name="Fuzzed topic"),
        "merge_target": Topic.objects.create(team=team, name="Fuzzed other topic"),
        "log_tag": LogTag.objects.create(team=team, label="Fuzzed tag"),
        "activity": activity,
        "contact": contact,
        "outcome": factories.OutcomeFactory(team=team, activity=activity, project=project),
        "project": project,
        **evaluation_objects(team, broker, evaluator),
        "membership": broker.memberships.get(team=team),
    }
    objects["invitation"], objects["invitation_link"] = factories.invitation(team)
    quarter = Quarter.containing(datetime.date(2025, 5, 12), team.year_start_month)
    report = QuarterlyReport.for_quarter(team_access(lead, team.slug), quarter)
    report.save()
    users = {"broker": broker, "lead": lead, "evaluator": evaluator, "other": other_broker}
    return World(team=team, users=users, objects=objects, report=report)


@contextlib.contextmanager
def rolled_back():
    """Run one example in a savepoint that is always undone, so examples stay independent."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def row_counts():
    """Rows of every model, history tables included."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def assert_consistent():
    """No row points at a missing row (foreign keys are checked at commit otherwise)."""
    connection.check_constraints()


def project_modules(name):
    """Each of the project's apps' `name` module (e.g. "forms"), or every module of its
    `name` package, so that a new one is seen."""
    base = Path(settings.BASE_DIR)
    for config in apps.get_app_configs():
        path = Path(config.path)
        ours = path.is_relative_to(base) and "site-packages" not in path.parts
        if ours and (path / f"{name}.py").exists():
            yield importlib.import_module(f"{config.name}.{name}")
        elif ours and (path / name / "__init__.py").exists():
            package = f"{config.name}.{name}"
            for module in pkgutil.iter_modules([str(path / name)]):
                yield importlib.import_module(f"{package}.{module.name}")
