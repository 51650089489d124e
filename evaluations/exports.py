"""The files of an evaluation study, declared once: its coded passages, its framework,
its sampling frame, and the framework matrix.

Excerpts, framework and sampling frame are `Export` declarations like the
lists' (kmtracker.lists.exports), so the data dictionary documents them and
their lists download them; the matrix has a pair of columns per theme, so its
header is the study's own and it is written straight through the one writer.
Participants are written by their codes: the link from a participant to a
contact is never exported, and contacts are pseudonyms for evaluators.
"""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from activities.models import Community, Organisation
from evaluations.models import Excerpt, Theme
from evaluations.qda import codebook
from evaluations.qda.tidy import CODEBOOK, PARTICIPANT_MATRIX, SOURCE_MATRIX  # noqa: F401
from kmtracker.lib import files
from kmtracker.lib.names import display_name
from kmtracker.lists.exports import (
    CODE,
    DATE,
    INTEGER,
    TEXT,
    Column,
    Export,
    attr,
    code_values,
)


def study_filename(study, name):
    """`study-<id>-<name>`: a study's files are named after it (its title may be personal)."""
    return f"study-{study.pk}-{name}"


@dataclass(frozen=True)
class Coding:
    """One row of the excerpts CSV: a passage coded to one theme (`theme` None: to none)."""

    excerpt: Excerpt
    theme: Theme | None
    code: str


def _codings(excerpt, access):
    """One Coding per theme of the passage, in framework order (one row without a theme
    for a passage left without one)."""
    codes = codebook.codes(excerpt.source.study.themes.all())
    order = {pk: position for position, pk in enumerate(codes)}
    themes = sorted(excerpt.themes.all(), key=lambda theme: order.get(theme.pk, 0))
    if not themes:
        return [Coding(excerpt, None, "")]
    return [Coding(excerpt, theme, codes.get(theme.pk, "")) for theme in themes]


def _excerpt(read):
    return lambda coding, access: read(coding.excerpt)


def _participant(attribute):
    return _excerpt(lambda e: getattr(e.participant, attribute) if e.participant else "")


def _theme_of(coding, access):
    theme = coding.theme
    if theme is None:
        return ""
    return theme.parent.name if theme.parent_id else theme.name


def _sub_theme_of(coding, access):
    theme = coding.theme
    return theme.name if theme is not None and theme.parent_id else ""


def _prepare_excerpts(queryset):
    themes = Theme.objects.select_related("parent")
    framework = Theme.objects.in_framework_order().select_related("parent")
    return (
        queryset.select_related("source__study", "participant", "coder")
        .prefetch_related(None)
        .prefetch_related(
            Prefetch("themes", queryset=themes),
            Prefetch("source__study__themes", queryset=framework),
        )
        .defer("source__text")
    )


EXCERPTS = Export(
    name="excerpts",
    title="Coded passages",
    description="One row per coding (a passage coded to one theme: a passage coded to two "
    "themes has two rows, with the same `excerpt_id`) of a study's excerpt list, with its "
    "filters; `theme_code` is the theme's code in codebook.csv.",
    columns=(
        Column("excerpt_id", _excerpt(lambda e: e.pk), INTEGER, "The passage's number."),
        Column("source_id", _excerpt(lambda e: e.source_id), INTEGER, "The source's number."),
        Column("source", _excerpt(lambda e: e.source.title), TEXT, "The source's title."),
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
        Column("theme_code", attr("code"), TEXT, "The code of the theme coded (codebook.csv)."),
        Column("theme", _theme_of, TEXT, "The top-level theme coded, or the sub-theme's theme."),
        Column("sub_theme", _sub_theme_of, TEXT, "The sub-theme coded; empty for a theme."),
        Column(
            "start",
            _excerpt(lambda e: e.start),
            INTEGER,
            "Where the passage starts in the source's text, in characters from 0.",
        ),
        Column(
            "end",
            _excerpt(lambda e: e.end),
            INTEGER,
            "Where it ends: the position after its last character.",
        ),
        Column("text", _excerpt(lambda e: e.text), TEXT, "The passage, as quoted from the source."),
        Column("memo", _excerpt(lambda e: e.memo), TEXT, "The coder's memo."),
        Column("coder", _excerpt(lambda e: display_name(e.coder)), TEXT, "Who coded it."),
        Column(
            "date",
            _excerpt(lambda e: timezone.localdate(e.created_at)),
            DATE,
            "When it was coded.",
        ),
    ),
    prepare=_prepare_excerpts,
    records=_codings,
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
