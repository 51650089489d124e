"""No file the product writes holds a formula, whatever the team typed.

Team A is seeded as for the leak sentinels (tests/sentinels.py: a marker in
every free-text field of every record), but each marker starts as a
spreadsheet would run it, after a space, in full width or after a tab:
`" =zqa001"`, `"＝zqa002"`, `"\\t=zqa003"`. Names of people, the team, topics,
themes and sub-themes (which become the framework matrix's headings) are
among them. Every download of the URL matrix that a role of team A may open
is fetched, as CSV and, where the page offers it, as XLSX, and read back cell
by cell, headings included: no CSV cell may start (after the spaces a
spreadsheet skips) with a formula character, and no XLSX cell may be a
formula. Every download must come through the one writer, and every export
declared anywhere must have been among them, so that a new file without this
test fails the suite.
"""

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from activities.models import Organisation
from kmtracker.lib.files import FORMULA_STARTS
from kmtracker.lists.exports import all_exports
from tests.sentinels import Markers, markers_in, seed_team
from tests.test_leak_sentinels import ROLES, pages, signed_in
from tests.test_url_matrix import url_for

pytestmark = pytest.mark.django_db

PAYLOADS = (" =", "＝", "\t=")
# What a spreadsheet skips before it looks for a formula.
SKIPPED = " \u00a0\u3000\n"


class FormulaMarkers(Markers):
    """Markers that a spreadsheet would run as formulas, each form in turn."""

    def new(self, label):
        marker = super().new(label)
        return PAYLOADS[len(self.where) % len(PAYLOADS)] + marker


def runs(cell):
    """Whether a spreadsheet opening this CSV cell would read a formula."""
    return cell.startswith(FORMULA_STARTS) or cell.lstrip(SKIPPED).startswith(FORMULA_STARTS)


def csv_cells(content):
    text = content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def xlsx_problems(content):
    """The formula cells of a workbook (none may be), and its cells' text."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        formulas = [name for name in sheets if b"<f>" in archive.read(name)]
    workbook = load_workbook(io.BytesIO(content))
    cells = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]
    formulas += [cell.coordinate for cell in cells if cell.data_type == "f"]
    return formulas, [str(cell.value) for cell in cells]


def downloads(role):
    """(URL name, target, query) of every download `role` may fetch, in CSV and XLSX."""
    for name, target, query in pages(role):
        if "export=csv" in query:
            yield name, target, query
            yield name, target, query.replace("export=csv", "export=xlsx")
        elif "export=" in query:
            yield name, target, query


@pytest.fixture
def world(team, broker, lead, evaluator):
    marks = FormulaMarkers("a")
    world = seed_team(team, broker, lead, evaluator, "a", marks=marks)
    # Organisations are shared by the teams, so the sentinels leave them unmarked.
    Organisation.objects.update(name=marks.new("Organisation.name"))
    return world


# The names that become headings of some file's columns (the framework matrix's themes,
# the report's activity types, topics and brokers) or that fill its cells: each is
# written as a formula above and must be read back, neutralised, in a CSV and in an XLSX.
HEADING_NAMES = (
    "Theme.name",
    "ActivityType.name",
    "Topic.name",
    "User.first_name",
    "User.last_name",
    "Organisation.name",
)
WRITTEN = {"csv": HEADING_NAMES, "xlsx": (*HEADING_NAMES, "Team.name")}  # the report's title
# Names no file writes (a study's files are named by its number; the reflective log has no
# download): a file that starts writing one fails here, to be added above.
IN_NO_FILE = {"LogTag.label", "Study.title"}


def test_no_file_holds_a_formula(world):
    unsafe, files_read, reached = [], 0, {}
    seen = {"csv": set(), "xlsx": set()}
    for role in ROLES:
        client = signed_in(world["users"][role])
        for name, target, query in downloads(role):
            response = client.get(url_for(name, target, world) + query)
            if not response.get("Content-Disposition", "").startswith("attachment"):
                assert "xlsx" in query, (role, name, query, response.status_code)
                continue  # this page offers no XLSX
            where = f"{role} {name}{query}"
            assert getattr(response, "written_by", None) == "kmtracker.lib.files", where
            assert response["Cache-Control"] == "private, no-store", where
            kind = getattr(response, "export_name", name)
            content = (
                b"".join(response.streaming_content) if response.streaming else response.content
            )
            if content.startswith(b"PK"):
                formulas, cells = xlsx_problems(content)
                unsafe += [f"{where}: formula cell {cell}" for cell in formulas]
                seen["xlsx"] |= {m for cell in cells for m in markers_in(cell, "a")}
            else:
                cells = csv_cells(content)
                unsafe += [f"{where}: {cell!r}" for cell in cells if runs(cell)]
                seen["csv"] |= {m for cell in cells for m in markers_in(cell, "a")}
            reached[kind] = reached.get(kind) or any(markers_in(cell, "a") for cell in cells)
            files_read += 1

    assert not unsafe, "\n".join(unsafe)
    assert files_read >= 30
    # The payloads reached every kind of file: no check was of empty files.
    assert [kind for kind, seen in reached.items() if not seen] == []
    where = world["markers"].where
    for kind, markers in seen.items():
        shown = {where[marker] for marker in markers}
        assert set(WRITTEN[kind]) - shown == set(), f"never read back from a {kind} file"
        assert IN_NO_FILE & shown == set(), f"now in a {kind} file: add it to WRITTEN"
    declared = {export.name for export in all_exports()}
    assert declared - set(reached) == set(), "Add a download line to the URL matrix for these"
