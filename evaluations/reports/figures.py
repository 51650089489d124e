"""The figures of a report: sections of rows, each with a value for each of its three
columns (the period, the one before, the year to date), as computed now or as frozen
at sign-off. `computation.compute_figures()` makes them; the page, the print layout,
the downloads and the sign-off's snapshot all show these same rows.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

COUNT, HOURS, GBP = "count", "hours", "gbp"
NOT_RECORDED = "Not recorded"
ZERO = (0, 0, 0)


@dataclass
class Row:
    """One figure in the three columns. `key` identifies it when comparing snapshots."""

    key: str
    breakdown: str
    values: tuple
    unit: str = COUNT
    is_total: bool = False

    @property
    def current(self):
        return self.values[0]

    @property
    def previous(self):
        return self.values[1]

    @property
    def year_to_date(self):
        return self.values[2]


@dataclass
class Section:
    """A table of the report: a title, what the figures mean, and its rows."""

    code: str
    title: str
    note: str
    rows: list = field(default_factory=list)


@dataclass
class ReportFigures:
    """Every figure of a report, as computed now or as frozen at sign-off."""

    sections: list
    months: list  # [(first day of month, {category: count})], for the chart by month

    def rows(self):
        """(section title, row) for every figure, in report order."""
        return [(section.title, row) for section in self.sections for row in section.rows]

    def section(self, code):
        return self.by_code[code]

    @property
    def by_code(self):
        """Sections by code, e.g. `figures.by_code.directions` in a template."""
        return {section.code: section for section in self.sections}

    def to_json(self):
        return {
            "sections": [
                {
                    "code": section.code,
                    "title": section.title,
                    "note": section.note,
                    "rows": [
                        {
                            "key": row.key,
                            "breakdown": row.breakdown,
                            "values": [str(value) for value in row.values],
                            "unit": row.unit,
                            "is_total": row.is_total,
                        }
                        for row in section.rows
                    ],
                }
                for section in self.sections
            ],
            "months": [[month.isoformat(), counts] for month, counts in self.months],
        }

    @classmethod
    def from_json(cls, data):
        return cls(
            sections=[
                Section(
                    code=section["code"],
                    title=section["title"],
                    note=section["note"],
                    rows=[
                        Row(
                            key=row["key"],
                            breakdown=row["breakdown"],
                            values=tuple(_parse(value, row["unit"]) for value in row["values"]),
                            unit=row["unit"],
                            is_total=row["is_total"],
                        )
                        for row in section["rows"]
                    ],
                )
                for section in data["sections"]
            ],
            months=[
                (datetime.date.fromisoformat(month), counts) for month, counts in data["months"]
            ],
        )


def formatted(value, unit):
    """1,234 for counts, 12.5 for hours, £1,234.00 for amounts."""
    if unit == GBP:
        return f"£{value:,.2f}"
    if unit == HOURS:
        return f"{value:,.1f}"
    return f"{value:,}"


def _parse(value, unit):
    return int(value) if unit == COUNT else Decimal(value)


def hours(minutes):
    """Minutes as hours to one decimal, rounding half up."""
    return (Decimal(minutes or 0) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def hours_adding_up(parts, total=None):
    """Minutes of the parts of a total as hours to one decimal that add up to the total's
    hours as shown (`hours(total)`, by default the sum of the parts), by largest remainder:
    each part gets its whole tenths of an hour, and the tenths still missing go one each to
    the parts with the largest remainders (the first of equal ones, in the given order).

    Rounding each part by itself can make them add up to a tenth more or less than the
    total shown (categories of 119.8 hours under a total of 119.7).
    """
    minutes = [int(part or 0) for part in parts]
    total = sum(minutes) if total is None else total
    tenths = int(hours(total) * 10)
    shares = [divmod(part, 6) for part in minutes]  # six minutes to a tenth of an hour
    missing = tenths - sum(whole for whole, _rest in shares)
    by_remainder = sorted(range(len(shares)), key=lambda index: -shares[index][1])
    lucky = set(by_remainder[:missing]) if missing > 0 else set()
    return [
        (Decimal(whole + (index in lucky)) / 10).quantize(Decimal("0.1"))
        for index, (whole, _rest) in enumerate(shares)
    ]


def pounds(amount):
    return Decimal(amount or 0).quantize(Decimal("0.01"))
