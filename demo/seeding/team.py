"""One demo team built from its plan: the seeder that the other parts make up."""

import datetime
import itertools

from activities.models import Activity, ActivityType, Contact, Topic
from demo.evaluations import seed_evaluations
from demo.reports import seed_report_distribution
from demo.seeding.activities import ActivitySeeding
from demo.seeding.dates import month_start
from demo.seeding.outcomes import OutcomeSeeding
from demo.seeding.people import PeopleSeeding
from demo.seeding.projects import ProjectSeeding
from teams.models import Team


class TeamSeeder(PeopleSeeding, ProjectSeeding, ActivitySeeding, OutcomeSeeding):
    """Builds one demo team from its plan.

    Each part (people, projects, activities, outcomes) lives in a module of its own and
    reads the state set here; they draw from one random generator in the order `seed()`
    calls them, so the same seed and day still make the same data.
    """

    def __init__(self, plan, rng, today, scale, organisations, password, out, reset):
        self.plan = plan
        self.rng = rng
        self.today = today
        self.scale = scale
        self.orgs = organisations
        self.password = password
        self.out = out
        self.reset = reset
        self.start = month_start(today, plan.months - 1)
        self.span_days = max(1, (today - self.start).days)
        self.outcome_types = set()
        self.could_lead_to = {}  # outcome type -> latest (activity, links) that could lead to it

    def seed(self):
        """Create the team and all its data; returns the team."""
        plan = self.plan
        self.team = Team.objects.create(
            name=plan.name, slug=plan.slug, year_start_month=plan.year_start_month
        )
        self.types = {t.name: t for t in ActivityType.objects.filter(team=self.team)}
        self._members()
        self._topics()
        self._contacts()
        self._projects()
        self._activities()
        self._project_outcomes()
        self._follow_ups_for_first_broker()
        self._reflections_and_evaluations()
        seed_report_distribution(self.team)
        return self.team

    def _topics(self):
        names = list(self.plan.topics)
        Topic.objects.bulk_create(Topic(team=self.team, name=name) for name in names)
        ids = dict(Topic.objects.filter(team=self.team).values_list("name", "id"))
        self.topic_ids = ids
        self.topic_names = names
        self.topic_weights = list(itertools.accumulate(self.plan.topics.values()))

    def _topic(self):
        return self.rng.choices(self.topic_names, cum_weights=self.topic_weights)[0]

    def _reflections_and_evaluations(self):
        """Reflective log entries of the brokers and lead, and Bristol's example evaluation."""
        members = {m.username: self.users[m.username] for m in self.plan.members if m.kind}
        contacts = Contact.objects.filter(team=self.team).order_by("pk")
        seed_evaluations(self.team, members, self.today, contacts)

    def _follow_ups_for_first_broker(self):
        """Make the first broker's latest activities due for follow-up in the coming week,
        the first of them today.

        The dashboard's "due this week" list should have something in it for
        the demo login `broker` (and its counterpart in each team) whatever the day.
        """
        broker = self.broker_list[0]
        latest = Activity.objects.filter(lead_broker=broker).order_by("-date", "-pk")[:3]
        for offset, pk in enumerate(latest.values_list("pk", flat=True), start=1):
            Activity.objects.filter(pk=pk).update_with_history(
                follow_up_date=self.today + datetime.timedelta(days=(offset - 1) * 2)
            )
