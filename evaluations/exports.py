"""The report's rows as CSV and as an XLSX workbook: the same rows as the page.

Columns: `section, breakdown`, then the three columns of the report
(`this_quarter, previous_quarter, year_to_date` for a quarter;
`this_period, previous_period, year_to_date` for any other period). Counts
are whole numbers, hours have one decimal and amounts in pounds two.

Evaluation studies export their excerpts (`EXCERPT_COLUMNS`), the framework
matrix, the framework itself and the sampling frame; see the end of this module.
"""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from evaluations.framework import FRAMEWORK_COLUMNS, framework_rows
from evaluations.reports import COUNT, GBP, HOURS
from kmtracker import exports as sheets

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_FORMATS = {COUNT: "0", HOURS: "0.0", GBP: "#,##0.00"}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """Text a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def header(periods):
    return ["section", "breakdown", *periods.names]


def table(figures):
    """(section, breakdown, value, value, value, unit) for every figure, in report order."""
    return [
        (neutralise(title), neutralise(row.breakdown), *row.values, row.unit)
        for title, row in figures.rows()
    ]


def _filename(team, periods, extension):
    return f"{team.slug}-report-{periods.slug}.{extension}"


def csv_response(team, figures, periods):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(team, periods, "csv")}"'
    writer = csv.writer(response, lineterminator="\n")
    writer.writerow(header(periods))
    for *cells, _unit in table(figures):
        writer.writerow(cells)
    return response


def xlsx_workbook(team, figures, periods, about):
    """A "Report" sheet with the CSV's rows and an "About" sheet saying what they cover."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Report"
    sheet.append(header(periods))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for *cells, unit in table(figures):
        sheet.append(cells)
        for cell in sheet[sheet.max_row][2:]:
            cell.number_format = _NUMBER_FORMATS[unit]
    sheet.freeze_panes = "C2"
    for letter, width in zip("ABCDE", (34, 36, 16, 18, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    info = workbook.create_sheet("About")
    info.append(["team", neutralise(team.name)])
    info.append(["report", periods.title])
    for name, period in zip(periods.names, periods.columns, strict=True):
        info.append([name, f"{period.start.isoformat()} to {period.end.isoformat()}"])
    for label, value in about:
        info.append([label, neutralise(value)])
    info.column_dimensions["A"].width = 20
    info.column_dimensions["B"].width = 60
    return workbook


def xlsx_response(team, figures, periods, about=()):
    buffer = io.BytesIO()
    xlsx_workbook(team, figures, periods, about).save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(team, periods, "xlsx")}"'
    return response


# Evaluation studies: excerpts and the framework matrix ------------------------------------------
# Written through kmtracker.exports (`sheets`: streamed CSV, typed XLSX, formulas neutralised).


def _coder(excerpt):
    coder = excerpt.coder
    return (coder.get_full_name() or coder.get_username()) if coder else ""


def _themes(excerpt):
    """Top-level themes, then sub-themes, of an excerpt: each list joined with "; "."""
    themes = sorted(excerpt.themes.all(), key=lambda t: (t.label.lower(), t.pk))
    tops = []
    for theme in themes:
        name = theme.parent.name if theme.parent_id else theme.name
        if name not in tops:
            tops.append(name)
    subs = [theme.name for theme in themes if theme.parent_id]
    return "; ".join(tops), "; ".join(subs)


# One row per excerpt. The participant's link to a contact is never written.
EXCERPT_COLUMNS = [
    ("source", lambda e: e.source.title),
    ("participant", lambda e: e.participant.code if e.participant else ""),
    ("community", lambda e: e.participant.community if e.participant else ""),
    ("theme", lambda e: _themes(e)[0]),
    ("sub_theme", lambda e: _themes(e)[1]),
    ("text", lambda e: e.text),
    ("memo", lambda e: e.memo),
    ("coder", _coder),
    ("date", lambda e: timezone.localdate(e.created_at)),
]


def excerpts_csv(study, excerpts):
    """The excerpts the list's filters select, as `excerpts.csv`, streamed."""
    rows = ([get(excerpt) for _, get in EXCERPT_COLUMNS] for excerpt in excerpts)
    header = [name for name, _ in EXCERPT_COLUMNS]
    return sheets.csv_response(f"study-{study.pk}-excerpts.csv", header, rows)


def matrix_download(matrix, export_format):
    """The framework matrix as CSV or XLSX: the same rows as the page."""
    filename = f"study-{matrix.study.pk}-matrix-{matrix.rows_by}"
    if export_format == "xlsx":
        return sheets.xlsx_response(
            f"{filename}.xlsx", "Framework matrix", matrix.header, matrix.table()
        )
    return sheets.csv_response(f"{filename}.csv", matrix.header, matrix.table())


def framework_csv(study, themes):
    filename = f"study-{study.pk}-framework.csv"
    return sheets.csv_response(filename, FRAMEWORK_COLUMNS, framework_rows(themes))


SAMPLING_FRAME_COLUMNS = [
    "contact",
    "community",
    "organisation",
    "organisation_kind",
    "activities",
    "last_contact",
]


def sampling_frame_csv(study, contacts, access):
    """The sampling frame, contacts named as `access` may see them (pseudonyms for evaluators)."""
    rows = (
        [
            contact.label_for(access),
            contact.community,
            contact.organisation.name if contact.organisation else "",
            contact.organisation.kind if contact.organisation else "",
            contact.period_activities,
            contact.last_contact,
        ]
        for contact in contacts
    )
    return sheets.csv_response(f"study-{study.pk}-sampling-frame.csv", SAMPLING_FRAME_COLUMNS, rows)
