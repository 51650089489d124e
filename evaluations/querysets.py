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
from django.db.models.functions import Coalesce

from kmtracker.lib.queries import related_rows
from teams.querysets import TeamScopedQuerySet

EVALUATION_READERS = ("evaluator", "lead")


def _teams_where(user, roles):
    return user.memberships.filter(role__in=roles, is_active=True).values("team_id")


class QuarterlyReportQuerySet(TeamScopedQuerySet):
    """Reports of the teams `user` belongs to (every team for superusers)."""


class LogTagQuerySet(TeamScopedQuerySet):
    """A team's reflective-log tags; those offered for new entries are the active ones."""

    def active(self):
        return self.filter(is_active=True)


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
    """Rows of evaluation studies: seen by the team's evaluators and leads only.

    Rows that show a source's text (the source, its excerpts, its summaries) name the
    path to it in `source_lookup`: a source follows the strictest rule of what it came
    from, so one copied from a reflective entry (`evaluators_only`) is read by the
    team's evaluators and the entry's author alone, as the entry is; its lead never
    reads it, in any page, cell or file.
    """

    reader_roles = EVALUATION_READERS
    source_lookup: str | None = None

    def for_user(self, user):
        rows = super().for_user(user)
        if self.source_lookup is None or not user.is_authenticated:
            return rows
        return rows.filter(readable_sources(user, self.source_lookup))


def readable_sources(user, path=""):
    """Which sources (reached through `path`, e.g. `source__`) `user` may read."""
    if path == "":
        unrestricted = Q(evaluators_only=False)
    else:
        # A row without a source (a participant's summary) shows no source's text.
        unrestricted = Q(**{f"{path}isnull": True}) | Q(**{f"{path}evaluators_only": False})
    evaluators = Q(**{f"{path}study__team_id__in": _teams_where(user, ["evaluator"])})
    author = Q(**{f"{path}reflective_entry__author": user})
    return unrestricted | evaluators | author


class StudyQuerySet(EvaluationQuerySet):
    def with_counts(self, user):
        """Annotate the counts of sources (those `user` may read) and participants."""
        return self.annotate(
            source_count=models.Count(
                "sources", filter=readable_sources(user, "sources__"), distinct=True
            ),
            participant_count=models.Count("participants", distinct=True),
        )


class ParticipantQuerySet(EvaluationQuerySet):
    team_lookup = "study__team_id"


class SourceQuerySet(EvaluationQuerySet):
    team_lookup = "study__team_id"
    source_lookup = ""


class ThemeQuerySet(EvaluationQuerySet):
    team_lookup = "study__team_id"

    def in_framework_order(self):
        """Top-level themes in order, each followed by its sub-themes in order."""
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
    source_lookup = "source__"

    def with_related(self):
        """What the excerpt list and its CSV show of each excerpt, in a fixed number of queries."""
        themes = related_rows(self, "themes").select_related("parent")
        return self.select_related("source", "participant", "coder").prefetch_related(
            models.Prefetch("themes", queryset=themes)
        )


class CellSummaryQuerySet(EvaluationQuerySet):
    team_lookup = "study__team_id"
    source_lookup = "source__"


class SamplingQuerySet(EvaluationQuerySet):
    """Draws from the sampling frame and the people drawn: the study's (its pages are for
    the team's evaluators alone, who chose them)."""

    team_lookup = "study__team_id"
