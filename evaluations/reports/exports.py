"""The report's rows as CSV and as an XLSX workbook: the same rows as the page.

Columns: `section, breakdown`, then the three columns of the report
(`this_quarter, previous_quarter, year_to_date` for a quarter;
`this_period, previous_period, year_to_date` for any other period), then
`section_code, breakdown_code`: stable codes of the section and of the row
within it (`activities`, `category.relationship_building`), which stay the same
when a label is renamed, for analysis that joins files of several periods. The
codes come last so that the columns of earlier files keep their places. Counts
are whole numbers, hours have one decimal and amounts in pounds two. Both
files are written by the one writer (`kmtracker.lib.files`), which neutralises
every text a spreadsheet would run.
"""

from evaluations.reports.figures import COUNT, GBP, HOURS
from kmtracker.lib import files

NUMBER_FORMATS = {COUNT: "0", HOURS: "0.0", GBP: "#,##0.00"}
# The report's CSV has always ended its lines with a line feed alone; files of earlier
# quarters that people keep stay comparable with new ones.
LINE_END = "\n"


CODE_COLUMNS = ["section_code", "breakdown_code"]


def header(periods):
    return ["section", "breakdown", *periods.names, *CODE_COLUMNS]


def breakdown_code(row):
    """The row's code within its section: its key without the first part
    (`activities.category.relationship_building` -> `category.relationship_building`)."""
    return row.key.partition(".")[2]


def report_rows(figures, formatted=False):
    """(section, breakdown, value, value, value, section code, breakdown code) for every
    figure, in report order."""
    for section in figures.sections:
        for row in section.rows:
            values = row.values
            if formatted:
                number_format = NUMBER_FORMATS[row.unit]
                values = [files.Formatted(value, number_format) for value in values]
            yield [section.title, row.breakdown, *values, section.code, breakdown_code(row)]


def _filename(team, periods, extension):
    return f"{team.slug}-report-{periods.slug}.{extension}"


def csv_response(team, figures, periods):
    filename = _filename(team, periods, "csv")
    return files.csv_response(filename, header(periods), report_rows(figures), line_end=LINE_END)


def about_rows(team, periods, about):
    """The "About" sheet: the team, the report, the dates of each column, `about`'s lines."""
    yield ["team", team.name]
    yield ["report", periods.title]
    for name, period in zip(periods.names, periods.columns, strict=True):
        yield [name, f"{period.start.isoformat()} to {period.end.isoformat()}"]
    if periods.note:
        yield ["note", periods.note]
    yield from ([label, value] for label, value in about)


def xlsx_response(team, figures, periods, about=()):
    """A "Report" sheet with the CSV's rows and an "About" sheet saying what they cover."""
    sheets = [
        files.Sheet(
            "Report",
            header(periods),
            report_rows(figures, formatted=True),
            widths=(34, 36, 16, 18, 14, 16, 34),
            freeze="C2",
        ),
        files.Sheet("About", None, about_rows(team, periods, about), widths=(20, 60)),
    ]
    return files.xlsx_response(_filename(team, periods, "xlsx"), sheets)
