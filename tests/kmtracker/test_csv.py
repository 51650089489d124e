"""The shared writers of kmtracker.lib.files: neutralising, CSV text, streaming, XLSX cells."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from kmtracker.lib import files
from kmtracker.lib.files import cell_text, csv_lines, neutralise, restore, would_run
from kmtracker.lib.progress import Progress

# Text a spreadsheet would run, or could after skipping spaces, and what the CSV holds.
NEUTRALISED = [
    ("=1+1", "'=1+1"),
    ("+1", "'+1"),
    ("-1+1", "'-1+1"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("＝1+1", "'＝1+1"),
    ("＋1", "'＋1"),
    ("－1", "'－1"),
    ("＠A1", "'＠A1"),
    (" =1+1", "' =1+1"),
    ("\n@A1", "'\n@A1"),
    ("\u3000=1", "'\u3000=1"),
    ("+44 117 496 0000", "'+44 117 496 0000"),
    ("'=1+1", "''=1+1"),
    ("''=1+1", "'''=1+1"),
    ("=", "'="),
    ("-", "'-"),
]
UNCHANGED = [
    "",
    "Frailty seminar",
    "0117 496 0000",
    "a=b",
    "'twas",
    "'",
    "2025-05-12",
    "C-ABCDEFGH",
    "1+1",
    "research; commissioning",
    " plain",
]


@pytest.mark.parametrize(("text", "written"), NEUTRALISED)
def test_it_neutralises_text_a_spreadsheet_would_run(text, written):
    assert would_run(text)
    assert neutralise(text) == written


@pytest.mark.parametrize(("text", "written"), NEUTRALISED)
def test_restore_gives_back_what_was_neutralised(text, written):
    assert restore(written) == text


@pytest.mark.parametrize("text", UNCHANGED)
def test_it_leaves_plain_text_alone(text):
    assert neutralise(text) == text
    assert restore(text) == text


def test_a_phone_number_keeps_its_plus_sign():
    written = neutralise("+44 117 496 0000")

    # The apostrophe makes spreadsheets read it as text; the number itself is whole.
    assert written == "'+44 117 496 0000"
    assert "+44 117 496 0000" in written


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (-12, "-12"),
        (Decimal("-1250.50"), "-1250.50"),
        (-0.5, "-0.5"),
        (0, "0"),
        (None, ""),
        (True, "true"),
        (False, "false"),
        (datetime.date(2025, 5, 12), "2025-05-12"),
        ("=1", "'=1"),
        ("-3", "'-3"),  # text that looks like a number is still text
    ],
)
def test_numbers_stay_numbers_and_text_is_neutralised(value, text):
    assert cell_text(value) == text


def test_it_writes_rfc_4180_csv_with_a_bom_on_request():
    text = "".join(csv_lines(["a", "b"], [["x, y", 'say "hi"'], [1, "line\nbreak"]], bom=True))

    assert text == '\ufeffa,b\r\n"x, y","say ""hi"""\r\n1,"line\nbreak"\r\n'


def test_it_streams_in_pieces_as_the_rows_are_read(monkeypatch):
    monkeypatch.setattr(files, "STREAM_PIECE", 10)
    read = []

    def rows():
        for number in range(5):
            read.append(number)
            yield [f"row {number}"]

    pieces = csv_lines(["h"], rows())
    first = next(pieces)

    # Pieces of at least 10 characters of rows: two rows of 7.
    assert first == "h\r\nrow 0\r\nrow 1\r\n"
    assert read == [0, 1]
    rest = list(pieces)
    assert "".join([first, *rest]).count("\r\n") == 6


def test_the_csv_reads_back_with_the_csv_module():
    values = ["=1+1", "Zoë 🧠", "a\r\nb", '"quoted"', "x" * 100_000]
    text = "".join(csv_lines(["v"], [[value] for value in values]))

    rows = list(csv.reader(io.StringIO(text, newline="")))

    assert [restore(row[0]) for row in rows[1:]] == values


def test_xlsx_text_cells_are_never_formulas_and_keep_their_text():
    buffer = io.BytesIO()
    rows = [["=1+1", -12, Decimal("3.50"), datetime.date(2025, 5, 12), "plain", "#N/A", "a\x00b"]]

    files.write_xlsx(buffer, [files.Sheet("Sheet", ["a", "b", "c", "d", "e", "f", "g"], rows)])

    sheet = load_workbook(io.BytesIO(buffer.getvalue())).worksheets[0]
    cells = list(sheet[2])
    assert [cell.data_type for cell in cells] == ["s", "n", "n", "d", "s", "s", "s"]
    assert [cell.value for cell in cells] == [
        "=1+1",
        -12,
        3.5,
        datetime.datetime(2025, 5, 12),
        "plain",
        "#N/A",
        "ab",
    ]
    assert cells[0].quotePrefix
    assert not cells[4].quotePrefix


class _Lines:
    def __init__(self):
        self.lines = []

    def write(self, text):
        self.lines.append(text)


def test_progress_reports_every_tenth_and_the_end():
    out = _Lines()
    progress = Progress(out, "rows", 25)

    list(progress.wrap(range(25)))

    assert out.lines[0] == "rows: 2/25"
    assert out.lines[-1] == "rows: 25/25"
    assert len(out.lines) <= 13
