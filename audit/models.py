"""The access log: who downloaded which export, and who read which evaluation source.

Records are only ever added. Saving an existing record, deleting one, or
updating or deleting them in bulk raises `AppendOnlyError`; on PostgreSQL a
trigger (migrations 0002, 0004) refuses UPDATE and DELETE from any other client too.
One change is allowed, by one path: `redact()` rewrites what a person typed (the
query, the path) when the person named in it is erased; who read what, and when,
stays as it was.
The user and team are kept without a database constraint, so that the record
outlives them, with the username written out as it was.
"""

from urllib.parse import parse_qsl, quote, unquote, urlencode

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

# The PostgreSQL setting under which the trigger lets `redact()` rewrite the typed text.
REDACTING = "kmtracker.access_log_redaction"
# The fields `redact()` may rewrite: what the reader typed.
TYPED = ("path", "query")


class AppendOnlyError(Exception):
    """An attempt to change or remove a record of the access log."""


class AccessRecordQuerySet(models.QuerySet):
    def for_team(self, team):
        return self.filter(team=team)

    def update(self, **kwargs):
        raise AppendOnlyError("Access records cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Access records cannot be deleted.")

    @transaction.atomic
    def redact(self, scrub, candidates=None):
        """Rewrite the typed text (path and query) of these records with `scrub` (text ->
        text without a person); the records changed. `candidates` (a Q) narrows the rows
        read first. The query is read decoded, value by value, as a person typed it."""
        rows = self.filter(candidates) if candidates is not None else self
        changed = 0
        with _redacting():
            for pk, path, query in rows.values_list("pk", *TYPED).iterator():
                new = {"path": _scrubbed_path(path, scrub), "query": _scrubbed(query, scrub)}
                if new != {"path": path, "query": query}:
                    # The one update of the log: the queryset's own update() refuses.
                    models.QuerySet.update(self.model._base_manager.filter(pk=pk), **new)
                    changed += 1
        return changed


def _scrubbed_path(path, scrub):
    read = unquote(path)
    without = scrub(read)
    return path if without == read else quote(without, safe="/")


def _scrubbed(query, scrub):
    pairs = parse_qsl(query, keep_blank_values=True)
    scrubbed = [(name, scrub(value)) for name, value in pairs]
    return query if scrubbed == pairs else urlencode(scrubbed)


class _redacting:
    """On PostgreSQL, the transaction's permission for the trigger to let `redact()` through."""

    def __enter__(self):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'on', true)", [REDACTING])

    def __exit__(self, *exc):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'off', true)", [REDACTING])


class AccessRecord(models.Model):
    """One export downloaded, one evaluation source (or its excerpts) read, one page
    with a contact's personal details read, or one read of the API."""

    class Kind(models.TextChoices):
        EXPORT = "export", "Export downloaded"
        SOURCE = "source", "Evaluation source read"
        PERSONAL = "personal", "Personal details read"
        API = "api", "Read through the API"

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
