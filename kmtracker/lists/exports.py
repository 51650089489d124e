"""Declaring an exported table once, and downloading it in the list's own order.

An `Export` names a file, its columns (each a `Column`: heading, how to read
the value from a record, type and meaning) and how it reads its rows. Every
export is registered by name when declared; the data dictionary (README and
the in-app page) is generated from the registry, and the suite checks every
registered export's files for escaped formulas. A list view names its exports
(`TeamListView.exports`); `chosen()` reads which one a query string asks for
and `download()` writes it through the one writer, `kmtracker.lib.files`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from kmtracker.lib import copy_csv, files, prefetching
from kmtracker.lib.progress import Progress

if TYPE_CHECKING:
    from teams.models import Team
    from teams.tenancy import TeamAccess

# Rows fetched per query; the prefetches run once per chunk, so the number of
# queries grows with the number of chunks, never with the number of rows.
CHUNK_SIZE = 2000
SEPARATOR = "; "
FORMATS = ("csv", "xlsx")

# Column types, as the data dictionary explains them.
INTEGER = "integer"
DECIMAL = "decimal"
DATE = "date"
DATETIME = "datetime"
BOOLEAN = "boolean"
TEXT = "text"
TEXT_LIST = "text list"
CODE = "code"
CODE_LIST = "code list"

TYPES = {
    INTEGER: "A whole number; empty when not recorded.",
    DECIMAL: "A number with a decimal point (`1250.00`); amounts are in pounds (GBP).",
    DATE: "A date in ISO 8601 form, `YYYY-MM-DD`; empty when not recorded.",
    DATETIME: "A date and time in ISO 8601 form, to the second, in the installation's time "
    "zone (UK time by default) with its offset from UTC: `YYYY-MM-DDTHH:MM:SS+01:00`.",
    BOOLEAN: "`true` or `false`.",
    TEXT: "Free text, possibly over several lines.",
    TEXT_LIST: "Several texts joined by `; ` (semicolon and space); empty when none.",
    CODE: "One of the stable codes listed; reports and imports depend on them.",
    CODE_LIST: "Several of the codes listed, joined by `; `; empty when none.",
}

# Every export declared, by name, in the order of declaration.
REGISTRY: dict[str, Export] = {}

ValueOf = Callable[[Any, "TeamAccess | None"], Any]


@dataclass(frozen=True)
class Column:
    """One column: its heading, how to get its value, its type and what it means.

    `value(record, access)` gets the cell from one record; `codes` lists the
    values a code column may hold; `personal` columns are left empty for
    viewers who see contacts as pseudonyms. A free-text column names `redact(access,
    text)`, which gives those viewers the text with the names in it replaced.
    """

    heading: str
    value: ValueOf
    type: str
    meaning: str
    codes: tuple[str, ...] = ()
    personal: bool = False
    redact: Callable[[TeamAccess | None, Any], Any] | None = None

    def reader(self, hidden: bool) -> ValueOf:
        """How this column's cell is read for a viewer who sees names (`hidden` False) or not."""
        if not hidden:
            return self.value
        if self.personal:
            return _empty
        redact, value = self.redact, self.value
        if redact is None:
            return value
        return lambda record, access: redact(access, value(record, access))


def _empty(record: Any, access: TeamAccess | None) -> str:
    return ""


def _unchanged(queryset: QuerySet) -> QuerySet:
    return queryset


def _itself(obj: Any, access: TeamAccess | None) -> Iterable[Any]:
    return (obj,)


@dataclass(frozen=True)
class Export:
    """One exported table: its file name, columns, and how it reads its rows.

    `prepare(queryset)` adds what the columns read (joins, prefetches,
    annotations) to the queryset the list's FilterSet returns; `records(obj,
    access)` gives the records one row is written for (one per object, or one per
    activity–contact link). `cells(queryset)`, when given, computes the same cells in
    SQL, for PostgreSQL to write the CSV itself (kmtracker.lib.copy_csv).
    `filename_of(owner)` names the file after what it belongs to (a team, by
    default `<team>-<name>-<date>`). `pseudonymised_rows(queryset, access)`, when
    given, computes the rows of viewers who see pseudonyms from cells computed in
    SQL, pseudonymised and redacted in Python, the same rows as `rows()` gives them.
    """

    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    prepare: Callable[[QuerySet], QuerySet] = _unchanged
    records: Callable[[Any, TeamAccess | None], Iterable[Any]] = _itself
    cells: Callable[[QuerySet], QuerySet] | None = None
    pseudonymised_rows: Callable[[QuerySet, TeamAccess], Iterable[list[Any]]] | None = None

    def __post_init__(self) -> None:
        if self.name in REGISTRY:
            raise ValueError(f"Two exports are called {self.name!r}.")
        REGISTRY[self.name] = self

    @property
    def header(self) -> list[str]:
        return [column.heading for column in self.columns]

    def filename(self, team: Team, extension: str) -> str:
        return f"{team.slug}-{self.name}-{timezone.localdate().isoformat()}.{extension}"

    def rows(
        self,
        objects: QuerySet | Iterable[Any],
        access: TeamAccess | None,
        chunk_size: int | None = None,
        progress: Progress | None = None,
    ) -> Iterator[list[Any]]:
        """One list of values per record of `objects`, a queryset fetched chunk by chunk."""
        hidden = access is not None and not access.sees_contact_names
        if isinstance(objects, QuerySet):
            objects = prefetching.chunked(self.prepare(objects), chunk_size or CHUNK_SIZE)
        if progress is not None:
            objects = progress.wrap(objects)
        readers = [column.reader(hidden) for column in self.columns]
        for obj in objects:
            for record in self.records(obj, access):
                yield [read(record, access) for read in readers]

    def response(
        self,
        filename: str,
        objects: QuerySet | Iterable[Any],
        access: TeamAccess | None,
        export_format: str = "csv",
        bom: bool = False,
    ) -> HttpResponse:
        """The rows of `objects` as a download named `filename` (without its extension)."""
        rows = self.rows(objects, access)
        if export_format == "xlsx":
            sheet = files.Sheet(self.name, self.header, rows)
            response = files.xlsx_response(f"{filename}.xlsx", [sheet])
        else:
            response = files.csv_response(f"{filename}.csv", self.header, rows, bom)
        return self.tagged(response)

    def tagged(self, response: HttpResponse) -> HttpResponse:
        """Say which export a download is, for the suite (tests/test_file_formulas.py)."""
        response.export_name = self.name  # type: ignore[attr-defined]
        return response


def all_exports() -> list[Export]:
    """Every export of every app (each app's `exports` module declares its own)."""
    autodiscover_modules("exports")
    return list(REGISTRY.values())


# How values are read.


def attr(name: str) -> ValueOf:
    return lambda obj, access: getattr(obj, name)


def joined(values: Iterable[Any]) -> str:
    return SEPARATOR.join(str(value) for value in values if value not in (None, ""))


def stamp(moment):
    """A datetime in the installation's time zone (UK time by default), to the second."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def code_values(choices) -> tuple[str, ...]:
    return tuple(choices.values)


# Choosing and downloading.


def wants_export(query: Mapping[str, str]) -> bool:
    return "export" in query


def chosen(query: Mapping[str, str], exports: Sequence[Export]) -> tuple[Export, str, bool]:
    """(Export, format, bom) that a list's query string asks for, among the list's
    `exports` (its own first; others by `&table=`); ValueError saying what is wrong."""
    export_format = query.get("export", "")
    if export_format not in FORMATS:
        raise ValueError(f"Unknown export format {export_format!r}: use csv or xlsx.")
    by_name = {export.name: export for export in exports}
    table = query.get("table") or exports[0].name
    if table not in by_name:
        raise ValueError(f"Unknown table {table!r}: this list exports {', '.join(by_name)}.")
    bom = query.get("bom", "") in ("1", "true", "yes", "on")
    return by_name[table], export_format, bom


def download(
    export: Export,
    queryset: QuerySet,
    access: TeamAccess,
    export_format: str = "csv",
    bom: bool = False,
    filename: str | None = None,
) -> HttpResponse:
    """The rows of `queryset` as a CSV (streamed) or XLSX download, named `filename` (without
    its extension) or, by default, after the team.

    On PostgreSQL, PostgreSQL writes the CSV (several times faster) when the export
    can compute its cells in SQL; contacts' pseudonyms are computed in Python only,
    from cells PostgreSQL computes (`pseudonymised_rows`).
    """
    if filename is None:
        filename = export.filename(access.team, export_format).rsplit(".", 1)[0]
    cells = export.cells
    if export_format == "csv" and cells is not None and writes_in_sql(export, queryset, access):
        rows = cells(queryset)
        return export.tagged(copy_csv.copy_response(f"{filename}.csv", export.header, rows, bom))
    pseudonymised = export.pseudonymised_rows
    if (
        export_format == "csv"
        and pseudonymised is not None
        and not access.sees_contact_names
        and copy_csv.supports_copy(queryset)
    ):
        pseudonymised_rows = pseudonymised(queryset, access)
        response = files.csv_response(f"{filename}.csv", export.header, pseudonymised_rows, bom)
        return export.tagged(response)
    return export.response(filename, queryset, access, export_format, bom)


def writes_in_sql(export: Export, queryset: QuerySet, access: TeamAccess) -> bool:
    """Whether the database can write this CSV itself (see kmtracker.lib.copy_csv)."""
    return (
        export.cells is not None and access.sees_contact_names and copy_csv.supports_copy(queryset)
    )
