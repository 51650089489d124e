"""The brokering log: teams, their brokers and contacts, activities, outcomes and projects.

Category, setting, direction, conduit, community and outcome codes are
stable: reports and exports depend on them. Labels and activity types are the
team's vocabulary and may change.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from activities import querysets
from activities.codes import (  # noqa: F401 (the codes are read from here too)
    CONDUITS,
    DEFAULT_ACTIVITY_TYPES,
    Category,
    Community,
    Direction,
    Setting,
)
from kmtracker.lib.date_fields import ModelDateField
from kmtracker.lib.history.writing import change_reason, record_history, tracked
from kmtracker.lib.names import display_name
from kmtracker.lib.pseudonyms import contact_pseudonym
from kmtracker.lib.versioning import Versioned
from teams.models import Team


class Organisation(models.Model):
    """An organisation contacts work for; shared by every team of the installation."""

    class Kind(models.TextChoices):
        UNIVERSITY = "university", "University"
        COMMISSIONER = "commissioner", "Commissioner (CCG/ICB)"
        SUPPORT_UNIT = "support_unit", "Commissioning support unit"
        PROVIDER = "provider", "Provider (trust, practice)"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        VOLUNTARY = "voluntary", "Voluntary sector"
        COMMERCIAL = "commercial", "Commercial"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    aliases = models.CharField(
        "Other names and acronyms",
        max_length=300,
        blank=True,
        help_text="What people also call it, separated by semicolons: “BNSSG ICB; BNSSG”.",
    )

    objects = querysets.OrganisationQuerySet.as_manager()
    history = tracked()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="organisation_name_unique"),
        ]

    def __str__(self):
        return self.name

    @property
    def alias_list(self):
        """The other names, one by one."""
        return [alias.strip() for alias in self.aliases.split(";") if alias.strip()]


class Broker(models.Model):
    """A member who brokers (brokers and leads), embedded two ways between organisations."""

    class Kind(models.TextChoices):
        NHS_FELLOW = "nhs_fellow", "NHS fellow"
        RESEARCHER_IN_RESIDENCE = "researcher_in_residence", "Researcher-in-residence"
        OTHER = "other", "Other broker"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="brokers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="broker_profiles"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.OTHER)
    home_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    host_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    fte = models.DecimalField("FTE", max_digits=3, decimal_places=2, null=True, blank=True)
    contract_start = ModelDateField(null=True, blank=True)
    contract_end = ModelDateField(null=True, blank=True)
    buddy = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="buddies"
    )

    objects = querysets.BrokerQuerySet.as_manager()

    class Meta:
        ordering = ["user__first_name", "user__last_name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="broker_once_per_team"),
            models.CheckConstraint(
                condition=Q(fte__isnull=True) | Q(fte__gt=0, fte__lte=1), name="broker_fte_range"
            ),
            models.CheckConstraint(
                condition=Q(contract_end__isnull=True)
                | Q(contract_start__isnull=True)
                | Q(contract_end__gte=F("contract_start")),
                name="broker_contract_ends_after_start",
            ),
            models.CheckConstraint(condition=~Q(buddy=F("pk")), name="broker_not_own_buddy"),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return display_name(self.user)


class ActivityType(Versioned):
    """A team's kind of activity within one of the four categories (its vocabulary).

    A type in use is never deleted, only retired (`is_active` off): retired types
    stay on the records and in the exports that name them, and are not offered
    for new records. Names are unique in the team whatever their case, because
    an import finds a type by its name alone.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="activity_types")
    category = models.CharField(max_length=30, choices=Category.choices)
    name = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField("Offered for new activities", default=True)
    is_event = models.BooleanField(
        "An event",
        default=False,
        db_default=False,
        help_text="The quarterly report counts activities of this type as events held and "
        "adds up their attendees (a seminar, a workshop, a network event).",
    )
    history = tracked()

    objects = querysets.ActivityTypeQuerySet.as_manager()

    class Meta:
        ordering = ["category", "position", "name"]
        constraints = [
            models.UniqueConstraint("team", Lower("name"), name="activity_type_unique_in_team"),
        ]

    def __str__(self):
        return self.name

    @property
    def in_use(self):
        """True when an activity has this type: it may then be retired, not deleted."""
        return self.activities.exists()

    def delete_if_unused(self):
        """Delete the type unless an activity has it (then it can only be retired)."""
        try:
            with transaction.atomic():
                if self.in_use:
                    return False
                self.delete()
        except (models.ProtectedError, IntegrityError):  # an activity took it just now
            return False
        return True

    def move(self, step):
        """Move the type `step` places (-1 up, 1 down) among its category's types."""
        siblings = list(
            type(self)
            .objects.filter(team_id=self.team_id, category=self.category)
            .order_by("position", "name", "pk")
        )
        at = next(index for index, sibling in enumerate(siblings) if sibling.pk == self.pk)
        to = at + step
        if not 0 <= to < len(siblings):
            return False
        siblings[at], siblings[to] = siblings[to], siblings[at]
        with transaction.atomic():
            for position, sibling in enumerate(siblings):
                if sibling.position != position:
                    sibling.position = position
                    sibling.save(update_fields=["position"])
        return True


class Conduit(models.Model):
    """One of the five conduits through which commissioners take up knowledge."""

    code = models.CharField(max_length=30, primary_key=True)
    label = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self):
        return self.label


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


class Contact(Versioned):
    """A person the team works with. Erasure anonymises them in place."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    community = models.CharField(max_length=20, choices=Community.choices)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    notes = models.TextField(blank=True)
    consent_note = models.TextField(
        "Consent or lawful basis",
        blank=True,
        help_text="Why the team may hold this person's details.",
    )
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = tracked()

    objects = querysets.ContactQuerySet.as_manager()

    PERSONAL_FIELDS = ("job_title", "email", "phone", "notes", "consent_note")
    # What evaluators, who see the pseudonym, may know changed but never read.
    PSEUDONYMISED_FIELDS = ("name", *PERSONAL_FIELDS)
    # What an erased contact is called, before its pseudonym.
    ERASED_NAME = "Erased contact"

    # A page that loads these is recorded in the access log as a reading of personal
    # details (audit.access); the name, shown on every page of the log, is not.
    ACCESS_LOGGED_FIELDS = ("email", "phone", "notes", "consent_note")
    ACCESS_LOG_KIND = "personal"

    class Meta:
        # Unordered lists of contacts (related lists, prefetches, the admin) come in the
        # order of their ids, which reveals nothing of their names to evaluators, who read
        # them as pseudonyms. Lists in name order ask for it: `ordered_for(access)`.
        ordering = ["pk"]
        indexes = [models.Index(fields=["team", "name"])]
        constraints = [
            models.UniqueConstraint(
                "team",
                Lower("email"),
                condition=~Q(email=""),
                name="contact_email_unique_in_team",
                violation_error_message="Another contact of this team has this email address.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("activities:contact_detail", kwargs={"team": self.team.slug, "pk": self.pk})

    @property
    def pseudonym(self):
        return contact_pseudonym(self.team_id, self.pk)

    @property
    def is_erased(self):
        return self.erased_at is not None

    def label_for(self, access):
        """The name `access` may see: the real name, or the pseudonym for evaluators."""
        if access is not None and not access.sees_contact_names:
            return self.pseudonym
        return self.name

    @transaction.atomic
    def erase(self):
        """Anonymise the contact on request, keeping their community and activity links.

        Counts in reports stay as they were; the name and personal details go,
        from the record and from its history.
        """
        self.name = f"{self.ERASED_NAME} {self.pseudonym}"
        for field in self.PERSONAL_FIELDS:
            setattr(self, field, "")
        self.erased_at = timezone.now()
        self.save()
        scrubbed = dict.fromkeys(self.PERSONAL_FIELDS, "")
        self.history.all().update(name=self.name, **scrubbed)


class ContactMerge(models.Model):
    """Duplicate contacts merged into one survivor: who merged them, when, and which.

    The merged contacts are gone, but their numbers and pseudonyms stay here, so
    that their history stays reachable from the survivor and evaluators can
    reconcile files exported before the merge.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="contact_merges")
    survivor = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="merges")
    survivor_pseudonym = models.CharField(max_length=20)
    merged_ids = models.JSONField(default=list)
    merged_pseudonyms = models.JSONField(default=list)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)

    objects = querysets.ContactMergeQuerySet.as_manager()

    class Meta:
        ordering = ["-merged_at", "-pk"]

    def __str__(self):
        return f"{', '.join(self.merged_pseudonyms)} into {self.survivor_pseudonym}"


class DistinctContacts(models.Model):
    """Two contacts someone said are different people, though they look alike: the possible
    duplicates page stops showing them together."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    first = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now_add=True)

    objects = querysets.DistinctContactsQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "distinct contacts"
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="distinct_contacts_once"),
            models.CheckConstraint(
                condition=Q(first__lt=F("second")), name="distinct_contacts_in_order"
            ),
        ]

    def __str__(self):
        return f"{self.first_id} is not {self.second_id}"

    @classmethod
    def mark(cls, team, contacts, user=None):
        """Say that each pair of `contacts` (of `team`) are different people."""
        pks = sorted({contact.pk for contact in contacts})
        cls.objects.bulk_create(
            [
                cls(team=team, first_id=one, second_id=two, marked_by=user)
                for index, one in enumerate(pks)
                for two in pks[index + 1 :]
            ],
            ignore_conflicts=True,
        )


class DuplicateCheck(models.Model):
    """A team's possible duplicate contacts as last found, for the possible duplicates page.

    Finding them reads every contact of the team (seconds at 100,000), so a job finds
    them (activities.duplicate_checks) and the page shows what it stored. `wanted` counts
    the changes asked to be checked; `checked` is the count the stored clusters answer.
    """

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="duplicate_check")
    wanted = models.PositiveIntegerField(default=0)
    checked = models.PositiveIntegerField(null=True, blank=True)
    # A check is waiting in the queue: changes meanwhile are found by it, not by another.
    queued = models.BooleanField(default=False)
    requested_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    contacts = models.PositiveIntegerField(default=0)
    found = models.PositiveIntegerField(default=0)  # clusters found; the strongest are stored
    # [{"contacts": [pk, ...], "score": 0.95, "links": [[pk, pk, score, [reason, ...]], ...]}]
    clusters = models.JSONField(default=list)

    objects = querysets.DuplicateCheckQuerySet.as_manager()

    def __str__(self):
        return f"Possible duplicates of {self.team}"

    @property
    def is_current(self):
        """Whether no change has been asked to be checked since the stored clusters."""
        return self.checked == self.wanted


class Project(Versioned):
    """A collaborative project: a research bid, an evaluation or a service improvement."""

    class Kind(models.TextChoices):
        RESEARCH_BID = "research_bid", "Research bid"
        EVALUATION = "evaluation", "Evaluation"
        SERVICE_IMPROVEMENT = "service_improvement", "Service improvement"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        IDEA = "idea", "Idea"
        DEVELOPING = "developing", "Developing"
        SUBMITTED = "submitted", "Submitted"
        FUNDED = "funded", "Funded"
        UNSUCCESSFUL = "unsuccessful", "Unsuccessful"
        WITHDRAWN = "withdrawn", "Withdrawn"
        COMPLETED = "completed", "Completed"

    # A bid in one of these statuses was decided: it needs its decision date (`decided_on`).
    DECIDED_STATUSES = (Status.FUNDED, Status.UNSUCCESSFUL, Status.WITHDRAWN)
    # Funded: only funded work goes on to completion (the report counts both as funded).
    FUNDED_STATUSES = (Status.FUNDED, Status.COMPLETED)

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="projects")
    title = models.CharField(max_length=250)
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.RESEARCH_BID)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IDEA)
    description = models.TextField(blank=True)
    funder = models.CharField(max_length=200, blank=True)
    amount_requested = models.DecimalField(
        "Amount requested (£)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    amount_awarded = models.DecimalField(
        "Amount awarded (£)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    deadline = ModelDateField(null=True, blank=True)
    submitted_on = ModelDateField(null=True, blank=True)
    decided_on = ModelDateField(null=True, blank=True)
    co_produced = models.BooleanField(
        default=False, help_text="Commissioners are among the applicants."
    )
    partners = models.ManyToManyField(Contact, blank=True, related_name="projects")
    lead_broker = models.ForeignKey(
        Broker, null=True, blank=True, on_delete=models.SET_NULL, related_name="led_projects"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = tracked(m2m_fields=[partners])

    objects = querysets.ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["team", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_requested__isnull=True) | Q(amount_requested__gte=0),
                name="project_amount_requested_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(amount_awarded__isnull=True) | Q(amount_awarded__gte=0),
                name="project_amount_awarded_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True)
                | Q(submitted_on__isnull=True)
                | Q(decided_on__gte=F("submitted_on")),
                name="project_decided_not_before_submitted",
                violation_error_message="A project cannot be decided before it was submitted.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("activities:project_detail", kwargs={"team": self.team.slug, "pk": self.pk})

    def lacks_funded_outcome(self):
        """Funded with no "bid funded" outcome recorded: the report names such a project,
        and its page offers to record the outcome, so that outcomes and projects agree."""
        return (
            self.status in self.FUNDED_STATUSES
            and not self.outcomes.filter(type=Outcome.Type.BID_FUNDED).exists()
        )


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


class Outcome(Versioned):
    """What came of the work: linked to an activity, a project, or both."""

    class Type(models.TextChoices):
        CONNECTION_MADE = "connection_made", "Connection made"
        COLLABORATION_FORMED = "collaboration_formed", "Collaboration formed"
        EVALUATION_STARTED = "evaluation_started", "Evaluation started"
        BID_SUBMITTED = "bid_submitted", "Bid submitted"
        BID_FUNDED = "bid_funded", "Bid funded"
        EVIDENCE_USED_IN_DECISION = "evidence_used_in_decision", "Evidence used in a decision"
        RESEARCH_SHAPED_BY_COMMISSIONING = (
            "research_shaped_by_commissioning",
            "Research shaped by commissioning",
        )
        CAPABILITY_CHANGE = "capability_change", "Capability change"
        OUTPUT = "output", "Output"
        OTHER = "other", "Other"

    class Dimension(models.TextChoices):
        KNOWLEDGE = "knowledge", "Knowledge"
        ATTITUDE = "attitude", "Attitude"
        SKILLS = "skills", "Skills"
        CONFIDENCE = "confidence", "Confidence"

    class Confidence(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="outcomes")
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.CASCADE, related_name="outcomes"
    )
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.CASCADE, related_name="outcomes"
    )
    type = models.CharField(max_length=40, choices=Type.choices)
    capability_dimension = models.CharField(max_length=20, choices=Dimension.choices, blank=True)
    date = ModelDateField()
    description = models.TextField()
    evidence = models.TextField(blank=True, help_text="What shows that this happened.")
    confidence = models.CharField(
        max_length=10, choices=Confidence.choices, default=Confidence.MEDIUM
    )
    value_gbp = models.DecimalField(
        "Value (£)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    contacts = models.ManyToManyField(Contact, blank=True, related_name="outcomes")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = tracked(m2m_fields=[contacts])

    objects = querysets.OutcomeQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["team", "-date"], name="outcome_team_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(activity__isnull=False) | Q(project__isnull=False),
                name="outcome_linked_to_activity_or_project",
                violation_error_message="Link the outcome to an activity, a project or both.",
            ),
            models.CheckConstraint(
                condition=Q(value_gbp__isnull=True) | Q(value_gbp__gte=0),
                name="outcome_value_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(type="capability_change") | Q(capability_dimension=""),
                name="outcome_dimension_only_for_capability_change",
            ),
        ]

    def __str__(self):
        return f"{self.get_type_display()}: {self.description[:60]}"

    def get_absolute_url(self):
        return reverse("activities:outcome_detail", kwargs={"team": self.team.slug, "pk": self.pk})


class ImportedEvent(models.Model):
    """A calendar event logged as an activity: its UID and start, so that uploading the
    same calendar again adds nothing. Unique in the team, which the database holds to."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    uid = models.CharField("UID", max_length=250)
    start = models.CharField(max_length=20, help_text="The start in UTC, or the day if all-day.")
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    objects = querysets.ImportedEventQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["team", "uid", "start"], name="imported_event_once_in_team"
            ),
        ]

    def __str__(self):
        return f"{self.uid} at {self.start}"


class CalendarFeed(models.Model):
    """A person's private calendar feed of their follow-ups and the team's deadlines.

    Only a hash of its token is kept: the address is shown once, when it is made.
    Revoking keeps the row (so the address answers 404 for good); a new address is a
    new row.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_read_at = models.DateTimeField(null=True, blank=True)

    objects = querysets.CalendarFeedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"],
                condition=Q(revoked_at__isnull=True),
                name="calendar_feed_one_live_per_person",
            ),
        ]

    def __str__(self):
        return f"Calendar feed of {self.user} in {self.team}"

    @staticmethod
    def hash_of(token):
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    @transaction.atomic
    def issue(cls, team, user):
        """Revoke the person's live feed, if any, and make a new one: (feed, its token)."""
        cls.objects.filter(team=team, user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        token = secrets.token_urlsafe(32)
        feed = cls.objects.create(team=team, user=user, token_hash=cls.hash_of(token))
        return feed, token

    @classmethod
    def revoke(cls, team, user):
        """Stop the person's live feed; the number of feeds stopped (0 or 1)."""
        return cls.objects.filter(team=team, user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )

    @classmethod
    def live(cls, token):
        """The live feed of `token`, its member still in the team; None otherwise."""
        if not isinstance(token, str) or not 20 <= len(token) <= 100:
            return None
        return (
            cls.objects.select_related("team", "user")
            .filter(
                token_hash=cls.hash_of(token),
                revoked_at__isnull=True,
                user__is_active=True,
                user__memberships__team=F("team"),
                user__memberships__is_active=True,
            )
            .first()
        )
