"""Quarterly progress reports, the reflective log and evaluation studies.

Quarterly reports: the figures are not stored while a quarter is open: they
are computed from the log each time (see `evaluations/reports.py`). Signing off
stores a snapshot of the figures and the narrative as submitted, so that later
changes to the log show as differences against it, never as silent changes.

Reflective log entries are their author's; shared ones are read by the team's
evaluators. Evaluation studies hold sources (texts), participants, a framework
of themes, excerpts coded against it and the summaries of the framework matrix
(see `evaluations/coding.py` and `evaluations/matrix.py`). Who sees which rows
is decided in `evaluations/querysets.py`.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from activities.models import Community, Contact
from evaluations import querysets
from kmtracker.lib.history.writing import tracked
from kmtracker.lib.quarters import Quarter
from kmtracker.lib.versioning import Versioned
from teams.models import Team


class QuarterlyReport(Versioned):
    """A team's progress report for one quarter of its year: narrative and sign-off.

    `start` and `end` are kept beside the quarter's number so that a signed-off
    report keeps the dates it covered even if the team's year later starts in
    another month.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="quarterly_reports")
    start_year = models.PositiveSmallIntegerField(
        help_text="Calendar year the team year starts in."
    )
    number = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    start = models.DateField()
    end = models.DateField()
    highlights = models.TextField(blank=True, help_text="Markdown.")
    challenges = models.TextField(blank=True, help_text="Markdown.")
    plans = models.TextField("Plans for next quarter", blank=True, help_text="Markdown.")
    signed_off_at = models.DateTimeField(null=True, blank=True, editable=False)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # The figures and narrative as signed off (see reports.ReportFigures.to_json); null when open.
    frozen = models.JSONField(null=True, blank=True, editable=False, encoder=DjangoJSONEncoder)
    updated_at = models.DateTimeField(auto_now=True)
    history = tracked(excluded_fields=["frozen"])

    objects = querysets.QuarterlyReportQuerySet.as_manager()

    NARRATIVE_FIELDS = ("highlights", "challenges", "plans")

    class Meta:
        ordering = ["team", "-start"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "start_year", "number"], name="quarterly_report_once_per_quarter"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=4), name="quarterly_report_number_valid"
            ),
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="quarterly_report_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(signed_off_at__isnull=True) | Q(frozen__isnull=False),
                name="quarterly_report_signed_off_is_frozen",
            ),
        ]

    def __str__(self):
        return f"{self.team}: {self.quarter.short_label}"

    @classmethod
    def for_quarter(cls, access, quarter):
        """The report of `quarter` in the team of `access` (a TeamAccess), read through
        `for_user()`; unsaved (and unsigned) when none was started yet."""
        report = (
            access.scoped(cls)
            .select_related("signed_off_by")
            .filter(start_year=quarter.start_year, number=quarter.number)
            .first()
        )
        return report or cls.blank(access.team, quarter)

    @classmethod
    def blank(cls, team, quarter):
        return cls(
            team=team,
            start_year=quarter.start_year,
            number=quarter.number,
            start=quarter.start,
            end=quarter.end,
        )

    @property
    def quarter(self):
        """The quarter covered, in the team year as it started when the report was begun."""
        year_start_month = (self.start.month - 1 - 3 * (self.number - 1)) % 12 + 1
        return Quarter(self.start_year, self.number, year_start_month)

    @property
    def is_signed_off(self):
        return self.signed_off_at is not None

    @property
    def has_narrative(self):
        return any(getattr(self, name).strip() for name in self.NARRATIVE_FIELDS)

    def narrative(self):
        """The narrative sections as (label, Markdown text): the frozen ones once signed off."""
        source = (
            self.frozen["narrative"]
            if self.is_signed_off
            else {name: getattr(self, name) for name in self.NARRATIVE_FIELDS}
        )
        return [
            (self._meta.get_field(name).verbose_name.capitalize(), source.get(name, ""))
            for name in self.NARRATIVE_FIELDS
        ]

    def sign_off(self, user, figures):
        """Freeze `figures` (a reports.ReportFigures) and the narrative; False if already done.

        The row is locked so that two leads pressing the button at once sign off once.
        """
        with transaction.atomic():
            report = type(self).objects.select_for_update().get(pk=self.pk)
            if report.is_signed_off:
                return False
            now = timezone.now()
            snapshot = {
                "figures": figures.to_json(),
                "narrative": {name: getattr(report, name) for name in self.NARRATIVE_FIELDS},
            }
            report.frozen = snapshot
            report.signed_off_at = now
            report.signed_off_by = user
            report.save()
            ReportEvent.objects.create(
                report=report,
                action=ReportEvent.Action.SIGNED_OFF,
                user=user,
                at=now,
                snapshot=snapshot,
            )
        self.refresh_from_db()
        return True

    def reopen(self, user, note=""):
        """Undo the sign-off so the figures follow the log again; False if it was not signed off.

        The snapshot stays with the sign-off's event, so what was submitted is not lost.
        """
        with transaction.atomic():
            report = type(self).objects.select_for_update().get(pk=self.pk)
            if not report.is_signed_off:
                return False
            report.frozen = None
            report.signed_off_at = None
            report.signed_off_by = None
            report.save()
            ReportEvent.objects.create(
                report=report,
                action=ReportEvent.Action.REOPENED,
                user=user,
                at=timezone.now(),
                note=note,
            )
        self.refresh_from_db()
        return True


class ReportEvent(models.Model):
    """Who signed a quarter off or reopened it, and when; a sign-off keeps its snapshot.

    The report row holds only the current sign-off; these events keep every
    earlier one, so a reopened quarter still shows what was submitted before.
    """

    class Action(models.TextChoices):
        SIGNED_OFF = "signed_off", "Signed off"
        REOPENED = "reopened", "Reopened"

    report = models.ForeignKey(QuarterlyReport, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()
    note = models.TextField(blank=True)
    snapshot = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=["signed_off", "reopened"]),
                name="report_event_action_valid",
            )
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


# The reflective log ---------------------------------------------------------------------------


# Tags every installation starts with (a data migration adds them).
DEFAULT_LOG_TAGS = [
    ("enabler", "Enabler"),
    ("challenge", "Challenge"),
    ("learning", "Learning"),
    ("success", "Success"),
    ("relationships", "Relationships"),
    ("workload", "Workload and wellbeing"),
]


class LogTag(models.Model):
    """A tag of reflective log entries (enabler, challenge, learning, ...)."""

    code = models.CharField(max_length=30, primary_key=True)
    label = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self):
        return self.label


class ReflectiveEntry(models.Model):
    """A broker's or lead's dated reflection: private to its author unless shared.

    Shared entries are read by the team's evaluators, who may copy them into an
    evaluation as sources; nobody else ever reads an entry (see querysets).
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="reflective_entries")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflective_entries"
    )
    date = models.DateField()
    title = models.CharField(max_length=200, blank=True)
    text = models.TextField("Reflection")
    tags = models.ManyToManyField(LogTag, blank=True, related_name="entries")
    shared = models.BooleanField(
        "Share with the team's evaluators",
        default=False,
        help_text="Private entries are seen by you alone, not by your lead.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = tracked(m2m_fields=[tags])

    objects = querysets.ReflectiveEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name_plural = "reflective entries"
        indexes = [models.Index(fields=["team", "author", "-date"], name="reflective_entry_author")]

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return reverse("evaluations:log_detail", kwargs={"team": self.team.slug, "pk": self.pk})

    @property
    def label(self):
        return self.title or f"Reflection of {self.date.day} {self.date:%B %Y}"

    def is_written_by(self, user):
        return self.author_id == user.pk


# Evaluation studies ---------------------------------------------------------------------------


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
    period_start = models.DateField("Period from", null=True, blank=True)
    period_end = models.DateField("Period to", null=True, blank=True)
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
    date = models.DateField(null=True, blank=True)
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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = tracked(m2m_fields=[participants])

    objects = querysets.SourceQuerySet.as_manager()

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
