"""Teams and who belongs to them, with which role: what tenancy is decided from.

Every other record of the product belongs to one team; `teams.tenancy`
resolves a request's team and the user's role in it from these two models.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from kmtracker.lib.history.writing import tracked
from kmtracker.lib.versioning import Versioned
from teams import querysets


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
