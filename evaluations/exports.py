"""The files of an evaluation study, declared once: its coded passages, its framework,
its sampling frame, and the framework matrix.

Excerpts, framework and sampling frame are `Export` declarations like the
lists' (kmtracker.lists.exports), so the data dictionary documents them and
their lists download them; the matrix has a pair of columns per theme, so its
header is the study's own and it is written straight through the one writer.
Participants are written by their codes: the link from a participant to a
contact is never exported, and contacts are pseudonyms for evaluators.
"""

from django.db.models import Prefetch
from django.utils import timezone

from activities.models import Community, Organisation
from evaluations.models import Theme
from kmtracker.lib import files
from kmtracker.lib.names import display_name
from kmtracker.lists.exports import (
    CODE,
    DATE,
    INTEGER,
    TEXT,
    TEXT_LIST,
    Column,
    Export,
    attr,
    code_values,
)


def study_filename(study, name):
    """`study-<id>-<name>`: a study's files are named after it (its title may be personal)."""
    return f"study-{study.pk}-{name}"


def _themes(excerpt):
    """Top-level themes, then sub-themes, of an excerpt: each list joined with "; "."""
    themes = sorted(excerpt.themes.all(), key=lambda t: (t.label.lower(), t.pk))
    tops = []
    for theme in themes:
        name = theme.parent.name if theme.parent_id else theme.name
        if name not in tops:
            tops.append(name)
    subs = [theme.name for theme in themes if theme.parent_id]
    return "; ".join(tops), "; ".join(subs)


def _participant(attribute):
    return lambda e, access: getattr(e.participant, attribute) if e.participant else ""


def _prepare_excerpts(queryset):
    themes = Theme.objects.select_related("parent")
    return (
        queryset.select_related("source", "participant", "coder")
        .prefetch_related(None)
        .prefetch_related(Prefetch("themes", queryset=themes))
        .defer("source__text")
    )


EXCERPTS = Export(
    name="excerpts",
    title="Coded passages",
    description="One row per coded passage of a study's excerpt list, with its filters.",
    columns=(
        Column("source", lambda e, access: e.source.title, TEXT, "The source's title."),
        Column(
            "participant",
            _participant("code"),
            TEXT,
            "The code of the participant whose words these are (P01, ...); empty when none.",
        ),
        Column(
            "community",
            _participant("community"),
            CODE,
            "That participant's community.",
            code_values(Community),
        ),
        Column("theme", lambda e, access: _themes(e)[0], TEXT_LIST, "The top-level themes coded."),
        Column("sub_theme", lambda e, access: _themes(e)[1], TEXT_LIST, "The sub-themes coded."),
        Column("text", attr("text"), TEXT, "The passage, as quoted from the source."),
        Column("memo", attr("memo"), TEXT, "The coder's memo."),
        Column("coder", lambda e, access: display_name(e.coder), TEXT, "Who coded it."),
        Column(
            "date", lambda e, access: timezone.localdate(e.created_at), DATE, "When it was coded."
        ),
    ),
    prepare=_prepare_excerpts,
)


def _theme_name(theme, access):
    return theme.parent.name if theme.parent_id else theme.name


def _sub_theme_name(theme, access):
    return theme.name if theme.parent_id else ""


FRAMEWORK = Export(
    name="framework",
    title="Framework",
    description="One row per theme of a study's framework, in framework order; the "
    "framework import reads the same columns.",
    columns=(
        Column("theme", _theme_name, TEXT, "The top-level theme."),
        Column(
            "sub_theme", _sub_theme_name, TEXT, "The sub-theme; empty on a top-level theme's row."
        ),
        Column("description", attr("description"), TEXT, "What the theme covers."),
    ),
    prepare=lambda queryset: queryset.select_related("parent"),
)


def _organisation(attribute):
    return lambda c, access: getattr(c.organisation, attribute) if c.organisation else ""


SAMPLING_FRAME = Export(
    name="sampling_frame",
    title="Sampling frame",
    description="One row per contact with at least one activity in the sampling frame's "
    "period, by community, the most engaged first: pseudonyms for evaluators.",
    columns=(
        Column(
            "contact",
            lambda c, access: c.label_for(access),
            TEXT,
            "The contact: name for leads, pseudonym for evaluators.",
        ),
        Column("community", attr("community"), CODE, "Their community.", code_values(Community)),
        Column("organisation", _organisation("name"), TEXT, "Their organisation, by name."),
        Column(
            "organisation_kind",
            _organisation("kind"),
            CODE,
            "The kind of that organisation.",
            code_values(Organisation.Kind),
        ),
        Column("activities", attr("period_activities"), INTEGER, "Their activities in the period."),
        Column("last_contact", attr("last_contact"), DATE, "Their latest activity's date."),
    ),
)


def matrix_download(matrix, export_format):
    """The framework matrix as CSV or XLSX: the same rows as the page."""
    filename = study_filename(matrix.study, f"matrix-{matrix.rows_by}")
    if export_format == "xlsx":
        sheet = files.Sheet("Framework matrix", matrix.header, matrix.table())
        return files.xlsx_response(f"{filename}.xlsx", [sheet])
    return files.csv_response(f"{filename}.csv", matrix.header, matrix.table())
