"""Activities, and the topics they are tagged with (merging a topic moves its activities)."""

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from activities import querysets
from activities.codes import Category, Direction, Setting
from activities.models.brokers import Broker
from activities.models.contacts import Contact
from activities.models.organisations import Organisation
from activities.models.projects import Project
from activities.models.vocabulary import ActivityType, Conduit
from kmtracker.lib.date_fields import ModelDateField
from kmtracker.lib.history.writing import change_reason, record_history, tracked
from kmtracker.lib.versioning import Versioned
from teams.models import Team


class Topic(Versioned):
    """A free tag on activities (frailty, maternity, urgent care, ...).

    A retired topic stays on the activities that have it, and the activity
    form refuses it for any other.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="topics")
    name = models.CharField(max_length=80)
    is_active = models.BooleanField("Suggested for new activities", default=True)
    history = tracked()

    objects = querysets.TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint("team", Lower("name"), name="topic_unique_in_team"),
        ]

    def __str__(self):
        return self.name

    @classmethod
    def from_names(cls, team, names, known=None):
        """The team's topics with these names, creating the missing ones: one query to find
        them (none when `known`, the team's topics already read with these names, is
        given) and, for new ones, one to insert them and one for their history."""
        names = list(names)
        if not names:
            return []
        if known is None:
            known = cls.objects.filter(team=team).named(names)
        found = {topic.name.lower(): topic for topic in known}
        missing = {}
        for name in names:
            if name.lower() not in found:
                missing.setdefault(name.lower(), cls(team=team, name=name))
        if missing:
            try:
                # A savepoint: two people may add the same new topic at the same moment.
                with transaction.atomic():
                    cls.objects.bulk_create(missing.values())
                    record_history(list(missing.values()), created=True, reason=None)
            except IntegrityError:
                return cls._from_names_one_by_one(team, names)
            found.update(missing)
        return [found[name.lower()] for name in names]

    @classmethod
    def _from_names_one_by_one(cls, team, names):
        """from_names when someone else added one of the new topics meanwhile."""
        topics = []
        for name in names:
            topic = cls.objects.filter(team=team, name__iexact=name).first()
            if topic is None:
                try:
                    # A savepoint: two people may add the same new topic at the same moment.
                    with transaction.atomic():
                        topic = cls.objects.create(team=team, name=name)
                except IntegrityError:
                    topic = cls.objects.get(team=team, name__iexact=name)
            topics.append(topic)
        return topics

    def merge_into(self, other, user=None):
        """Move every activity of this topic to `other`, then delete this one; the number
        of activities changed.

        One transaction: the activities' history records their new topics (and
        their versions move on, so an edit form opened before the merge cannot
        put this topic back), and the topic's history its deletion.
        """
        if other.pk == self.pk or other.team_id != self.team_id:
            raise ValueError("A topic merges only into another topic of its team.")
        links = Activity.topics.through
        reason = f"Topic “{self.name}” merged into “{other.name}”"
        with transaction.atomic(), change_reason(reason):
            ids = list(links.objects.filter(topic=self).values_list("activity_id", flat=True))
            already = set(
                links.objects.filter(topic=other, activity_id__in=ids).values_list(
                    "activity_id", flat=True
                )
            )
            links.objects.bulk_create(
                links(activity_id=pk, topic=other) for pk in ids if pk not in already
            )
            links.objects.filter(topic=self).delete()
            changed = Activity.objects.filter(pk__in=ids).update_with_history(user=user)
            self.delete()
        return changed


class Activity(Versioned):
    """One piece of brokering work, by a lead broker and any co-brokers."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="activities")
    lead_broker = models.ForeignKey(Broker, on_delete=models.PROTECT, related_name="led_activities")
    co_brokers = models.ManyToManyField(Broker, blank=True, related_name="co_brokered_activities")
    date = ModelDateField()
    duration_minutes = models.PositiveIntegerField("Duration (minutes)", null=True, blank=True)
    category = models.CharField(max_length=30, choices=Category.choices)
    activity_type = models.ForeignKey(
        ActivityType, on_delete=models.PROTECT, related_name="activities"
    )
    title = models.CharField(max_length=250)
    description = models.TextField(blank=True)
    setting = models.CharField(max_length=20, choices=Setting.choices, blank=True)
    # Blank when not recorded (an imported row without one): "unclear" is an answer, and
    # the report tells the two apart. The form asks for it, starting at "unclear".
    direction = models.CharField(
        max_length=40, choices=Direction.choices, default=Direction.UNCLEAR, blank=True
    )
    conduits = models.ManyToManyField(Conduit, blank=True, related_name="activities")
    contacts = models.ManyToManyField(Contact, blank=True, related_name="activities")
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="activities")
    topics = models.ManyToManyField(Topic, blank=True, related_name="activities")
    attendees = models.PositiveIntegerField(
        null=True, blank=True, help_text="For events: how many attended."
    )
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities"
    )
    follow_up_date = ModelDateField(null=True, blank=True)
    # A follow-up is a task: done once, by someone, at a time (a snooze moves its date).
    follow_up_done_at = models.DateTimeField("Follow-up done at", null=True, blank=True)
    follow_up_done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="Follow-up done by",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = tracked(m2m_fields=[co_brokers, contacts, organisations, conduits, topics])

    objects = querysets.ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name_plural = "activities"
        indexes = [
            models.Index(fields=["team", "-date"], name="activity_team_date"),
            models.Index(fields=["team", "category", "-date"], name="activity_team_category"),
            models.Index(fields=["lead_broker", "-date"], name="activity_broker_date"),
            models.Index(fields=["team", "follow_up_date"], name="activity_team_follow_up"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True) | Q(duration_minutes__gte=0),
                name="activity_duration_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(attendees__isnull=True) | Q(attendees__gte=0),
                name="activity_attendees_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(
                    category__in=[
                        "relationship_building",
                        "awareness_raising",
                        "advice_consultation",
                        "collaborative_project",
                    ]
                ),
                name="activity_category_valid",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("activities:activity_detail", kwargs={"team": self.team.slug, "pk": self.pk})

    def is_brokered_by(self, broker):
        """True when `broker` leads or co-brokers this activity."""
        if broker is None:
            return False
        return self.lead_broker_id == broker.pk or any(
            co.pk == broker.pk for co in self.co_brokers.all()
        )

    def can_edit(self, access):
        """Leads edit any activity of their team; brokers those they lead or co-broker."""
        if access.is_lead:
            return True
        return access.can_write and self.is_brokered_by(access.broker)

    @property
    def follow_up_is_done(self):
        return self.follow_up_done_at is not None

    def follow_up_state(self, today):
        """ "done", "overdue" (its day is before `today`), "open", or "" without a follow-up."""
        if self.follow_up_date is None:
            return ""
        if self.follow_up_is_done:
            return "done"
        return "overdue" if self.follow_up_date < today else "open"

    def mark_follow_up_done(self, user):
        """Record the follow-up as done by `user` now (kept in the history)."""
        self.follow_up_done_at = timezone.now()
        self.follow_up_done_by = user
        with change_reason("Follow-up done"):
            self.save(update_fields=["follow_up_done_at", "follow_up_done_by", "updated_at"])

    def snooze_follow_up(self, until):
        """Move the follow-up to `until` (kept in the history, with the date it had)."""
        was = self.follow_up_date
        self.follow_up_date = until
        with change_reason(f"Follow-up snoozed from {was:%Y-%m-%d}" if was else "Follow-up set"):
            self.save(update_fields=["follow_up_date", "updated_at"])
