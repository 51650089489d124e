"""CSV exports written by PostgreSQL itself (`COPY ... TO STDOUT`), for large tables.

The Python path (`kmtracker.lib.files.csv_response`) turns every value into text
one at a time; PostgreSQL's COPY does the same work in C, several times faster.
The expressions below compute in SQL the very text the Python path writes, so
that both give the same bytes for the same rows:

- `Neutralised(text)`: the formula-injection escaping of `files.neutralise()`
  (a leading apostrophe before text a spreadsheet would run), by one anchored
  regular expression built from the same characters;
- `CellText(text)`: empty text as an empty cell (COPY would quote it);
- `DateText`, `StampText`, `IntegerText`: ISO dates, datetimes to the second in
  the installation's time zone with their UTC offset, plain numbers;
- `PersonName(prefix)`: a user's full name, else username (`get_full_name()`).

Multi-valued cells (an activity's contacts, topics, ...) are `Joined`: each reads
one LEFT JOIN of its link table aggregated once, grouped by the exported row, over
the exported rows' ids, which the statement selects once (`Cells`: a CTE
`WITH export_rows AS MATERIALIZED (...)` of the list's own queryset). A subquery per
row and per column does the same work row by row, several times slower on a large
selection (bench/reference.py measures both).

`copy_response()` streams the rows in pieces of about 64 KB as PostgreSQL sends
them, and `copied_rows()` hands them to Python as tuples of text, so memory stays
flat however many rows there are. Only the SELECT is written here: the queryset it
runs is the list's own, scoped and filtered by the ORM.
"""

import itertools
import sys
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.aggregates import StringAgg
from django.db import connections
from django.db.models import CharField, Expression, F, Func, Q, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, Concat, NullIf
from django.db.models.sql.constants import LOUTER
from django.http import StreamingHttpResponse

from kmtracker.lib import files

# Python's str.strip() strips these (get_full_name() strips its result).
_WHITESPACE = "".join(chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace())


def _formula_pattern():
    """`exports.would_run()` as one regular expression (PostgreSQL's ARE syntax).

    would_run() accepts any number of leading apostrophes (an already escaped
    value gets one more), then skippable spaces, then a formula start.
    """
    # None of these characters is special in a bracket expression; the hyphen goes last.
    skipped = files._SKIPPED_BEFORE_FORMULA
    starts = "".join(char for char in files.FORMULA_STARTS if char != "-") + "-"
    return f"^('*[{skipped}]*[{starts}])"


FORMULA_PATTERN = _formula_pattern()


class Neutralised(Func):
    """`text`, with an apostrophe in front when a spreadsheet would run it."""

    function = "regexp_replace"
    output_field = TextField()

    def __init__(self, expression):
        super().__init__(expression, Value(FORMULA_PATTERN), Value("'\\1"))


def CellText(expression):  # noqa: N802 (an expression, read like a function)
    """Text as a CSV cell: escaped, and NULL when empty (COPY writes NULL as nothing)."""
    return NullIf(Neutralised(expression), Value(""), output_field=TextField())


class DateText(Func):
    function = "to_char"
    output_field = CharField()

    def __init__(self, expression):
        super().__init__(expression, Value("YYYY-MM-DD"))


class IntegerText(Func):
    template = "(%(expressions)s)::text"
    output_field = CharField()


class StampText(Func):
    """A datetime in the installation's time zone, to the second, with its UTC offset:
    what `timezone.localtime(moment).isoformat(timespec="seconds")` gives."""

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra_context):  # type: ignore[override]
        moment, moment_params = compiler.compile(self.source_expressions[0])
        local = f"(({moment}) AT TIME ZONE %s)"
        offset = f"({local} - (({moment}) AT TIME ZONE 'UTC'))"
        sql = (
            f"(to_char({local}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || "
            f"CASE WHEN {offset} < INTERVAL '0' THEN '-' ELSE '+' END || "
            f"to_char(greatest({offset}, -{offset}), 'HH24:MI'))"
        )
        zone = settings.TIME_ZONE
        params = (
            # local, then the two locals and the moment of each offset
            *moment_params,
            zone,
            *(value for _ in range(3) for value in (*moment_params, zone, *moment_params)),
        )
        return sql, params


def PersonName(prefix):  # noqa: N802
    """A user's full name (first and last, stripped), else their username."""
    full = Concat(
        F(f"{prefix}first_name"), Value(" "), F(f"{prefix}last_name"), output_field=TextField()
    )
    stripped = Func(full, Value(_WHITESPACE), function="btrim", output_field=TextField())
    name = NullIf(stripped, Value(""), output_field=TextField())
    return Coalesce(name, F(f"{prefix}username"), output_field=TextField())


# The statement's CTE of the exported rows' ids, and its one column.
SELECTION = "export_rows"
SELECTED_ID = "export_id"
JOINED_PREFIX = "export_joined_"
SEPARATOR = "; "


class Joined(Expression):
    """A multi-valued cell: `value` of the rows of `links` that point at the exported row
    through the foreign key `link`, joined by `; ` in `order_by` order, empty texts
    left out (`texts` False: `value` is no text, a number) and NULL when there are none.

    In a query it reads a column of one LEFT JOIN of `links` aggregated once, grouped
    by `link`, over the exported rows (`Cells` selects them once): a hash join where a
    subquery per row would run once for every row. Cells of the same `links` (an
    activity's contacts and their communities) share that join.
    """

    output_field = TextField()

    def __init__(self, links, value, order_by, link="activity", texts=True):
        super().__init__(output_field=TextField())
        self.links, self.value, self.order_by, self.link = links, value, tuple(order_by), link
        self.texts = texts

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        joins = [j for j in query.alias_map.values() if isinstance(j, _AggregatedJoin)]
        join = next((j for j in joins if j.links is self.links and j.link == self.link), None)
        if join is None:
            join = _AggregatedJoin(
                f"{JOINED_PREFIX}{len(joins)}", query.get_initial_alias(), self.links, self.link
            )
            query.alias_map[join.table_alias] = join
            query.alias_refcount[join.table_alias] = 1
        column = join.add(self.value, self.order_by, self.texts)
        return RawSQL(f'"{join.table_alias}"."{column}"', (), output_field=TextField())


class _AggregatedJoin:
    """`LEFT OUTER JOIN (links aggregated by row) alias ON alias.export_row = parent.id`:
    the join of `Joined` cells, as the compiler reads a FROM clause."""

    join_type = LOUTER
    nullable = True
    filtered_relation = None

    def __init__(self, alias, parent_alias, links, link, values=None):
        self.table_name = self.table_alias = alias
        self.parent_alias = parent_alias
        self.links, self.link = links, link
        self.values = values if values is not None else {}

    def add(self, value, order_by, texts):
        """The column of the aggregated join that holds `value` joined in `order_by` order."""
        column = f"joined_{len(self.values)}"
        self.values[column] = (value, order_by, texts)
        return column

    def aggregated(self):
        """The links of the exported rows, one row per exported row that has any."""
        selected = RawSQL(f"SELECT {SELECTED_ID} FROM {SELECTION}", ())
        aggregates = {
            column: StringAgg(
                value if texts else Cast(value, TextField()),
                SEPARATOR,
                order_by=order_by,
                filter=~Q(**{value.name: ""}) if texts else None,
            )
            for column, (value, order_by, texts) in self.values.items()
        }
        return (
            self.links.filter(**{f"{self.link}__in": selected})
            .order_by()
            .values(export_row=F(self.link))
            .annotate(**aggregates)
            .values("export_row", *aggregates)
        )

    def as_sql(self, compiler, connection):
        sql, params = self.aggregated().query.get_compiler(connection=connection).as_sql()
        parent_pk = compiler.query.get_meta().pk.column
        quote = compiler.quote_name_unless_alias
        on = f'"{self.table_alias}"."export_row" = {quote(self.parent_alias)}.{quote(parent_pk)}'
        return f'LEFT OUTER JOIN ({sql}) "{self.table_alias}" ON ({on})', params

    def relabeled_clone(self, change_map):
        parent = change_map.get(self.parent_alias, self.parent_alias)
        return type(self)(self.table_alias, parent, self.links, self.link, self.values)

    def demote(self):
        return self

    def promote(self):
        return self


@dataclass(frozen=True)
class Cells:
    """The SELECT of an export's cell texts: `queryset` (the list's, annotated with the
    cells), whose `Joined` cells read the rows of `selection` (the same list's ids),
    selected once for the whole statement."""

    queryset: QuerySet
    selection: QuerySet

    @property
    def db(self):
        return self.queryset.db

    def sql_with_params(self):
        sql, params = self.queryset.query.get_compiler(self.db).as_sql()
        if not any(alias.startswith(JOINED_PREFIX) for alias in self.queryset.query.alias_map):
            return sql, tuple(params)
        chosen, chosen_params = self.selection.query.get_compiler(self.db).as_sql()
        # MATERIALIZED: the list's filters run once, not once per link table.
        cte = f"WITH {SELECTION} AS MATERIALIZED ({chosen})"
        return f"{cte} {sql}", (*chosen_params, *params)


def cells_of(queryset, expressions):
    """`queryset` (the list's, scoped, filtered and sorted) as `Cells`: one text per
    expression of `expressions` (by heading, in the file's order) and per row."""
    aliases = {f"cell_{name}": expression for name, expression in expressions.items()}
    selection = queryset.select_related(None).prefetch_related(None).order_by()
    cells = (
        queryset.select_related(None)
        .prefetch_related(None)
        .annotate(**aliases)
        .values_list(*aliases)
    )
    return Cells(cells, selection.values(**{SELECTED_ID: F("pk")}))


def supports_copy(queryset):
    return connections[queryset.db].vendor == "postgresql"


def copy_response(filename, header, rows, bom=False):
    """A streamed CSV download of `rows` (`Cells`) by COPY."""
    content = copy_lines(header, rows, bom)
    response = StreamingHttpResponse(content, content_type=files.CSV_TYPE)
    return files._as_download(response, filename)


@contextmanager
def _copying(rows, options):
    """A COPY of `rows` (`Cells`) to this process, as psycopg's Copy object."""
    connection = connections[rows.db]
    sql, params = rows.sql_with_params()
    # COPY takes no parameters: they are bound here, quoted by the driver.
    query = connection.ops.compose_sql(sql, params)  # type: ignore[attr-defined]
    statement = f"COPY ({query}) TO STDOUT WITH ({options})"
    with connection.cursor() as cursor:
        # A large plan looks costly enough for JIT compiling, which takes seconds and saves
        # less than it costs (measured at 10,000 to 1,000,000 rows). The setting is the
        # connection's: it is put back after.
        cursor.execute("SET jit = off")
        try:
            with cursor.copy(statement) as copy:
                yield copy
        finally:
            cursor.execute("RESET jit")


def copy_lines(header, rows, bom=False):
    """The CSV bytes: the header as the Python path writes it, then COPY's rows with the
    line ends the Python path uses (COPY ends each row with a line feed alone)."""
    head = "".join(files.csv_lines(header, [], bom))
    yield head.encode("utf-8")
    piece = bytearray()
    with _copying(rows, "FORMAT csv") as copy:
        # PostgreSQL sends each row as one message ending in its line feed.
        for row in copy:
            piece += row[:-1]
            piece += b"\r\n"
            if len(piece) >= files.STREAM_PIECE:
                yield bytes(piece)
                piece.clear()
    yield bytes(piece)


def copied_rows(rows, columns: Sequence[str] | int):
    """The rows of `rows` (`Cells` of text) as tuples of str (None for NULL), streamed by
    COPY as PostgreSQL computes them: memory stays flat, and no server-side cursor
    holds the whole result first. Until the last row is read the connection is COPY's:
    whatever the caller reads from the database it reads before."""
    count = columns if isinstance(columns, int) else len(columns)
    with _copying(rows, "FORMAT text") as copy:
        copy.set_types(list(itertools.repeat("text", count)))
        yield from copy.rows()
