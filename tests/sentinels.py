"""Teams seeded with marker strings, to catch any page that shows one team another's data.

`seed_team()` creates one record of every kind a team owns (the kinds the URL
matrix's lines take, and those that only appear inside other pages: topics,
activity types, report narratives, cell summaries, access records...) and writes
a unique marker into every free-text field of each, found by walking the
model's fields, so a text field added later is marked too. Team A's markers
look like `zqa001`, team B's like `zqb001`: any `zqb` marker in a page shown
to a member of team A is a leak.

Organisations and conduits are shared by all teams by design
(docs/architecture.md), so they carry no marker; reflective-log tags are each
team's own and carry one.
"""

import datetime
import re

from django.db import models
from django.utils import timezone

from activities.duplicate_checks import find_duplicates
from activities.models import ActivityType, CalendarFeed, ContactMerge, ImportedEvent, Topic
from audit.models import AccessRecord
from evaluations.models import (
    CellSummary,
    Draw,
    Invitee,
    LogTag,
    QuarterlyReport,
    ReportEvent,
    ReportRecipient,
    ReportSubscription,
    ResearchfishMapping,
    SavedReport,
    SignedOffFile,
)
from kmtracker.lib.quarters import Quarter
from tests import factories

QUARTER = "2025-q1"


def markers_in(text, tag):
    """The markers of team `tag` ("a" or "b") that `text` contains."""
    return set(re.findall(rf"zq{tag}\d{{3}}", text))


class Markers:
    """Hands out the markers of one team, remembering which field each went into."""

    def __init__(self, tag):
        self.tag = tag
        self.where = {}

    def new(self, label):
        marker = f"zq{self.tag}{len(self.where) + 1:03d}"
        self.where[marker] = label
        return marker

    def mark(self, instance, only=None, skip=()):
        """Write a marker into each free-text field of `instance` (or those in `only`)."""
        for field in instance._meta.concrete_fields:
            if only is not None and field.name not in only:
                continue
            if field.name in skip or not _is_free_text(field):
                continue
            marker = self.new(f"{type(instance).__name__}.{field.name}")
            value = f"{marker}@example.org" if isinstance(field, models.EmailField) else marker
            setattr(instance, field.name, value)
        instance.save()
        return instance


def has_free_text(model):
    return any(_is_free_text(field) for field in model._meta.concrete_fields)


def _is_free_text(field):
    return (
        isinstance(field, models.CharField | models.TextField)
        and not field.choices
        and not isinstance(field, models.SlugField)
        and field.name not in ("password", "username")
    )


def seed_team(team, broker, lead, evaluator, tag, marks=None):
    """One marked record of each kind in `team`, under the names the URL matrix uses.

    Returns the matrix's `objects` dict (records, URL arguments, `users`) with
    `markers` (a Markers, or `marks`: another way of writing them) and
    `instances` (model -> one record of the team).
    """
    marks = marks or Markers(tag)
    for user in (broker, lead, evaluator):
        marks.mark(user, only=("first_name", "last_name", "email"))
    marks.mark(team, only=("name",))
    organisation = factories.OrganisationFactory(name=f"Shared organisation {tag}")
    topic = Topic.objects.create(team=team, name=marks.new("Topic.name"))
    activity_type = marks.mark(ActivityType.objects.filter(team=team).first())
    contact = marks.mark(factories.ContactFactory(team=team, organisation=organisation))
    # A likely duplicate, so that the possible duplicates and merge pages show the team's own,
    # and an earlier merge, listed by pseudonyms.
    factories.ContactFactory(team=team, name=contact.name, organisation=organisation)
    merge = ContactMerge(team=team, survivor=contact, merged_ids=[0], merged_by=lead)
    merge.merged_pseudonyms = [marks.new("ContactMerge.merged_pseudonyms")]
    marks.mark(merge)
    project = marks.mark(factories.ProjectFactory(team=team, lead_broker=broker.broker_profile))
    project.partners.set([contact])
    activity = marks.mark(
        factories.ActivityFactory(
            team=team,
            lead_broker=broker.broker_profile,
            activity_type=activity_type,
            project=project,
            contacts=[contact],
            co_brokers=[lead.broker_profile],
            topics=[topic],
            organisations=[organisation],
            # An open follow-up, so that the follow-ups page and its file list it.
            follow_up_date=datetime.date(2025, 6, 1),
        )
    )
    outcome = marks.mark(factories.OutcomeFactory(team=team, activity=activity, project=project))
    outcome.contacts.set([contact])
    log_tag = marks.mark(LogTag.objects.create(team=team, label="tag"))
    private = marks.mark(factories.ReflectiveEntryFactory(team=team, author=broker))
    shared = marks.mark(
        factories.ReflectiveEntryFactory(team=team, author=broker, shared=True, tags=[log_tag])
    )
    quarter = Quarter.from_slug(QUARTER, team.year_start_month)
    report = marks.mark(QuarterlyReport.blank(team, quarter))
    marks.mark(ReportEvent(report=report, action="reopened", user=lead, at=timezone.now()))
    study = marks.mark(factories.StudyFactory(team=team))
    study.evaluators.set([evaluator])
    participant = marks.mark(factories.ParticipantFactory(study=study, contact=contact))
    source = marks.mark(factories.SourceFactory(study=study, participants=[participant]))
    theme = marks.mark(factories.ThemeFactory(study=study))
    sub_theme = marks.mark(factories.ThemeFactory(study=study, parent=theme))
    # The excerpt's text is its source's words: the source's marker.
    excerpt = factories.ExcerptFactory(
        source=source, start=0, end=len(source.text), themes=[sub_theme], participant=participant
    )
    marks.mark(excerpt, skip=("text",))
    marks.mark(CellSummary(study=study, theme=theme, participant=participant, updated_by=evaluator))
    AccessRecord.objects.create(
        kind=AccessRecord.Kind.EXPORT,
        user=lead,
        username=lead.username,
        team=team,
        what=marks.new("AccessRecord.what"),
        query=marks.new("AccessRecord.query"),
    )
    # A draw for interviews (its seed marked), and the contact it drew.
    draw = marks.mark(Draw(study=study, quotas={"research": 1}, frame={}, drawn_by=evaluator))
    invitee = Invitee.objects.create(study=study, draw=draw, contact=contact, community="research")
    invitation, token = factories.invitation(team, role="broker")
    marks.mark(invitation, only=("email",))
    marks.mark(ImportedEvent(team=team, activity=activity, imported_by=broker))
    marks.mark(CalendarFeed(team=team, user=broker))
    # Reports that reach people: a recipient, a saved report subscribed to, the files of a
    # sign-off, and the Researchfish mapping that makes the activity an engagement.
    recipient = marks.mark(ReportRecipient(team=team), skip=("token",))
    saved_report = marks.mark(SavedReport(team=team, owner=broker, period_rule="last_12_months"))
    marks.mark(ReportSubscription(saved_report=saved_report, user=broker, frequency="monthly"))
    signed_off = ReportEvent.objects.create(
        report=report, action="signed_off", user=lead, at=timezone.now()
    )
    marks.mark(SignedOffFile(event=signed_off, kind="csv", content=b""))
    ResearchfishMapping.objects.create(
        team=team, activity_type=activity_type, form="talk", audience="policymakers", reach="local"
    )
    # The possible duplicates page shows what the team's last check found: found now.
    find_duplicates.call(team.pk)
    in_study = {"study": study.pk}
    return {
        "recipient": recipient,
        "recipient_link": recipient.token,
        "saved_report": saved_report,
        "team": team,
        "activity_type": activity_type,
        "topic": topic,
        "log_tag": log_tag,
        "membership": broker.memberships.get(team=team),
        "invitation": invitation,
        "invitation_link": token,
        "activity": activity,
        "contact": contact,
        "organisation": organisation,
        "outcome": outcome,
        "project": project,
        "private_entry": private,
        "shared_entry": shared,
        "report": report,
        "study": study,
        "in_study": in_study,
        "participant": in_study | {"pk": participant.pk},
        "source": in_study | {"pk": source.pk},
        "theme": in_study | {"pk": sub_theme.pk},
        "excerpt": in_study | {"pk": excerpt.pk},
        "invitee": in_study | {"pk": invitee.pk},
        "cell": in_study | {"rows": "participants", "row": participant.pk, "theme": theme.pk},
        "users": {"broker": broker, "lead": lead, "evaluator": evaluator},
        "markers": marks,
        "instances": _by_model(
            activity,
            contact,
            outcome,
            project,
            private,
            study,
            participant,
            source,
            sub_theme,
            excerpt,
            topic,
            activity_type,
            log_tag,
            broker.broker_profile,
            evaluator,
        ),
    }


def _by_model(*instances):
    return {type(instance): instance for instance in instances}
