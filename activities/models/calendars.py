"""Calendars: events logged from an uploaded calendar, and a person's calendar feed."""

import hashlib
import secrets

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

from activities import querysets
from activities.models.activities import Activity
from teams.models import Team


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
