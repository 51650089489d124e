"""Quarterly progress reports: the narrative, the sign-off and its snapshot.

The figures are not stored while a quarter is open: they are computed from the
log each time (see `evaluations/reports/`). Signing off stores a snapshot of
the figures and the narrative as submitted, so that later changes to the log
show as differences against it, never as silent changes.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from evaluations import querysets
from kmtracker.lib.date_fields import ModelDateField
from kmtracker.lib.history.writing import tracked
from kmtracker.lib.quarters import Quarter
from kmtracker.lib.versioning import Versioned
from teams.models import Team


class QuarterlyReport(Versioned):
    """A team's progress report for one quarter of its year: narrative and sign-off.

    `start` and `end` are kept beside the quarter's number so that a signed-off
    report keeps the dates it covered even if the team's year later starts in
    another month: a report belongs to the quarters of the year start it was
    begun in (its `quarter`), and the re-cut quarters get reports of their own.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="quarterly_reports")
    start_year = models.PositiveSmallIntegerField(
        help_text="Calendar year the team year starts in."
    )
    number = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    start = ModelDateField()
    end = ModelDateField()
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
                fields=["team", "start_year", "number", "start"],
                name="quarterly_report_once_per_quarter",
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
            .filter(start_year=quarter.start_year, number=quarter.number, start=quarter.start)
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

    @classmethod
    def of_quarter(cls, team, quarter):
        """The report of `quarter` (by its number and first day), begun if there is none."""
        report, _created = cls.objects.get_or_create(
            team=team,
            start_year=quarter.start_year,
            number=quarter.number,
            start=quarter.start,
            defaults={"end": quarter.end},
        )
        return report

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
