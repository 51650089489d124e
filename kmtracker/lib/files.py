"""The one writer of every file the product hands out: streamed CSV, XLSX, neutralised.

Every download (the lists' exports, the quarterly reports, the evaluation
studies' excerpts, matrix, framework and sampling frame) is written here, so
that every file is UTF-8, streams in constant memory, is sent with
`Cache-Control: private, no-store` (the access log records it: see
audit/access.py), and never carries a value, heading or cell, that Excel or
LibreOffice would run as a formula.

Formula injection: a text cell that starts with `=`, `+`, `-`, `@`, a tab or a
carriage return (or their full-width forms `＝ ＋ － ＠`, which some
spreadsheets read as the same), possibly after spaces, is run as a formula when
a CSV file is opened. `neutralise()` writes such text with a leading
apostrophe, so that it reads as text: `=HYPERLINK(...)` becomes
`'=HYPERLINK(...)` and a phone number `+44 117 496 0000` becomes
`'+44 117 496 0000` (its plus sign stays; without the apostrophe a
spreadsheet reads it as the sum `+44 117 ...` and shows an error). Numbers
(int, Decimal, float) are never altered, so a negative amount stays a number.
Text that itself starts with an apostrophe before such a character gets one
more, so `restore()` gives back exactly what was neutralised.

XLSX cells are typed: text is written as a string cell, which no spreadsheet
runs, so it keeps its value unaltered (but for line ends, which become line
feeds, and control characters XML cannot hold, which are dropped); cells that
would turn into a formula when edited are marked "quote prefix", as Excel does
for text typed after an apostrophe.
"""

import csv
import datetime
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
# Spaces a spreadsheet may skip before it looks for a formula.
_SKIPPED_BEFORE_FORMULA = " \u00a0\u3000\n"

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"
# Rows are sent to the client in pieces of about this many characters.
STREAM_PIECE = 64 * 1024
# Excel's limit on the characters of one cell.
XLSX_CELL_LIMIT = 32_767
# XLSX files are built in a temporary file that stays in memory up to this size.
XLSX_SPOOL_BYTES = 8 * 1024 * 1024


def would_run(text):
    """True when a spreadsheet could read `text` as a formula, or it is an escaped one."""
    if not text:
        return False
    if text.startswith(FORMULA_STARTS) or text.lstrip(_SKIPPED_BEFORE_FORMULA).startswith(
        FORMULA_STARTS
    ):
        return True
    return text.startswith("'") and would_run(text[1:])


def neutralise(value):
    """`value` as a CSV cell that shows as text; non-text values are returned unchanged."""
    if isinstance(value, str) and would_run(value):
        return "'" + value
    return value


def restore(value):
    """The text that `neutralise()` was given: drops the apostrophe it added."""
    if isinstance(value, str) and value.startswith("'") and would_run(value[1:]):
        return value[1:]
    return value


def cell_text(value):
    """One value as CSV text: ISO 8601 dates, plain numbers, `true`/`false`, "" for None."""
    if isinstance(value, Formatted):
        value = value.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return str(value)
    return neutralise(str(value))


class _Echo:
    """A file-like object whose write() hands the line back, for streaming csv.writer."""

    def write(self, value):
        return value


def csv_lines(header, rows, bom=False, line_end="\r\n"):
    """The CSV text of `header` and `rows`, yielded in pieces as `rows` is consumed."""
    writer = csv.writer(_Echo(), lineterminator=line_end)
    piece = [BOM] if bom else []
    piece.append(writer.writerow([cell_text(heading) for heading in header]))
    size = 0
    for row in rows:
        line = writer.writerow([cell_text(value) for value in row])
        piece.append(line)
        size += len(line)
        if size >= STREAM_PIECE:
            yield "".join(piece)
            piece, size = [], 0
    yield "".join(piece)


def csv_response(filename, header, rows, bom=False, line_end="\r\n"):
    """A streamed CSV download: memory stays flat however many rows `rows` yields."""
    content = (piece.encode("utf-8") for piece in csv_lines(header, rows, bom, line_end))
    response = StreamingHttpResponse(content, content_type=CSV_TYPE)
    return _as_download(response, filename)


def write_csv(out, header, rows, bom=False):
    """Write the CSV to a text file opened with newline=""."""
    for piece in csv_lines(header, rows, bom):
        out.write(piece)


@dataclass(frozen=True)
class Formatted:
    """A number with the XLSX number format it is shown in (`"0.0"`, `"#,##0.00"`);
    CSV files write the number alone."""

    value: Any
    number_format: str


@dataclass
class Sheet:
    """One sheet of a workbook: its rows under a bold, frozen header row.

    `header=None` writes no header (a sheet of label–value pairs); `widths` are
    the columns' widths in characters, from the first; `freeze` is the first
    cell that scrolls.
    """

    title: str
    header: Sequence[str] | None
    rows: Iterable[Sequence[Any]]
    widths: Sequence[float] = ()
    freeze: str | None = "A2"


def xlsx_value(value):
    """One value as an XLSX cell value: dates stay dates, datetimes become ISO text."""
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, str):
        # XML cannot hold most control characters and reads a carriage return as a line
        # feed; Excel cuts long cells.
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        return ILLEGAL_CHARACTERS_RE.sub("", value)[:XLSX_CELL_LIMIT]
    return value


def write_xlsx(out, sheets):
    """Write a workbook of `sheets` to the binary file `out`, row by row (write-only mode)."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for spec in sheets:
        sheet = workbook.create_sheet(spec.title[:31])
        if spec.freeze and spec.header is not None:
            sheet.freeze_panes = spec.freeze
        for index, width in enumerate(spec.widths):
            sheet.column_dimensions[get_column_letter(index + 1)].width = width
        if spec.header is not None:
            headings = [_xlsx_cell(sheet, str(heading)) for heading in spec.header]
            for cell in headings:
                cell.font = bold
            sheet.append(headings)
        for row in spec.rows:
            sheet.append([_xlsx_cell(sheet, value) for value in row])
    workbook.save(out)


def _xlsx_cell(sheet, value):
    number_format = None
    if isinstance(value, Formatted):
        value, number_format = value.value, value.number_format
    value = xlsx_value(value)
    cell = WriteOnlyCell(sheet, value)
    if number_format is not None:
        cell.number_format = number_format
    elif isinstance(value, datetime.date):
        cell.number_format = "yyyy-mm-dd"
    if isinstance(value, str):
        # A string cell is text whatever it holds; openpyxl would write "=..." as a formula.
        if cell.data_type == "f" or would_run(value):
            cell.data_type = "s"
            cell.quotePrefix = True
        elif cell.data_type == "e":
            cell.data_type = "s"
    return cell


def xlsx_response(filename, sheets):
    """An XLSX download of `sheets`, built in a temporary file (spilling to disk when large)."""
    # FileResponse closes the file once it is sent.
    buffer = tempfile.SpooledTemporaryFile(max_size=XLSX_SPOOL_BYTES)  # noqa: SIM115
    write_xlsx(buffer, sheets)
    buffer.seek(0)
    response = FileResponse(buffer, content_type=XLSX_TYPE)
    return _as_download(response, filename)


def stored_response(filename, content, content_type):
    """A download of a file built whole in memory (a REFI-QDA project or codebook) or
    written before by this module and kept (a sign-off's files): its bytes as they are."""
    response = HttpResponse(bytes(content), content_type=content_type)
    return _as_download(response, filename)


def content_of(response):
    """The bytes of a download made by this module, to keep or to attach to a message."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _as_download(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Exports may hold personal data: no shared cache keeps a copy.
    response["Cache-Control"] = "private, no-store"
    # Tells the suite that the file came through this writer (tests/test_file_formulas.py).
    response.written_by = __name__
    return response
