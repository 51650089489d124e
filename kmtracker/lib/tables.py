"""Reading an uploaded table (CSV or XLSX) into headings and rows of text, safely.

The file's size, row count, encoding and format are checked; any problem is
an `ImportFileError` with a message a person can act on, never a server error.
Formula-like text that an export escaped (`'=A1`) is read back as written.

The work of reading is bounded as well as the bytes: an XLSX is a zip, whose
members are measured as they are inflated before openpyxl reads them (their
declared sizes may lie); no more than MAX_COLUMNS columns, MAX_LINES lines
(blank ones too), MAX_CELLS cells and MAX_SECONDS are read, whatever the file
says its dimensions are.
"""

import codecs
import csv
import datetime
import io
import re
import time
import zipfile
import zlib
from dataclasses import dataclass

from openpyxl import load_workbook

from kmtracker.lib.files import restore
from kmtracker.lib.inputs import CONTROL_CHARACTERS

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
MAX_COLUMNS = 200
MAX_LINES = 5 * MAX_ROWS  # blank lines and rows included
MAX_CELLS = 1_000_000
MAX_SECONDS = 3.0
# An XLSX inflates to many times its size, but not without bound.
MAX_EXPANDED_BYTES = 100 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 30 * 1024 * 1024
_SPLIT = "Split it into smaller files, or save it as CSV UTF-8 and import that."
ENCODINGS = {
    "utf-8": "UTF-8",
    "cp1252": "Windows-1252",
}
_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0"


class ImportFileError(Exception):
    """A file that cannot be read as a table; the message says why and what to do."""


@dataclass
class Table:
    """The cells of a file: its headings and its rows, each with its spreadsheet row number."""

    headings: list
    rows: list  # (row number, [cell text, ...]); the header is row 1
    description: str


def read_table(content, encoding="utf-8"):
    """Read CSV or XLSX `content` (bytes) into a Table, or raise ImportFileError."""
    if not content:
        raise ImportFileError("The file is empty.")
    if message := too_large(len(content)):
        raise ImportFileError(message)
    if content.startswith(_XLSX_MAGIC):
        headings, rows, description = _read_xlsx(content)
    elif content.startswith(_XLS_MAGIC):
        raise ImportFileError(
            "This is an old Excel workbook (.xls). Save it as an Excel Workbook (.xlsx) "
            "or as CSV UTF-8 and import that."
        )
    else:
        headings, rows, description = _read_csv(content, encoding)
    if not headings or not any(headings):
        raise ImportFileError("The file has no header row: its first row must name the columns.")
    if not rows:
        raise ImportFileError("The file has a header row but no rows under it.")
    return Table([normalise_heading(h) for h in headings], rows, description)


def too_large(size, kind="files", done="imported", advice="Split it into smaller files."):
    """What to tell of an upload of `size` bytes over MAX_BYTES ("" when it is within)."""
    if size <= MAX_BYTES:
        return ""
    return (
        f"The file is {size / 1024 / 1024:.1f} MB; {kind} of up to "
        f"{MAX_BYTES // 1024 // 1024} MB can be {done}. {advice}"
    )


def normalise_heading(text):
    """A heading as the export spells it: `Lead broker` reads as `lead_broker`."""
    return re.sub(r"[\s-]+", "_", str(text or "").strip()).lower()


def _decode(content, encoding):
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise ImportFileError(
                "The file starts as UTF-16 text but is not valid UTF-16."
            ) from None
    if b"\x00" in content:
        raise ImportFileError(
            "The file contains NUL bytes, so it is not a CSV text file (is it a binary file "
            "or a different format?). Upload a CSV or an XLSX file."
        )
    codec = "utf-8-sig" if encoding == "utf-8" else encoding
    try:
        return content.decode(codec), ENCODINGS[encoding]
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        byte = content[error.start]
        hint = (
            "In Excel, save it as “CSV UTF-8 (Comma delimited)”, or choose Windows-1252 "
            "below if it was saved as the older “CSV (Comma delimited)”."
            if encoding == "utf-8"
            else "Choose the encoding the file was saved in."
        )
        raise ImportFileError(
            f"The file is not valid {ENCODINGS[encoding]} text (byte 0x{byte:02X} on line "
            f"{line}). {hint}"
        ) from None


def _read_csv(content, encoding):
    text, encoding_label = _decode(content, encoding)
    control = CONTROL_CHARACTERS.search(text)
    if control:
        line = text[: control.start()].count("\n") + 1
        raise ImportFileError(
            f"The file holds control characters (line {line}), so it does not look like a CSV "
            "text file. Upload a CSV or an XLSX file."
        )
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    names = {",": "comma", ";": "semicolon", "\t": "tab"}
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(_limited(reader))
    except csv.Error as error:
        raise ImportFileError(
            f"Row {reader.line_num} of the file cannot be read as CSV: {error}."
        ) from None
    headings, rows = _split_header(records)
    description = f"CSV, {encoding_label}, {names[delimiter]}-separated"
    return (
        headings,
        [(number, [restore(cell.strip()) for cell in cells]) for number, cells in rows],
        description,
    )


def _limited(records):
    """The records of a file, up to MAX_ROWS non-empty rows under the header, MAX_COLUMNS
    columns, MAX_LINES lines, MAX_CELLS cells and MAX_SECONDS of reading."""
    count = cells = 0
    deadline = time.monotonic() + MAX_SECONDS
    for line, record in enumerate(records, start=1):
        if line > MAX_LINES:
            raise ImportFileError(
                f"The file has more than {MAX_LINES:,} lines, blank ones included. {_SPLIT}"
            )
        if len(record) > MAX_COLUMNS and any(_filled(cell) for cell in record[MAX_COLUMNS:]):
            raise ImportFileError(
                f"Line {line} of the file has more than {MAX_COLUMNS} columns; "
                f"up to {MAX_COLUMNS} can be imported."
            )
        if any(_filled(cell) for cell in record):
            count += 1
            cells += len(record)
            if count > MAX_ROWS + 1:
                raise ImportFileError(
                    f"The file has more than {MAX_ROWS:,} rows; up to {MAX_ROWS:,} can be "
                    "imported at once. Split it into smaller files."
                )
            if cells > MAX_CELLS:
                raise ImportFileError(f"The file has more than {MAX_CELLS:,} cells. {_SPLIT}")
        if line % 1000 == 0 and time.monotonic() > deadline:
            raise ImportFileError(f"The file takes too long to read. {_SPLIT}")
        yield record


def _filled(cell):
    return cell is not None and str(cell).strip() != ""


def _split_header(records):
    """The first non-empty record as headings; the other non-empty ones with row numbers."""
    numbered = [
        (number, list(record))
        for number, record in enumerate(records, start=1)
        if any(str(cell).strip() for cell in record if cell is not None)
    ]
    if not numbered:
        raise ImportFileError("The file is empty.")
    (_, headings), rows = numbered[0], numbered[1:]
    return headings, rows


def _read_xlsx(content):
    _check_expanded_sizes(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        # Not the sheet's own dimensions (a file may claim A1:XFD1048576): one more column
        # and line than may be read, so that a file over the bounds is seen to be.
        rows = sheet.iter_rows(max_col=MAX_COLUMNS + 1, max_row=MAX_LINES + 1, values_only=True)
        records = list(_limited(_trimmed(row) for row in rows))
        title = sheet.title
        workbook.close()
    except ImportFileError:
        raise
    except Exception:  # openpyxl raises many kinds of error on a broken file
        raise ImportFileError(
            "The file cannot be read as an Excel workbook (.xlsx). Save it again from your "
            "spreadsheet as .xlsx or as CSV UTF-8."
        ) from None
    width = max((len(record) for record in records), default=0)
    records = [record + [None] * (width - len(record)) for record in records]
    headings, rows = _split_header(records)
    cells = [(number, [_xlsx_text(value) for value in row]) for number, row in rows]
    return [_xlsx_text(h) for h in headings], cells, f"Excel workbook, sheet “{title}”"


def _trimmed(row):
    """A sheet's row without its empty cells at the end."""
    if row.count(None) == len(row):  # quickly: a file may hold thousands of empty rows
        return []
    cells = list(row)
    while cells and cells[-1] is None:
        cells.pop()
    return cells


def _check_expanded_sizes(content):
    """Inflate every member of the zip, counting, before anything reads it: what it
    declares may be untrue, what it inflates to is not."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        total = 0
        for info in archive.infolist():
            limit = (
                MAX_SHARED_STRINGS_BYTES if info.filename.endswith("sharedStrings.xml") else None
            )
            total += _inflated_size(archive, info, limit, MAX_EXPANDED_BYTES - total)
    except ImportFileError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        RuntimeError,
        NotImplementedError,
        zlib.error,
        OSError,
        EOFError,
    ):
        raise ImportFileError(
            "The file cannot be read as an Excel workbook (.xlsx): it is damaged. Save it "
            "again from your spreadsheet as .xlsx or as CSV UTF-8."
        ) from None


def _inflated_size(archive, info, limit, left):
    too_large = ImportFileError(
        "The workbook holds far more than its size suggests (its contents inflate to over "
        f"{(limit or MAX_EXPANDED_BYTES) // 1024 // 1024} MB). {_SPLIT}"
    )
    bound = min(limit or left, left)
    if info.file_size > bound:
        raise too_large
    size = 0
    with archive.open(info) as member:
        while chunk := member.read(1024 * 1024):
            size += len(chunk)
            if size > bound:
                raise too_large
    return size


def _xlsx_text(value):
    """An XLSX cell as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
