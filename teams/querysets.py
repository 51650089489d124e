"""`for_user()`: the one place that decides which rows of team data a user may see.

Every model of team data has a queryset built on `TeamScopedQuerySet`; every
view, export and report starts from `for_user()` (through
`TeamAccess.scoped()`), so that isolation is decided here.
"""

from typing import Any, Self

from django.db.models import QuerySet

from kmtracker.lib.history.writing import RecordedQuerySet


class TeamScopedQuerySet(RecordedQuerySet):
    """Rows that belong to a team, reached through the user's memberships.

    `team_lookup` is the path from the row to its team's id (`team_id`, or
    `study__team_id` for rows of an evaluation study).
    """

    team_lookup = "team_id"
    # The roles whose members see these rows; None: every member.
    reader_roles: tuple[str, ...] | None = None

    def for_user(self, user: Any) -> Self:
        """Rows of the teams `user` belongs to (every team for superusers, none for anonymous)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(**{f"{self.team_lookup}__in": self.teams_of(user)})

    def teams_of(self, user: Any) -> QuerySet:
        """The ids of the teams whose rows `user` may read, as a subquery (a member who
        left, `is_active` off, reads none)."""
        memberships = user.memberships.filter(is_active=True)
        if self.reader_roles is not None:
            memberships = memberships.filter(role__in=self.reader_roles)
        return memberships.values("team_id")

    def for_team(self, team: Any) -> Self:
        return self.filter(**{self.team_lookup: team.pk})


class TeamQuerySet(TeamScopedQuerySet):
    team_lookup = "pk"


class MembershipQuerySet(TeamScopedQuerySet):
    def active(self) -> Self:
        """Members who have not left the team."""
        return self.filter(is_active=True)
