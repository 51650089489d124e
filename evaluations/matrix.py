"""The framework matrix: participants (or sources) as rows, themes as columns.

Each cell holds the excerpts of its row coded to its theme, counted, and the
evaluator's summary. A top-level theme's column gathers the excerpts coded to
the theme or any of its sub-themes (each excerpt once); a sub-theme's column
its own. The matrix is computed once, in a fixed number of queries, and the
page, the CSV and the XLSX show the same rows.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse

from evaluations.models import CellSummary, Excerpt, Participant, Source, Theme
from evaluations.qda import codebook

PARTICIPANTS, SOURCES = "participants", "sources"
ROW_KINDS = (PARTICIPANTS, SOURCES)
# The row of excerpts that no participant was named for (participants matrix only).
UNATTRIBUTED = 0


@dataclass
class Column:
    theme: Theme
    heading: str
    is_group: bool
    # The theme's plain code (evaluations.qda.codebook): the files' column names, which R,
    # Stata and pandas take as they are.
    code: str


@dataclass
class Cell:
    column: Column
    count: int
    summary: str
    url: str


@dataclass
class Row:
    key: int
    label: str
    attributes: list
    cells: list = field(default_factory=list)


class Matrix:
    """The framework matrix of `study` by `rows` (PARTICIPANTS or SOURCES), as `user` may
    read it: sources, excerpts and summaries come through `for_user()`."""

    def __init__(self, study, user, rows=PARTICIPANTS, participants=None):
        """`participants` (a queryset of the study's participants), when given, narrows the
        matrix to their passages: their rows, or the sources they speak in."""
        if rows not in ROW_KINDS:
            raise ValueError(f"rows must be one of {ROW_KINDS}")
        self.study = study
        self.user = user
        self.rows_by = rows
        self.participants = participants
        themes = list(
            Theme.objects.filter(study=study).in_framework_order().select_related("parent")
        )
        self.columns = [
            Column(entry.theme, entry.theme.label, entry.theme.parent_id is None, entry.code)
            for entry in codebook.entries(themes)
        ]
        self.groups = _groups(themes)
        self.rows = self._rows()

    @property
    def column_groups(self):
        """(top-level theme's column, [its column and its sub-themes' columns]) in order."""
        groups = []
        for column in self.columns:
            if column.is_group:
                groups.append((column, [column]))
            elif groups:
                groups[-1][1].append(column)
        return groups

    @property
    def header(self):
        first = (
            ["participant", "community", "role"]
            if self.rows_by == PARTICIPANTS
            else ["source", "kind", "date"]
        )
        cells = []
        for column in self.columns:
            cells += [f"{column.code}_excerpts", f"{column.code}_summary"]
        return first + cells

    def table(self):
        """The rows of the CSV and XLSX: a row's attributes, then each cell's count and summary."""
        for row in self.rows:
            values = list(row.attributes)
            for cell in row.cells:
                values += [cell.count, cell.summary]
            yield values

    def _rows(self):
        study, by_participant = self.study, self.rows_by == PARTICIPANTS
        key = "excerpt__participant_id" if by_participant else "excerpt__source_id"
        excerpts = Excerpt.objects.for_user(self.user).filter(source__study=study)
        if self.participants is not None:
            excerpts = excerpts.filter(participant__in=self.participants)
        codings = Excerpt.themes.through.objects.filter(excerpt__in=excerpts).values_list(
            key, "theme_id", "excerpt_id"
        )
        coded = {}  # (row key, theme id) -> excerpt ids
        for row_key, theme_id, excerpt_id in codings:
            coded.setdefault((row_key or UNATTRIBUTED, theme_id), set()).add(excerpt_id)
        summaries = {
            (summary.participant_id if by_participant else summary.source_id, summary.theme_id): (
                summary.text
            )
            for summary in CellSummary.objects.for_user(self.user)
            .filter(study=study)
            .filter(Q(participant__isnull=False) if by_participant else Q(source__isnull=False))
        }
        if by_participant:
            rows = [
                Row(p.pk, p.code, [p.code, p.community, p.role])
                for p in (
                    self.participants
                    if self.participants is not None
                    else Participant.objects.filter(study=study)
                ).order_by("code")
            ]
            if any(row_key == UNATTRIBUTED for row_key, _ in coded):
                rows.append(Row(UNATTRIBUTED, "No participant", ["(no participant)", "", ""]))
        else:
            rows = [
                Row(s.pk, s.title, [s.title, s.kind, s.date])
                for s in Source.objects.for_user(self.user)
                .filter(study=study)
                .filter(self._sources_spoken_in())
                .only("title", "kind", "date")
            ]
        url = reverse(
            "evaluations:matrix_cell",
            kwargs={
                "team": study.team.slug,
                "study": study.pk,
                "rows": self.rows_by,
                "row": 999_999_001,
                "theme": 999_999_002,
            },
        )
        for row in rows:
            for column in self.columns:
                theme_ids = self.groups.get(column.theme.pk, [column.theme.pk])
                excerpts = set().union(*(coded.get((row.key, pk), ()) for pk in theme_ids))
                cell_url = url.replace("999999001", str(row.key)).replace(
                    "999999002", str(column.theme.pk)
                )
                summary = summaries.get((row.key, column.theme.pk), "")
                row.cells.append(Cell(column, len(excerpts), summary, cell_url))
        return rows

    def _sources_spoken_in(self):
        """Every source, or those where one of the chosen participants speaks."""
        if self.participants is None:
            return Q()
        return Q(pk__in=Source.objects.filter(participants__in=self.participants).values("pk"))


def _groups(themes):
    """{top-level theme id: [its id and its sub-themes' ids]}."""
    groups = {theme.pk: [theme.pk] for theme in themes if theme.parent_id is None}
    for theme in themes:
        if theme.parent_id is not None and theme.parent_id in groups:
            groups[theme.parent_id].append(theme.pk)
    return groups


def theme_and_children(theme):
    """The ids a cell of `theme` gathers: the theme and, for a top-level one, its sub-themes."""
    if theme.parent_id is not None:
        return [theme.pk]
    return [theme.pk, *theme.children.values_list("pk", flat=True)]


def cell_excerpts(study, user, rows, row_key, theme):
    """The excerpts of one cell that `user` may read, for its page."""
    excerpts = (
        Excerpt.objects.for_user(user)
        .filter(source__study=study, themes__in=theme_and_children(theme))
        .distinct()
    )
    if rows == PARTICIPANTS:
        if row_key == UNATTRIBUTED:
            return excerpts.filter(participant__isnull=True)
        return excerpts.filter(participant_id=row_key)
    return excerpts.filter(source_id=row_key)
