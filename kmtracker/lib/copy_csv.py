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

`copy_response()` streams the rows in pieces of about 64 KB as PostgreSQL sends
them, so memory stays flat however many rows there are. Only the SELECT is
written here: the queryset it runs is the list's own, scoped and filtered by
the ORM.
"""

import sys

from django.conf import settings
from django.db import connections
from django.db.models import CharField, F, Func, TextField, Value
from django.db.models.functions import Coalesce, Concat, NullIf
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


def supports_copy(queryset):
    return connections[queryset.db].vendor == "postgresql"


def copy_response(filename, header, queryset, bom=False):
    """A streamed CSV download of `queryset` (a values_list of cell texts) by COPY."""
    content = copy_lines(header, queryset, bom)
    response = StreamingHttpResponse(content, content_type=files.CSV_TYPE)
    return files._as_download(response, filename)


def copy_lines(header, queryset, bom=False):
    """The CSV bytes: the header as the Python path writes it, then COPY's rows with the
    line ends the Python path uses (COPY ends each row with a line feed alone)."""
    head = "".join(files.csv_lines(header, [], bom))
    yield head.encode("utf-8")
    connection = connections[queryset.db]
    sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    piece = bytearray()
    # COPY takes no parameters: they are bound here, quoted by the driver.
    query = connection.ops.compose_sql(sql, params)  # type: ignore[attr-defined]
    statement = f"COPY ({query}) TO STDOUT WITH (FORMAT csv)"
    with connection.cursor() as cursor:
        # The correlated subqueries make the plan look costly enough for JIT compiling,
        # which takes seconds and saves less than it costs (measured at 10,000 to
        # 1,000,000 rows). The setting is the connection's: it is put back after.
        cursor.execute("SET jit = off")
        try:
            with cursor.copy(statement) as copy:
                # PostgreSQL sends each row as one message ending in its line feed.
                for row in copy:
                    piece += row[:-1]
                    piece += b"\r\n"
                    if len(piece) >= files.STREAM_PIECE:
                        yield bytes(piece)
                        piece.clear()
        finally:
            cursor.execute("RESET jit")
    yield bytes(piece)
