"""Data checks: records saved before a rule existed that break it now.

A rule added to a form (and to an import) stops new records breaking it, but
records saved before it stay as they were. Each check here lists those old
records, so that someone can correct them; `manage.py check_data` prints them.
"""

from dataclasses import dataclass

from activities.models import Project


@dataclass(frozen=True)
class Problem:
    """One record that breaks a rule: where it is and what to do about it."""

    team: str
    record: str
    pk: int
    title: str
    rule: str


def decided_without_date(projects):
    """Those of `projects` funded, unsuccessful or withdrawn without their decision date (the
    form asks for it, since the report counts decisions by it)."""
    rows = (
        projects.decided_without_date()
        .select_related("team")
        .order_by("team__slug", "pk")
        .only("pk", "title", "status", "team__slug")
    )
    return [
        Problem(
            team=project.team.slug,
            record="project",
            pk=project.pk,
            title=project.title,
            rule=f"{project.get_status_display()} without its decision date",
        )
        for project in rows
    ]


CHECKS = (decided_without_date,)


def problems(team=None):
    """Every record of `team` (every team when None) that breaks a rule of the checks."""
    projects = Project.objects.all() if team is None else Project.objects.for_team(team)
    return [problem for check in CHECKS for problem in check(projects)]
