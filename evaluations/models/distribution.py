"""Reports that reach people: the recipients of a team's signed-off quarter, the files
that were signed off, and saved report definitions that people subscribe to.

- `ReportRecipient`: a member of the team, or an outside address (a steering group, a
  funder) confirmed by a link sent to that address; each confirmed recipient receives
  the quarter when the lead signs it off.
- `SignedOffFile`: the CSV and XLSX of a sign-off, written once and kept, so that the
  files mailed and every later download of that sign-off are the same bytes.
- `SavedReport` and `ReportSubscription`: a named period rule with the activity list's
  filters, and the people who receive it monthly or quarterly.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from evaluations.models.reports import ReportEvent
from kmtracker.lib.history.writing import tracked
from mail.unsubscribe import has_opted_out
from teams.models import Team
from teams.querysets import TeamScopedQuerySet


class ReportRecipientQuerySet(TeamScopedQuerySet):
    """Recipients of the teams a user belongs to."""

    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)


class ReportRecipient(models.Model):
    """Who receives the team's quarterly report on sign-off: a member, or an address.

    A member is confirmed when named (the team knows their address); an outside address
    only once someone at that address follows the link sent to it, so that a typing
    mistake sends the team's report to nobody.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="report_recipients")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    address = models.EmailField(blank=True, help_text="An outside recipient's address.")
    name = models.CharField(max_length=200, blank=True, help_text="Such as 'Steering group'.")
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)
    history = tracked(excluded_fields=["token"])

    objects = ReportRecipientQuerySet.as_manager()

    class Meta:
        ordering = ["team", "-user", "address"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"], condition=Q(user__isnull=False), name="recipient_member"
            ),
            models.UniqueConstraint(
                fields=["team", "address"],
                condition=Q(user__isnull=True),
                name="recipient_address",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(address=""), name="recipient_has_someone"
            ),
        ]

    def __str__(self):
        return self.address or str(self.user)

    @property
    def is_member(self):
        return self.user_id is not None

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None

    @property
    def email(self):
        return self.user.email if self.user_id else self.address

    @property
    def unsubscribe_kind(self):
        """The kind of recurring mail an outside recipient opts out of: this team's reports."""
        return f"quarterly_report_of_{self.team.slug}"[:64]

    @property
    def has_unsubscribed(self):
        """Whether an outside recipient followed the unsubscribe link of a report mailed."""
        return not self.is_member and has_opted_out(self.unsubscribe_kind, None, self.address)

    def confirm(self):
        """Record the confirmation (once: a second visit keeps the first time)."""
        if self.confirmed_at is None:
            self.confirmed_at = timezone.now()
            self.save(update_fields=["confirmed_at"])


class SignedOffFile(models.Model):
    """A file of one sign-off (the CSV or the XLSX), as mailed and as downloaded."""

    class Kind(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    event = models.ForeignKey(ReportEvent, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=4, choices=Kind.choices)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "kind"], name="signed_off_file_once")
        ]

    def __str__(self):
        return self.filename


class PeriodRule(models.TextChoices):
    PREVIOUS_QUARTER = "previous_quarter", "Previous quarter"
    LAST_12_MONTHS = "last_12_months", "Last 12 months"
    YEAR_TO_DATE = "year_to_date", "Financial year to date"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"


class SavedReportQuerySet(TeamScopedQuerySet):
    """Saved reports of the teams a user belongs to: every member may open them."""


class SavedReport(models.Model):
    """A report definition under a name: a period rule and the activity list's filters."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="saved_reports")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=120)
    period_rule = models.CharField(max_length=20, choices=PeriodRule.choices)
    # The activity list's query string (without dates: the period rule sets them).
    filters = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = tracked()

    objects = SavedReportQuerySet.as_manager()

    class Meta:
        ordering = ["team", "name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "name"], name="saved_report_name_once")
        ]

    def __str__(self):
        return self.name


class ReportSubscriptionQuerySet(TeamScopedQuerySet):
    team_lookup = "saved_report__team_id"

    def active(self):
        return self.filter(ended_at__isnull=True)


class ReportSubscription(models.Model):
    """A person's standing order for a saved report, monthly or quarterly.

    It ends (`ended_at`) when the person leaves the team: a former member is sent nothing.
    """

    saved_report = models.ForeignKey(
        SavedReport, on_delete=models.CASCADE, related_name="subscriptions"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_because = models.CharField(max_length=200, blank=True)
    history = tracked()

    objects = ReportSubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["saved_report", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["saved_report", "user"],
                condition=Q(ended_at__isnull=True),
                name="subscription_once",
            )
        ]

    def __str__(self):
        return f"{self.saved_report} ({self.frequency})"

    def end(self, because):
        self.ended_at = timezone.now()
        self.ended_because = because[:200]
        self.save(update_fields=["ended_at", "ended_because"])
