"""factory_boy factories with plain, fixed defaults; each test sets what it asserts on."""

import datetime

import factory
from django.contrib.auth import get_user_model

from activities import models
from evaluations.models import DEFAULT_LOG_TAGS, LogTag
from teams import models as teams

PASSWORD = "test-password-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Member{n}")
    password = factory.django.Password(PASSWORD)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = teams.Team
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")
    year_start_month = 4


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = teams.Membership

    user = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory)
    role = teams.Membership.Role.BROKER


def invitation(team, email="invited@example.org", role="broker", **fields):
    """A pending invitation, saved, and the raw token of its link: (invitation, token)."""
    made = teams.Invitation(team=team, email=email, role=role, **fields)
    token = made.issue()
    made.save()
    return made, token


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = models.Organisation.Kind.UNIVERSITY


class BrokerFactory(factory.django.DjangoModelFactory):
    """A broker with the membership that lets them sign in to the team."""

    class Meta:
        model = models.Broker
        skip_postgeneration_save = True

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)
    kind = models.Broker.Kind.NHS_FELLOW

    @factory.post_generation
    def membership(self, create, role, **kwargs):
        if create:
            teams.Membership.objects.get_or_create(
                user=self.user, team=self.team, defaults={"role": role or "broker"}
            )


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Contact

    team = factory.SubFactory(TeamFactory)
    name = factory.Sequence(lambda n: f"Contact {n}")
    community = models.Community.RESEARCH


def activity_type(team, name="Introduction"):
    """One of the team's default activity types (every team gets them on creation)."""
    return models.ActivityType.objects.get(team=team, name=name)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Activity
        skip_postgeneration_save = True

    team = factory.SubFactory(TeamFactory)
    lead_broker = factory.SubFactory(BrokerFactory, team=factory.SelfAttribute("..team"))
    date = datetime.date(2025, 5, 12)
    activity_type = factory.LazyAttribute(lambda o: activity_type(o.team))
    category = factory.LazyAttribute(lambda o: o.activity_type.category)
    title = factory.Sequence(lambda n: f"Activity {n}")
    duration_minutes = 60
    direction = models.Direction.UNCLEAR

    @factory.post_generation
    def contacts(self, create, extracted, **kwargs):
        if create and extracted:
            self.contacts.set(extracted)

    @factory.post_generation
    def co_brokers(self, create, extracted, **kwargs):
        if create and extracted:
            self.co_brokers.set(extracted)

    @factory.post_generation
    def conduits(self, create, extracted, **kwargs):
        if create and extracted:
            self.conduits.set(extracted)

    @factory.post_generation
    def organisations(self, create, extracted, **kwargs):
        if create and extracted:
            self.organisations.set(extracted)

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Project

    team = factory.SubFactory(TeamFactory)
    title = factory.Sequence(lambda n: f"Project {n}")
    kind = models.Project.Kind.RESEARCH_BID
    status = models.Project.Status.DEVELOPING


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Outcome

    team = factory.SubFactory(TeamFactory)
    activity = factory.SubFactory(ActivityFactory, team=factory.SelfAttribute("..team"))
    type = models.Outcome.Type.CONNECTION_MADE
    date = datetime.date(2025, 5, 20)
    description = "Introduced a researcher to the frailty commissioning lead."


# The reflective log and evaluation studies (evaluations app).


class ReflectiveEntryFactory(factory.django.DjangoModelFactory):
    """A private reflection; pass `shared=True` to share it with the team's evaluators."""

    class Meta:
        model = "evaluations.ReflectiveEntry"
        skip_postgeneration_save = True

    team = factory.SubFactory(TeamFactory)
    author = factory.SubFactory(UserFactory)
    date = datetime.date(2025, 5, 14)
    title = factory.Sequence(lambda n: f"Reflection {n}")
    text = "Buddying up with a researcher made the first meeting with the ICB much easier."
    shared = False

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        """Tags, or the codes of the team's default tags ("enabler", "learning", ...)."""
        if create and extracted:
            self.tags.set(
                log_tag(self.team, tag) if isinstance(tag, str) else tag for tag in extracted
            )


def log_tag(team, code):
    """The team's own copy of the default tag with `code` (see DEFAULT_LOG_TAGS)."""
    label = dict(DEFAULT_LOG_TAGS)[code]
    return LogTag.objects.get(team=team, label=label)


class StudyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "evaluations.Study"

    team = factory.SubFactory(TeamFactory)
    title = factory.Sequence(lambda n: f"Evaluation {n}")
    period_start = datetime.date(2025, 4, 1)
    period_end = datetime.date(2026, 3, 31)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "evaluations.Participant"

    study = factory.SubFactory(StudyFactory)
    code = factory.Sequence(lambda n: f"P{n + 1:02d}")
    community = models.Community.RESEARCH
    role = "Researcher"


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "evaluations.Source"
        skip_postgeneration_save = True

    study = factory.SubFactory(StudyFactory)
    kind = "interview"
    title = factory.Sequence(lambda n: f"Interview {n}")
    date = datetime.date(2025, 6, 2)
    text = "The fellows introduced me to the right commissioner quickly. It saved months."

    @factory.post_generation
    def participants(self, create, extracted, **kwargs):
        if create and extracted:
            self.participants.set(extracted)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "evaluations.Theme"

    study = factory.SubFactory(StudyFactory)
    parent = None
    name = factory.Sequence(lambda n: f"Theme {n}")
    position = factory.Sequence(lambda n: n)


class ExcerptFactory(factory.django.DjangoModelFactory):
    """The passage `start`–`end` of its source; `text` is taken from the source."""

    class Meta:
        model = "evaluations.Excerpt"
        skip_postgeneration_save = True

    source = factory.SubFactory(SourceFactory)
    start = 0
    end = 10
    text = factory.LazyAttribute(lambda o: o.source.text[o.start : o.end])

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)
