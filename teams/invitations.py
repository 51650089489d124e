"""The rules of invitations: their tokens, how long they last, what state they are in.

The raw token exists only in the link that is e-mailed; the database keeps its
SHA-256, so a copy of the database lets nobody in. Sending and accepting, which
write mail and broker profiles, are in `members.services`.
"""

import datetime
import hashlib
import secrets
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.utils import timezone

from kmtracker.lib.history.writing import RecordedQuerySet


class Status(models.TextChoices):
    PENDING = "pending", "Waiting for an answer"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Revoked"
    ACCEPTED = "accepted", "Accepted"


def now() -> datetime.datetime:
    return timezone.now()


def lifetime() -> datetime.timedelta:
    """How long a link works after it is sent (INVITATION_DAYS, 7 by default)."""
    return datetime.timedelta(days=settings.INVITATION_DAYS)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def status_of(invitation: Any) -> str:
    if invitation.accepted_at is not None:
        return Status.ACCEPTED
    if invitation.revoked_at is not None:
        return Status.REVOKED
    if invitation.expires_at <= now():
        return Status.EXPIRED
    return Status.PENDING


class InvitationQuerySet(RecordedQuerySet):
    def for_team(self, team: Any) -> Self:
        return self.filter(team=team)

    def open(self) -> Self:
        """Neither used nor revoked: pending, or expired and waiting to be re-sent."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)

    def pending(self) -> Self:
        return self.open().filter(expires_at__gt=now())

    def by_token(self, token: str) -> Any:
        """The invitation of a link's token, whatever its state, or None."""
        return self.select_related("team").filter(token_hash=hash_token(token)).first()
