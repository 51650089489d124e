"""Teams and who belongs to them, with which role: what tenancy is decided from.

Every other record of the product belongs to one team; `teams.tenancy`
resolves a request's team and the user's role in it from these two models.
"""

import calendar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from kmtracker.lib.history.writing import tracked
from kmtracker.lib.versioning import Versioned
from teams import invitations, querysets


class Team(Versioned):
    """A knowledge-mobilisation team or programme; all other data belongs to one."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    year_start_month = models.PositiveSmallIntegerField(
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="Month the team's reporting year starts: 4 for the NHS financial year, "
        "1 for calendar quarters.",
    )
    lock_signed_off_quarters = models.BooleanField(
        "Lock signed-off quarters",
        default=False,
        db_default=False,  # rows written by code that predates the field
        help_text="Only the team's leads may add, change or delete records dated in a "
        "quarter that has been signed off.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = tracked(excluded_fields=["created_at"])

    objects = querysets.TeamQuerySet.as_manager()

    class Meta:
        db_table = "activities_team"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year_start_month__gte=1, year_start_month__lte=12),
                name="team_year_start_month_valid",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("team_dashboard", kwargs={"team": self.slug})

    @property
    def year_start_month_name(self) -> str:
        return calendar.month_name[self.year_start_month]


class Membership(models.Model):
    """A user's role in a team; a user may hold a different role in each team."""

    class Role(models.TextChoices):
        BROKER = "broker", "Broker"
        LEAD = "lead", "Team lead"
        EVALUATOR = "evaluator", "Evaluator"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    # A member who left: no longer sees the team, and keeps every record they made.
    is_active = models.BooleanField("active", default=True)
    history = tracked(table_name="activities_historicalmembership")

    objects = querysets.MembershipQuerySet.as_manager()

    class Meta:
        db_table = "activities_membership"
        constraints = [
            models.UniqueConstraint(fields=["user", "team"], name="membership_one_role_per_team"),
            models.CheckConstraint(
                condition=Q(role__in=["broker", "lead", "evaluator"]), name="membership_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} of {self.team}"

    @property
    def brokers(self) -> bool:
        """Brokers and leads broker, and so need a broker profile in the team."""
        return self.role in (self.Role.BROKER, self.Role.LEAD)

    def is_last_active_lead(self) -> bool:
        """True when this is the one active lead of its team: it must stay one."""
        if not (self.is_active and self.role == self.Role.LEAD):
            return False
        leads = Membership.objects.filter(team_id=self.team_id, role=self.Role.LEAD, is_active=True)
        return not leads.exclude(pk=self.pk).exists()


class Invitation(models.Model):
    """An invitation to join a team with a role, sent by e-mail as a single-use link.

    Only a hash of the link's token is kept (teams.invitations): whoever reads the
    database cannot join a team with it. The link works until it expires, is
    revoked, or is used; re-sending issues a fresh link and a new expiry.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField("e-mail address")
    role = models.CharField(max_length=20, choices=Membership.Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = tracked()

    objects = invitations.InvitationQuerySet.as_manager()

    Status = invitations.Status

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["broker", "lead", "evaluator"]), name="invitation_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.email} – {self.get_role_display()} of {self.team}"

    @property
    def status(self) -> str:
        """pending, expired, revoked or accepted, now."""
        return invitations.status_of(self)

    @property
    def is_pending(self) -> bool:
        return self.status == invitations.Status.PENDING

    def issue(self) -> str:
        """Give the invitation a fresh token and expiry (unsaved); returns the raw token,
        which goes into the e-mail and nowhere else."""
        token = invitations.new_token()
        self.token_hash = invitations.hash_token(token)
        self.sent_at = invitations.now()
        self.expires_at = self.sent_at + invitations.lifetime()
        return token


class Submission(models.Model):
    """A form sent once: the one-time token a form carries (teams.submissions), kept by
    the first request that saves it, with where to find what it made. A second request
    with the same token (a double click, a re-sent page) finds it and makes nothing."""

    token = models.CharField(max_length=64, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # What the first request made: the page to show it, and what a dialog shows of it.
    url = models.CharField(max_length=500, blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Submission {self.pk} of {self.team}"
