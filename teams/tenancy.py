"""Which team a request is about and what the user may do in it.

Team data lives under `/teams/<slug>/`. Every team view resolves the slug
here: a team the user is not a member of answers 404 (so URLs do not reveal
which teams exist), and a role without the right answers 403. Rows are then
read through each model's `for_user()` queryset and narrowed to the team.
"""

from dataclasses import dataclass
from functools import cached_property, wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from teams.models import Membership, Team
from teams.querysets import TeamScopedQuerySet

if TYPE_CHECKING:
    from django.views import View as _ViewBase
else:
    _ViewBase = object

M = TypeVar("M", bound=Model)

READ, WRITE, LEAD = "read", "write", "lead"
# Evaluation studies: evaluators do everything, leads read, brokers have no access.
EVALUATE, READ_EVALUATIONS = "evaluate", "read_evaluations"


@dataclass
class TeamAccess:
    """A user's standing in one team: the team, their role and what follows from it."""

    team: Team
    user: Any  # a User, or the shell's stand-in (activities.scripting.ShellUser)
    role: str

    @property
    def is_lead(self) -> bool:
        return self.role == "lead"

    @property
    def is_evaluator(self) -> bool:
        return self.role == "evaluator"

    @property
    def can_write(self) -> bool:
        """Brokers and leads create records; evaluators only read."""
        return self.role in ("broker", "lead")

    @property
    def can_evaluate(self) -> bool:
        """Evaluators run the team's evaluation studies: sources, coding, matrix."""
        return self.is_evaluator

    @property
    def can_read_evaluations(self) -> bool:
        """Evaluators and leads read evaluation studies; brokers do not."""
        return self.role in ("evaluator", "lead")

    @property
    def sees_contact_names(self) -> bool:
        """Evaluators see contacts only as pseudonyms."""
        return not self.is_evaluator

    @property
    def role_label(self) -> str:
        return Membership.Role(self.role).label

    def allows(self, permission: str) -> bool:
        return {
            READ: True,
            WRITE: self.can_write,
            LEAD: self.is_lead,
            EVALUATE: self.can_evaluate,
            READ_EVALUATIONS: self.can_read_evaluations,
        }[permission]

    @cached_property
    def broker(self):
        """The user's broker profile in this team, if they broker."""
        profiles = getattr(self.user, "broker_profiles", None)  # none for the shell's user
        return profiles.filter(team=self.team).first() if profiles is not None else None

    def get(self, model: type[M], **lookup: Any) -> M:
        """One row of `model` in this team that the user may see, or 404."""
        return get_object_or_404(self.scoped(model), **lookup)

    def scoped(self, model: type[M]) -> QuerySet[M]:
        """All rows of `model` in this team that the user may see."""
        rows: TeamScopedQuerySet = model._default_manager.all()  # type: ignore[assignment]
        return rows.for_user(self.user).for_team(self.team)


def team_access(user: Any, slug: str) -> TeamAccess:
    """Resolve `slug` for `user`, or raise 404 when they are not a member (or left)."""
    if user.is_superuser:
        team = get_object_or_404(Team, slug=slug)
        membership = Membership.objects.filter(team=team, user=user, is_active=True).first()
        # Superusers administer every team and act as its lead unless they hold a role.
        return TeamAccess(team, user, membership.role if membership else "lead")
    membership = (
        Membership.objects.select_related("team")
        .filter(team__slug=slug, user=user, is_active=True)
        .first()
    )
    if membership is None:
        raise Http404("No such team.")
    return TeamAccess(membership.team, user, membership.role)


class TeamViewMixin(_ViewBase):
    """For class-based views under /teams/<team>/: sets `self.access` and checks the role."""

    permission = READ

    def dispatch(self, request, *args, **kwargs):
        self.access = team_access(request.user, kwargs["team"])
        request.team_access = self.access
        if not self.access.allows(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @property
    def team(self):
        return self.access.team


def team_view(permission=READ):
    """The same for function views: the view receives `access` instead of the slug."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, team, *args, **kwargs):
            access = team_access(request.user, team)
            request.team_access = access
            if not access.allows(permission):
                raise PermissionDenied
            return view(request, access, *args, **kwargs)

        return wrapper

    return decorator
