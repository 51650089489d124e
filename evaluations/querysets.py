"""Query vocabulary of the reflective log and the evaluation studies.

As in `activities.querysets`, `for_user()` is the one place that decides which
rows a user may see. Here it decides by role as well as by team:

- a reflective log entry is seen by its author, and by the team's evaluators
  once the author shares it; nobody else, not leads, not superusers;
- evaluation studies and everything in them are seen by the team's
  evaluators and leads (superusers: every team), never by brokers.
"""

from django.db import models
from django.db.models import Q

from activities.querysets import TeamScopedQuerySet

EVALUATION_READERS = ("evaluator", "lead")


def _teams_where(user, roles):
    from activities.models import Membership

    return Membership.objects.filter(user=user, role__in=roles).values("team_id")


class ReflectiveEntryQuerySet(TeamScopedQuerySet):
    def for_user(self, user):
        """The user's own entries in their teams, and the shared entries of teams they evaluate.

        No exception for superusers: a private entry is its author's alone.
        """
        if not user.is_authenticated:
            return self.none()
        own = Q(author=user)
        if not user.is_superuser:
            own &= Q(team_id__in=_teams_where(user, ["broker", "lead", "evaluator"]))
        shared = Q(shared=True, team_id__in=_teams_where(user, ["evaluator"]))
        return self.filter(own | shared)

    def with_related(self):
        return self.select_related("author").prefetch_related("tags")

    def shared(self):
        return self.filter(shared=True)


class EvaluationQuerySet(TeamScopedQuerySet):
    """Rows of evaluation studies: seen by the team's evaluators and leads only."""

    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(**{f"{self.team_lookup}__in": _teams_where(user, EVALUATION_READERS)})


class StudyQuerySet(EvaluationQuerySet):
    def with_counts(self):
        return self.annotate(
            source_count=models.Count("sources", distinct=True),
            participant_count=models.Count("participants", distinct=True),
        )


class ParticipantQuerySet(EvaluationQuerySet):
    team_lookup = "study__team_id"


class SourceQuerySet(EvaluationQuerySet):
    team_lookup = "study__team_id"


class ThemeQuerySet(EvaluationQuerySet):
    team_lookup = "study__team_id"

    def in_framework_order(self):
        """Top-level themes in order, each followed by its sub-themes in order."""
        from django.db.models.functions import Coalesce

        return self.annotate(
            group_position=Coalesce("parent__position", "position"),
            group_id=Coalesce("parent_id", "id"),
            level=models.Case(
                models.When(parent__isnull=True, then=models.Value(0)),
                default=models.Value(1),
            ),
        ).order_by("group_position", "group_id", "level", "position", "pk")


class ExcerptQuerySet(EvaluationQuerySet):
    team_lookup = "source__study__team_id"

    def with_related(self):
        """What the excerpt list and its CSV show of each excerpt, in a fixed number of queries."""
        return self.select_related("source", "participant", "coder").prefetch_related(
            models.Prefetch("themes", queryset=_themes_with_parent())
        )


class CellSummaryQuerySet(EvaluationQuerySet):
    team_lookup = "study__team_id"


def _themes_with_parent():
    from evaluations.models import Theme

    return Theme.objects.select_related("parent")
