"""Reading exports back as a spreadsheet or a script would: with the csv module and openpyxl."""

import csv
import io
import zipfile

from openpyxl import load_workbook


def content_of(response):
    """The bytes of a download, streamed or not."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def csv_rows(response_or_bytes, bom=False):
    """The rows of a CSV download (header first), decoded as UTF-8."""
    data = response_or_bytes
    if not isinstance(data, bytes):
        data = content_of(data)
    text = data.decode("utf-8")
    if bom:
        assert text.startswith("\ufeff")
        text = text[1:]
    else:
        assert not text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text, newline="")))


def csv_records(response):
    """The rows of a CSV download as dicts by heading."""
    header, *rows = csv_rows(response)
    return [dict(zip(header, row, strict=True)) for row in rows]


def workbook_of(data):
    return load_workbook(io.BytesIO(data))


def xlsx_rows(data):
    """The values of the first sheet of an XLSX download, header first."""
    sheet = workbook_of(data).worksheets[0]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def xlsx_has_formulas(data):
    """True when any sheet of the workbook holds a formula element."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        return any(b"<f>" in archive.read(name) or b"<f " in archive.read(name) for name in sheets)
