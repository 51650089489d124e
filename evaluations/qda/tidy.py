"""Tidy tables of a study for R, Stata or pandas: its codebook, and code-by-case matrices.

The codebook names each theme's plain code (`theme_code`, see `codebook`); the matrices
have a row per participant (or per source) and a column per theme headed by that code,
holding the number of coded passages, or 0/1 for presence. Counts are the framework
matrix's (evaluations/matrix.py): a top-level theme's column counts the passages coded to
it or to any of its sub-themes, each once. The excerpts CSV (evaluations/exports.py) has
one row per coding with the same codes.
"""

from dataclasses import dataclass

from activities.models import Community
from evaluations.matrix import PARTICIPANTS, SOURCES, UNATTRIBUTED, Matrix
from evaluations.models import Source, Theme
from evaluations.qda import codebook
from kmtracker.lib import files
from kmtracker.lists.exports import CODE, DATE, INTEGER, TEXT, Column, Export, attr, code_values

THEME_COLUMNS = "theme_code"
VALUES = ("counts", "presence")


def _entry(attribute):
    return lambda entry, access: getattr(entry.theme, attribute)


CODEBOOK = Export(
    name="codebook",
    title="Codebook",
    description="One row per theme of a study's framework, in framework order, with the "
    "plain code that heads its column in the code-by-case matrices and fills `theme_code` "
    "in excerpts.csv.",
    columns=(
        Column(
            "theme_code",
            attr("code"),
            TEXT,
            "The theme's code: its name in lower-case letters, digits and underscores; a "
            "sub-theme's is its theme's code, `__` and its own (`impact__policy_change`).",
        ),
        Column("parent_code", attr("parent_code"), TEXT, "The theme's code, on a sub-theme's row."),
        Column(
            "theme",
            lambda e, access: e.theme.parent.name if e.theme.parent_id else e.theme.name,
            TEXT,
            "The top-level theme's name.",
        ),
        Column(
            "sub_theme",
            lambda e, access: e.theme.name if e.theme.parent_id else "",
            TEXT,
            "The sub-theme's name; empty on a top-level theme's row.",
        ),
        Column(
            "level",
            lambda e, access: 2 if e.theme.parent_id else 1,
            INTEGER,
            "1 for a theme, 2 for a sub-theme.",
        ),
        Column("description", _entry("description"), TEXT, "What the theme covers."),
        Column(
            "colour",
            attr("colour"),
            TEXT,
            "The theme's colour in the REFI-QDA project, `#RRGGBB`.",
        ),
    ),
)

_THEME_COLUMN_MEANING = (
    "One column per theme of codebook.csv, in its order, headed by the theme's "
    "`theme_code`: the number of passages of the row coded to the theme (a top-level "
    "theme's column counts those coded to it or its sub-themes, each once), or, in the "
    "presence matrix (`values=presence`), 1 when there is at least one and 0 when none."
)


@dataclass
class CaseRow:
    """One row of a code-by-case matrix: its attributes and its values in codebook order."""

    key: int
    attributes: dict
    values: list


PARTICIPANT_MATRIX = Export(
    name="participant_matrix",
    title="Code-by-participant matrix",
    description="One row per participant of a study (and one for passages of no participant, "
    "with an empty `participant`), one column per theme.",
    columns=(
        Column(
            "participant",
            lambda row, access: row.attributes["participant"],
            TEXT,
            "The participant's code (P01, ...); empty on the row of passages of no participant.",
        ),
        Column(
            "community",
            lambda row, access: row.attributes["community"],
            CODE,
            "Their community.",
            code_values(Community),
        ),
        Column("role", lambda row, access: row.attributes["role"], TEXT, "Their role."),
        Column(THEME_COLUMNS, attr("values"), INTEGER, _THEME_COLUMN_MEANING),
    ),
)

SOURCE_MATRIX = Export(
    name="source_matrix",
    title="Code-by-source matrix",
    description="One row per source of a study that the reader may read, one column per theme.",
    columns=(
        Column("source_id", attr("key"), INTEGER, "The source's number in KM Tracker."),
        Column("source", lambda row, access: row.attributes["source"], TEXT, "Its title."),
        Column(
            "kind",
            lambda row, access: row.attributes["kind"],
            CODE,
            "Its kind.",
            code_values(Source.Kind),
        ),
        Column("date", lambda row, access: row.attributes["date"], DATE, "Its date."),
        Column(THEME_COLUMNS, attr("values"), INTEGER, _THEME_COLUMN_MEANING),
    ),
)


def study_codebook(study):
    """The codebook entries of `study`'s framework, in framework order."""
    themes = Theme.objects.filter(study=study).in_framework_order().select_related("parent")
    return codebook.entries(themes)


class CaseMatrix:
    """The code-by-case matrix of `study` by `rows` (PARTICIPANTS or SOURCES), of counts or
    of presence (`values`), as `user` may read it."""

    def __init__(self, study, user, rows=PARTICIPANTS, values="counts"):
        if values not in VALUES:
            raise ValueError(f"values must be one of {VALUES}")
        self.study, self.rows_by, self.values = study, rows, values
        self.export = PARTICIPANT_MATRIX if rows == PARTICIPANTS else SOURCE_MATRIX
        matrix = Matrix(study, user, rows)
        entries = codebook.entries([column.theme for column in matrix.columns])
        self.codes = [entry.code for entry in entries]
        self.rows = [self._row(row) for row in matrix.rows]

    def _row(self, row):
        counts = [cell.count for cell in row.cells]
        if self.values == "presence":
            counts = [1 if count else 0 for count in counts]
        if self.rows_by == SOURCES:
            source, kind, date = row.attributes
            attributes = {"source": source, "kind": kind, "date": date}
        elif row.key == UNATTRIBUTED:
            attributes = {"participant": "", "community": "", "role": ""}
        else:
            code, community, role = row.attributes
            attributes = {"participant": code, "community": community, "role": role}
        return CaseRow(row.key, attributes, counts)

    @property
    def header(self):
        header = []
        for column in self.export.columns:
            header += self.codes if column.heading == THEME_COLUMNS else [column.heading]
        return header

    def table(self, access):
        for row in self.rows:
            values = []
            for column in self.export.columns:
                value = column.value(row, access)
                values += value if column.heading == THEME_COLUMNS else [value]
            yield values

    def response(self, filename, access, export_format="csv"):
        if export_format == "xlsx":
            sheet = files.Sheet(self.export.title, self.header, self.table(access))
            response = files.xlsx_response(f"{filename}.xlsx", [sheet])
        else:
            response = files.csv_response(f"{filename}.csv", self.header, self.table(access))
        return self.export.tagged(response)
