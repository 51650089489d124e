"""Projects and outcomes: the collaborative work, and what came of the work."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from activities import querysets
from activities.models.brokers import Broker
from activities.models.contacts import Contact
from kmtracker.lib.date_fields import ModelDateField
from kmtracker.lib.history.writing import tracked
from kmtracker.lib.versioning import Versioned
from teams.models import Team


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
    # By name: activities.py imports this module, for an activity's project.
    activity = models.ForeignKey(
        "activities.Activity",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="outcomes",
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
