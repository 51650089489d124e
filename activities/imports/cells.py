"""Reading one cell of an import: dates, counts, codes, and records by name."""

import datetime
from decimal import Decimal, InvalidOperation

from kmtracker.lib.dates import EARLIEST, LATEST, in_range

# The largest whole number the database's integer columns hold.
LARGEST_COUNT = 2_147_483_647


class CellError(Exception):
    """A cell that cannot be imported; the message says why."""


def split_list(text):
    return [part.strip() for part in text.split(";") if part.strip()]


def parse_date(text):
    """`YYYY-MM-DD` (as exported) or `DD/MM/YYYY` (as UK spreadsheets show dates)."""
    for form in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            date = datetime.datetime.strptime(text, form).date()
        except ValueError:
            continue
        if not in_range(date):
            raise CellError(f"“{text}” is not a date from {EARLIEST.year} to {LATEST.year}.")
        return date
    raise CellError(f"“{text}” is not a date: write it as YYYY-MM-DD (or DD/MM/YYYY).")


def parse_count(text):
    """A whole number of at least 0."""
    try:
        number = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise CellError(f"“{text}” is not a whole number.") from None
    if not number.is_finite() or number != number.to_integral_value():
        raise CellError(f"“{text}” is not a whole number.")
    if number < 0:
        raise CellError(f"{text} is negative; it must be 0 or more.")
    if number > LARGEST_COUNT:
        raise CellError(f"{text} is too large; it must be at most {LARGEST_COUNT:,}.")
    return int(number)


def parse_boolean(text):
    value = text.lower()
    if value in ("true", "yes", "1"):
        return True
    if value in ("false", "no", "0"):
        return False
    raise CellError(f"“{text}” is not true or false.")


def code_parser(choices, what):
    """A parser that accepts a code or its label (in any case) and refuses anything else."""
    known = {}
    for code, label in choices:
        known[code.lower()] = code
        known[str(label).lower()] = code
    codes = ", ".join(code for code, _ in choices)

    def parse(text):
        try:
            return known[text.lower()]
        except KeyError:
            raise CellError(f"“{text}” is not {what}: use one of {codes}.") from None

    return parse


def limited_text(max_length):
    def parse(text):
        if len(text) > max_length:
            raise CellError(f"This is {len(text):,} characters long; at most {max_length:,} fit.")
        return text

    return parse


def name_key(text):
    """A name as imports compare it: case and repeated spaces ignored."""
    return " ".join(text.split()).casefold()


class Lookup:
    """Records by name, matched without regard to case or repeated spaces."""

    def __init__(self, pairs, what, hint=""):
        self.what, self.hint = what, hint
        self.by_name = {}
        for name, record in pairs:
            if name:
                self.by_name.setdefault(name_key(name), []).append(record)

    def get(self, name):
        found = self.by_name.get(name_key(name), [])
        distinct = list(dict.fromkeys(found))
        if not distinct:
            raise CellError(f"No {self.what} is called “{name}”.{self.hint}")
        if len(distinct) > 1:
            raise CellError(
                f"{len(distinct)} {self.what}s are called “{name}”: it is ambiguous.{self.hint}"
            )
        return distinct[0]

    def __contains__(self, name):
        return name_key(name) in self.by_name
