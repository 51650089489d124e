"""The report's rows as CSV and as an XLSX workbook: the same rows as the page.

Columns: `section, breakdown`, then the three columns of the report
(`this_quarter, previous_quarter, year_to_date` for a quarter;
`this_period, previous_period, year_to_date` for any other period). Counts
are whole numbers, hours have one decimal and amounts in pounds two.
"""

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from evaluations.reports import COUNT, GBP, HOURS

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
