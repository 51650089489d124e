"""Evaluation studies: sources (texts), participants, a framework of themes, excerpts
coded against it and the summaries of the framework matrix (see `evaluations/coding.py`
and `evaluations/matrix.py`)."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse

from activities.models import Community, Contact
from evaluations import querysets
from evaluations.models.log import ReflectiveEntry
from evaluations.models.reports import QuarterlyReport
from kmtracker.lib.date_fields import ModelDateField
from kmtracker.lib.history.writing import tracked
from teams.models import Team


class Study(models.Model):
    """An evaluation of a team: its questions, period, evaluators and status."""

    class Status(models.TextChoices):
        PLANNING = "planning", "Planning"
        COLLECTING = "collecting", "Collecting data"
        ANALYSING = "analysing", "Analysing"
        REPORTING = "reporting", "Reporting"
        COMPLETE = "complete", "Complete"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="studies")
    title = models.CharField(max_length=250)
    questions = models.TextField("Evaluation questions", blank=True)
    period_start = ModelDateField("Period from", null=True, blank=True)
    period_end = ModelDateField("Period to", null=True, blank=True)
    evaluators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="evaluation_studies"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = querysets.StudyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "studies"
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="study_period_ends_after_start",
                violation_error_message="The period must not end before it starts.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("evaluations:study_detail", kwargs={"team": self.team.slug, "pk": self.pk})


class Participant(models.Model):
    """Someone whose words are in the sources, known in the study by a code (P01, ...).

    The optional link to a contact is for the evaluator's own bookkeeping: it is
    shown to evaluators only (as the contact's pseudonym) and never exported.
    """

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="participants")
    code = models.CharField(max_length=12)
    community = models.CharField(max_length=20, choices=Community.choices)
    role = models.CharField(
        max_length=100, blank=True, help_text="e.g. researcher, commissioner, GP, broker."
    )
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = querysets.ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["study", "code"],
                name="participant_code_unique_in_study",
                violation_error_message="Another participant of this study has this code.",
            ),
            models.UniqueConstraint(
                fields=["study", "contact"],
                condition=Q(contact__isnull=False),
                name="participant_contact_once_per_study",
                violation_error_message="This contact is already a participant of this study.",
            ),
        ]

    def __str__(self):
        return self.code

    @classmethod
    def next_code(cls, study):
        """P01, P02, ...: one more than the highest number among the study's P-codes."""
        # Only codes this method could have given count: "P²" or "P" and 5,000 digits
        # (typed by someone) are codes too, but not numbers.
        numbers = [
            int(code[1:])
            for code in cls.objects.filter(study=study).values_list("code", flat=True)
            if re.fullmatch(r"P[0-9]{1,9}", code)
        ]
        return f"P{max(numbers, default=0) + 1:02d}"


class Source(models.Model):
    """A text analysed in a study: a transcript, a document, minutes, a log entry, ...

    Excerpts point into `text` by character offsets, so the text changes only
    through `coding.replace_text()`, which moves every excerpt with its words.
    """

    class Kind(models.TextChoices):
        INTERVIEW = "interview", "Interview transcript"
        REFLECTIVE_LOG = "reflective_log", "Reflective log"
        PROGRESS_REPORT = "progress_report", "Progress report"
        MEETING_MINUTES = "meeting_minutes", "Meeting minutes"
        DIARY = "diary", "Diary"
        ESSAY = "essay", "Essay"
        WORKSHOP = "workshop", "Workshop notes"
        OBSERVATION = "observation", "Observation notes"
        DOCUMENT = "document", "Document"

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=250)
    date = ModelDateField(null=True, blank=True)
    text = models.TextField()
    participants = models.ManyToManyField(Participant, blank=True, related_name="sources")
    file_name = models.CharField(
        max_length=255, blank=True, editable=False, help_text="The file the text came from."
    )
    reflective_entry = models.ForeignKey(
        ReflectiveEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="sources"
    )
    quarterly_report = models.ForeignKey(
        QuarterlyReport, null=True, blank=True, on_delete=models.SET_NULL, related_name="sources"
    )
    evaluators_only = models.BooleanField(
        default=False,
        editable=False,
        help_text="Copied from a reflective log entry: read by the study's team's evaluators "
        "and the entry's author only, never leads, with its excerpts and summaries. It stays "
        "so when the entry is deleted.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = tracked(m2m_fields=[participants])

    objects = querysets.SourceQuerySet.as_manager()
    # A page that loads these is recorded in the access log as a reading of the source.
    ACCESS_LOGGED_FIELDS = ("text",)

    class Meta:
        ordering = ["date", "title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["study", "reflective_entry"],
                condition=Q(reflective_entry__isnull=False),
                name="source_log_entry_once_per_study",
            ),
            models.UniqueConstraint(
                fields=["study", "quarterly_report"],
                condition=Q(quarterly_report__isnull=False),
                name="source_report_once_per_study",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "evaluations:source_detail",
            kwargs={"team": self.study.team.slug, "study": self.study_id, "pk": self.pk},
        )


class Theme(models.Model):
    """A theme of a study's framework, or (with a parent) one of its sub-themes."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="themes")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name="Sub-theme of",
    )
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = querysets.ThemeQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                "study",
                Lower("name"),
                condition=Q(parent__isnull=True),
                name="theme_name_unique_in_study",
                violation_error_message="The framework already has a theme with this name.",
            ),
            models.UniqueConstraint(
                "parent",
                Lower("name"),
                condition=Q(parent__isnull=False),
                name="sub_theme_name_unique_in_theme",
                violation_error_message="This theme already has a sub-theme with this name.",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self):
        """ "Theme › Sub-theme", or the theme's name."""
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    @property
    def is_top_level(self):
        return self.parent_id is None

    def clean(self):
        if self.parent is not None:
            if self.parent.parent_id is not None:
                raise ValidationError({"parent": "Themes have two levels: choose a top theme."})
            if self.parent.study_id != self.study_id or self.parent_id == self.pk:
                raise ValidationError({"parent": "Choose a theme of this framework."})


class Excerpt(models.Model):
    """A coded passage: characters `start` to `end` of a source's text, with its themes.

    `text` keeps the quoted words, so that an excerpt can be found again if the
    source's text is corrected, and exports do not depend on offsets.
    """

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="excerpts")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField("Quoted text")
    themes = models.ManyToManyField(Theme, related_name="excerpts")
    memo = models.TextField(blank=True)
    participant = models.ForeignKey(
        Participant,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="excerpts",
        help_text="Whose words these are.",
    )
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = tracked(m2m_fields=[themes])

    objects = querysets.ExcerptQuerySet.as_manager()
    ACCESS_LOGGED_FIELDS = ("text",)

    class Meta:
        ordering = ["source", "start", "end", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="excerpt_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.text[:60]


class CellSummary(models.Model):
    """The evaluator's summary of one cell of the framework matrix: a row by a theme.

    The row is a participant or a source, as the matrix is shown by either.
    """

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="cell_summaries")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="summaries")
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.CASCADE, related_name="summaries"
    )
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.CASCADE, related_name="summaries"
    )
    text = models.TextField("Summary")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = tracked()

    objects = querysets.CellSummaryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "cell summaries"
        constraints = [
            models.CheckConstraint(
                condition=Q(participant__isnull=True, source__isnull=False)
                | Q(participant__isnull=False, source__isnull=True),
                name="cell_summary_one_row",
            ),
            models.UniqueConstraint(
                fields=["theme", "participant"],
                condition=Q(participant__isnull=False),
                name="cell_summary_once_per_participant_theme",
            ),
            models.UniqueConstraint(
                fields=["theme", "source"],
                condition=Q(source__isnull=False),
                name="cell_summary_once_per_source_theme",
            ),
        ]

    def __str__(self):
        return self.text[:60]
