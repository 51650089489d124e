"""Data checks: records saved before a rule existed that break it now.

A rule added to a form (and to an import) stops new records breaking it, but
records saved before it stay as they were. Each check here lists those old
records, so that someone can correct them; `manage.py check_data` prints them.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import F, Q

from activities.models import Project
from kmtracker.lib.date_fields import ModelDateField
from kmtracker.lib.dates import EARLIEST, LATEST
from teams.querysets import TeamScopedQuerySet


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


def dated_models():
    """(model, its dates) of every model of the installation with a date the forms bound
    to the accepted range (`ModelDateField`): found from the models, so that a date added
    to any app is checked without being named here."""
    for model in apps.get_models():
        fields = [field for field in model._meta.fields if isinstance(field, ModelDateField)]
        if fields and isinstance(model._default_manager.all(), TeamScopedQuerySet):
            yield model, fields


def dates_out_of_range(team=None):
    """Records of `team` (every team when None) with a date before EARLIEST or after
    LATEST, saved before the range was enforced (an import or a form of an older version):
    periods, quarters and charts built from such a date cannot be computed."""
    found = []
    for model, fields in dated_models():
        rows = model._default_manager.all()
        if team is not None:
            rows = rows.for_team(team)
        outside = Q()
        for field in fields:
            outside |= Q(**{f"{field.name}__lt": EARLIEST}) | Q(**{f"{field.name}__gt": LATEST})
        slug = F(rows.team_lookup.removesuffix("_id") + "__slug")
        for record in rows.filter(outside).annotate(team_slug=slug).order_by("pk"):
            for field in fields:
                day = getattr(record, field.name)
                if day is not None and not EARLIEST <= day <= LATEST:
                    found.append(
                        Problem(
                            team=record.team_slug,
                            record=model._meta.verbose_name,
                            pk=record.pk,
                            title=getattr(record, "title", "") or str(record),
                            rule=(
                                f"{field.verbose_name.capitalize()} {day.isoformat()} outside "
                                f"{EARLIEST.year}–{LATEST.year}"
                            ),
                        )
                    )
    return sorted(found, key=lambda problem: (problem.team, problem.record, problem.pk))


def problems(team=None):
    """Every record of `team` (every team when None) that breaks a rule of the checks."""
    projects = Project.objects.all() if team is None else Project.objects.for_team(team)
    return decided_without_date(projects) + dates_out_of_range(team)
