"""Personal access tokens: how a script, a BI tool or R reads the API as its owner.

A token belongs to one person in one team and reads only what that person may
read there (`teams.tenancy`), pseudonyms included. Its secret is shown once, when
it is made; the database keeps its SHA-256 only, so a copy of the database reads
nothing. A token works until it expires or is revoked, and only while its owner
is an active member of its team.
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from kmtracker.lib.history.writing import tracked
from teams.models import Team

# Every secret starts with this, so that a leaked one is easy to recognise and search for.
PREFIX = "kmt_"
# How much of the secret the account page shows, to tell tokens apart.
SHOWN = len(PREFIX) + 6
# last_used_at is written at most this often per token: a script paging fast writes little.
LAST_USED_EVERY = datetime.timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def of_user(self, user):
        return self.filter(user=user)

    def live(self):
        """Neither revoked nor expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())

    def by_secret(self, secret: str):
        """The token whose secret this is, whatever its state, or None."""
        if not secret.startswith(PREFIX):
            return None
        return self.select_related("user", "team").filter(digest=hash_secret(secret)).first()


class ApiToken(models.Model):
    """A named personal access token of one user for one team, kept as a hash."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. “Power BI”.")
    shown = models.CharField(max_length=20, editable=False, help_text="The secret's first letters.")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    history = tracked(excluded_fields=["digest", "last_used_at"])

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.name} ({self.shown}…)"

    @classmethod
    def issue(cls, user, team, name: str, expires_at: datetime.datetime):
        """Make and save a token; returns (token, secret). The secret is shown once."""
        secret = PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            team=team,
            name=name,
            shown=secret[:SHOWN],
            digest=hash_secret(secret),
            expires_at=expires_at,
        )
        return token, secret

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "active"

    def revoke(self) -> bool:
        """Stop the token for good; False when it was revoked already."""
        if self.revoked_at is not None:
            return False
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])
        return True

    def note_use(self) -> None:
        """Record when the token was last used (at most once a minute, without history)."""
        now = timezone.now()
        if self.last_used_at is None or now - self.last_used_at >= LAST_USED_EVERY:
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now
