"""The access log: who downloaded which export, and who read which evaluation source.

Records are only ever added. Saving an existing record, deleting one, or
updating or deleting them in bulk raises `AppendOnlyError`; on PostgreSQL a
trigger (migration 0002) refuses UPDATE and DELETE from any other client too.
The user and team are kept without a database constraint, so that the record
outlives them, with the username written out as it was.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnlyError(Exception):
    """An attempt to change or remove a record of the access log."""


class AccessRecordQuerySet(models.QuerySet):
    def for_team(self, team):
        return self.filter(team=team)

    def update(self, **kwargs):
        raise AppendOnlyError("Access records cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Access records cannot be deleted.")


class AccessRecord(models.Model):
    """One export downloaded, or one evaluation source (or its excerpts) read."""

    class Kind(models.TextChoices):
        EXPORT = "export", "Export downloaded"
        SOURCE = "source", "Evaluation source read"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    username = models.CharField(max_length=150)
    team = models.ForeignKey(
        "teams.Team",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    what = models.CharField(
        max_length=200, help_text="The page (URL name) or the command and export."
    )
    path = models.CharField(max_length=2000, blank=True)
    query = models.TextField(blank=True, help_text="The filters, as a query string.")
    row_count = models.PositiveIntegerField(null=True, blank=True)

    objects = AccessRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["team", "-at"], name="accessrecord_team_at")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username}: {self.get_kind_display()} {self.what}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Access records cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Access records cannot be deleted.")
