"""Imports of activities and contacts from CSV and XLSX files, with the export's columns.

An import runs in three steps: the file is read (`read_table`: size, row count,
encoding and format are checked, and any problem is a clear message, never a
server error); every row is checked against the team's data (`Importer.preview`:
each error is reported beside its row and column, unknown codes are errors,
never guesses); and only a file without errors is saved, all or nothing, in one
transaction (`Importer.save`).

Importing the same file twice adds nothing: each row has a stable key. An
activity row is already in the log when its `id` is an activity of the team, or
when the team has an activity of the same date, lead broker and title. A
contact row is already there when the team has a contact with its email, or,
without an email, with its name and organisation. Such rows are skipped, never
changed.
"""

import codecs
import contextlib
import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook

from activities.models import (
    Activity,
    ActivityType,
    Broker,
    Category,
    Community,
    Conduit,
    Contact,
    Direction,
    Organisation,
    Project,
    Setting,
    Topic,
)
from kmtracker.lib.files import restore
from kmtracker.lib.history.writing import create_with_history
from kmtracker.lib.inputs import CONTROL_CHARACTERS, as_id
from kmtracker.lib.progress import Progress

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
# New rows are inserted this many at a time, in a few queries per batch.
BATCH_SIZE = 500
ENCODINGS = {
    "utf-8": "UTF-8",
    "cp1252": "Windows-1252",
}
_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0"
NEW, EXISTING, ERROR = "new", "existing", "error"
# The largest whole number the database's integer columns hold.
LARGEST_COUNT = 2_147_483_647


class ImportFileError(Exception):
    """A file that cannot be read as a table; the message says why and what to do."""


# Reading files.


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
    if len(content) > MAX_BYTES:
        raise ImportFileError(
            f"The file is {len(content) / 1024 / 1024:.1f} MB; files of up to "
            f"{MAX_BYTES // 1024 // 1024} MB can be imported. Split it into smaller files."
        )
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
    """The records of a file up to MAX_ROWS non-empty rows under the header."""
    count = 0
    for record in records:
        if any(str(cell).strip() for cell in record if cell is not None):
            count += 1
            if count > MAX_ROWS + 1:
                raise ImportFileError(
                    f"The file has more than {MAX_ROWS:,} rows; up to {MAX_ROWS:,} can be "
                    "imported at once. Split it into smaller files."
                )
        yield record


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
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        records = list(_limited(sheet.iter_rows(values_only=True)))
        title = sheet.title
        workbook.close()
    except ImportFileError:
        raise
    except Exception:  # openpyxl raises many kinds of error on a broken file
        raise ImportFileError(
            "The file cannot be read as an Excel workbook (.xlsx). Save it again from your "
            "spreadsheet as .xlsx or as CSV UTF-8."
        ) from None
    headings, rows = _split_header(records)
    cells = [(number, [_xlsx_text(value) for value in row]) for number, row in rows]
    return [_xlsx_text(h) for h in headings], cells, f"Excel workbook, sheet “{title}”"


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


# Reading cells.


class CellError(Exception):
    """A cell that cannot be imported; the message says why."""


def split_list(text):
    return [part.strip() for part in text.split(";") if part.strip()]


def parse_date(text):
    """`YYYY-MM-DD` (as exported) or `DD/MM/YYYY` (as UK spreadsheets show dates)."""
    for form in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, form).date()
        except ValueError:
            continue
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


def _key(text):
    return " ".join(text.split()).casefold()


class Lookup:
    """Records by name, matched without regard to case or repeated spaces."""

    def __init__(self, pairs, what, hint=""):
        self.what, self.hint = what, hint
        self.by_name = {}
        for name, record in pairs:
            if name:
                self.by_name.setdefault(_key(name), []).append(record)

    def get(self, name):
        found = self.by_name.get(_key(name), [])
        distinct = list(dict.fromkeys(found))
        if not distinct:
            raise CellError(f"No {self.what} is called “{name}”.{self.hint}")
        if len(distinct) > 1:
            raise CellError(
                f"{len(distinct)} {self.what}s are called “{name}”: it is ambiguous.{self.hint}"
            )
        return distinct[0]

    def __contains__(self, name):
        return _key(name) in self.by_name


# Checking rows.


@dataclass(frozen=True)
class Field:
    """A column an import reads: its export heading, whether it must have a value, and
    how its text is parsed (`parse(text)` for plain fields; the importer's
    `parse_<name>` method otherwise)."""

    name: str
    required: bool = False
    parse: object = None


@dataclass
class RowResult:
    """One row of the file after checking: its status, values and errors by column."""

    number: int
    status: str = NEW
    values: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)  # (column, value, message)
    note: str = ""
    summary: str = ""

    def error(self, column, value, message):
        self.errors.append((column, value, message))
        self.status = ERROR


@dataclass
class Preview:
    """What an import of a Table would do, row by row, with the headings' mapping."""

    importer: object
    table: Table
    mapping: list  # for each file column: the field name it is read as, or ""
    problems: list = field(default_factory=list)  # about the columns, not a row
    results: list = field(default_factory=list)

    def count(self, status):
        return sum(1 for result in self.results if result.status == status)

    @property
    def new(self):
        return self.count(NEW)

    @property
    def existing(self):
        return self.count(EXISTING)

    @property
    def with_errors(self):
        return self.count(ERROR)

    @property
    def error_count(self):
        return sum(len(result.errors) for result in self.results)

    @property
    def can_import(self):
        return not self.problems and not self.with_errors and self.new > 0

    @property
    def columns(self):
        """(index, heading, field name, whether the field is read) of each file column."""
        readable = self.importer.field_names
        return [
            (index, heading, name, name in readable)
            for index, (heading, name) in enumerate(
                zip(self.table.headings, self.mapping, strict=True)
            )
        ]


class Importer:
    """Checks and saves rows of one kind for one team, as the user in `access`.

    Subclasses declare `fields` (the export columns they read) and
    `ignored` (export columns they accept but do not read).
    """

    kind = ""
    title = ""
    skipped = ""  # when a row is already there, for the data dictionary
    fields = ()
    ignored = ()

    def __init__(self, access):
        self.access = access
        self.team = access.team

    @property
    def field_names(self):
        return [f.name for f in self.fields]

    @property
    def required(self):
        return [f.name for f in self.fields if f.required]

    def default_mapping(self, headings):
        known = set(self.field_names) | set(self.ignored)
        return [heading if heading in known else "" for heading in headings]

    def preview(self, table, mapping=None):
        """Check every row of `table` read with `mapping`; nothing is saved."""
        mapping = list(mapping) if mapping is not None else self.default_mapping(table.headings)
        preview = Preview(self, table, mapping)
        preview.problems = self._column_problems(table, mapping)
        if any(name in self.required for name in self._missing(mapping)):
            return preview
        rows = [(number, self._cells(cells, mapping)) for number, cells in table.rows]
        self.load([cells for _, cells in rows])
        preview.results = [self.check(number, cells) for number, cells in rows]
        self.check_repeats(preview.results)
        return preview

    def _missing(self, mapping):
        return [name for name in self.field_names if name not in mapping]

    def _column_problems(self, table, mapping):
        problems = []
        missing = [name for name in self._missing(mapping) if name in self.required]
        if missing:
            problems.append(
                "The file has no column "
                + ", ".join(f"“{name}”" for name in missing)
                + ": add it, or choose which of the file's columns holds it."
            )
        seen = {}
        for heading, name in zip(table.headings, mapping, strict=True):
            if name and name in seen:
                problems.append(
                    f"Two columns are read as “{name}”: “{seen[name]}” and “{heading}”. Choose one."
                )
            seen.setdefault(name, heading)
        return problems

    def _cells(self, cells, mapping):
        values = {}
        for index, name in enumerate(mapping):
            if name and name in self.field_names:
                values[name] = cells[index] if index < len(cells) else ""
        values["_extra"] = [cell for cell in cells[len(mapping) :] if cell]
        return values

    def check(self, number, cells):
        result = RowResult(number)
        if cells.pop("_extra"):
            result.error("", "", "This row has more cells than the header has columns.")
        for spec in self.fields:
            text = cells.get(spec.name, "")
            if not text:
                if spec.required:
                    result.error(spec.name, "", "This column must have a value.")
                continue
            parse = spec.parse or getattr(self, f"parse_{spec.name}")
            try:
                result.values[spec.name] = parse(text)
            except CellError as error:
                result.error(spec.name, text, str(error))
        self.check_row(result)
        return result

    def load(self, rows):
        """Fetch, in a fixed number of queries, what checking `rows` needs."""

    def check_row(self, result):
        """Checks across the columns of one row, and whether it is already there."""

    def check_repeats(self, results):
        """Two rows of the file with the same key: the later one is an error."""
        first = {}
        for result in results:
            if result.status != NEW:
                continue
            key = self.key(result.values)
            if key is None:
                continue
            if key in first:
                result.error("", "", f"This row repeats row {first[key]} ({self.key_label}).")
            else:
                first[key] = result.number

    def key(self, values):
        return None

    key_label = ""

    def save(self, table, mapping=None, progress_out=None):
        """Check again and, when no row has an error, save every new row in one transaction.

        Returns the Preview; nothing is saved when it cannot be imported. Rows are
        saved in batches of BATCH_SIZE, reporting progress to `progress_out`.
        """
        with transaction.atomic():
            preview = self.preview(table, mapping)
            if not preview.can_import:
                return preview
            new = [result.values for result in preview.results if result.status == NEW]
            progress = (
                Progress(progress_out, f"{self.kind} saved", len(new)) if progress_out else None
            )
            for start in range(0, len(new), BATCH_SIZE):
                batch = new[start : start + BATCH_SIZE]
                self.create(batch)
                if progress is not None:
                    progress.advance(len(batch))
        return preview

    @property
    def author(self):
        """The user recorded as having created the rows (none for the shell)."""
        user = self.access.user
        return user if getattr(user, "pk", None) else None

    def create(self, rows):
        """Save the checked values of new rows."""
        raise NotImplementedError


class ActivityImporter(Importer):
    kind = "activities"
    title = "activities"
    key_label = "same date, lead broker and title"
    skipped = (
        "its `id` is an activity of the team, or the team has an activity with its `date`, "
        "`lead_broker` and `title`"
    )
    fields = (
        Field("id", parse=parse_count),
        Field("date", required=True, parse=parse_date),
        Field("lead_broker", required=True),
        Field("co_brokers"),
        Field("category", parse=code_parser(Category.choices, "a category")),
        Field("activity_type", required=True),
        Field("title", required=True, parse=limited_text(250)),
        Field("description", parse=str),
        Field("duration_minutes", parse=parse_count),
        Field("setting", parse=code_parser(Setting.choices, "a setting")),
        Field("direction", parse=code_parser(Direction.choices, "a direction")),
        Field("conduits"),
        Field("contacts"),
        Field("organisations"),
        Field("topics"),
        Field("attendees", parse=parse_count),
        Field("project"),
        Field("follow_up", parse=parse_date),
    )
    ignored = ("team", "contact_communities", "outcomes", "created_by", "created_at", "updated_at")

    def load(self, rows):
        team = self.team
        brokers = list(Broker.objects.for_team(team).select_related("user"))
        self.brokers = Lookup(
            [(b.name, b) for b in brokers] + [(b.user.get_username(), b) for b in brokers],
            "broker of this team",
            " Write the broker's full name or username.",
        )
        self.types = Lookup(
            [(t.name, t) for t in ActivityType.objects.for_team(team)],
            "activity type of this team",
        )
        self.contacts = Lookup(
            [(c.name, c) for c in Contact.objects.for_team(team)],
            "contact of this team",
            " Import or add the contact first.",
        )
        self.organisations = Lookup(
            [(o.name, o) for o in Organisation.objects.all()],
            "organisation",
            " Add it first (from a contact, or by importing contacts).",
        )
        self.projects = Lookup(
            [(p.title, p) for p in Project.objects.for_team(team)], "project of this team"
        )
        self.conduits = code_parser([(c.code, c.label) for c in Conduit.objects.all()], "a conduit")
        ids = [pk for pk in (as_id(row.get("id")) for row in rows) if pk is not None]
        self.existing_ids = set(
            Activity.objects.for_team(team).filter(pk__in=ids).values_list("pk", flat=True)
        )
        dates = []
        for row in rows:
            with contextlib.suppress(CellError):
                dates.append(parse_date(row.get("date", "")))
        self.existing_keys = set()
        if dates:
            logged = Activity.objects.for_team(team).filter(date__range=(min(dates), max(dates)))
            self.existing_keys = {
                (day, broker_id, _key(title))
                for day, broker_id, title in logged.values_list("date", "lead_broker_id", "title")
            }

    def parse_lead_broker(self, text):
        return self.brokers.get(text)

    def parse_co_brokers(self, text):
        return self._each(text, self.brokers.get)

    def parse_activity_type(self, text):
        return self.types.get(text)

    def parse_conduits(self, text):
        return self._each(text, self.conduits)

    def parse_contacts(self, text):
        return self._each(text, self.contacts.get)

    def parse_organisations(self, text):
        return self._each(text, self.organisations.get)

    def parse_topics(self, text):
        return [name[:80] for name in dict.fromkeys(split_list(text))]

    def parse_project(self, text):
        return self.projects.get(text)

    @staticmethod
    def _each(text, parse):
        found, problems = [], []
        for part in split_list(text):
            try:
                found.append(parse(part))
            except CellError as error:
                problems.append(str(error))
        if problems:
            raise CellError(" ".join(problems))
        return list(dict.fromkeys(found))

    def check_row(self, result):
        values = result.values
        result.summary = " · ".join(
            str(part)
            for part in (values.get("date"), values.get("title"), values.get("lead_broker"))
            if part
        )
        if values.get("id") in self.existing_ids:
            self._exists(result, f"Activity {values['id']} of this team.")
            return
        key = self.key(values)
        if key in self.existing_keys:
            self._exists(
                result, "An activity of this team has the same date, lead broker and title."
            )
            return
        activity_type, category = values.get("activity_type"), values.get("category")
        if activity_type and category and activity_type.category != category:
            result.error(
                "category",
                category,
                f"“{activity_type}” is a type of {activity_type.category}, not of {category}.",
            )
        lead = values.get("lead_broker")
        if lead:
            values["co_brokers"] = [b for b in values.get("co_brokers", []) if b != lead]
        own = self.access.broker if not self.access.is_lead else None
        if own is not None and lead and lead != own and own not in values["co_brokers"]:
            result.error(
                "lead_broker",
                lead.name,
                "You can import only work you lead or co-broker: add yourself as a co-broker.",
            )

    @staticmethod
    def _exists(result, note):
        """The row is already in the log: it is skipped, whatever else it holds."""
        result.status, result.errors, result.note = EXISTING, [], note

    def key(self, values):
        if not all(values.get(name) for name in ("date", "lead_broker", "title")):
            return None
        return (values["date"], values["lead_broker"].pk, _key(values["title"]))

    def create(self, rows):
        topics = self._topics([name for values in rows for name in values.get("topics", [])])
        activities, links = [], {name: [] for name in self.LINKS}
        for values in rows:
            activity = self._activity(values)
            activities.append(activity)
            for name in self.LINKS:
                for target in values.get(name, []):
                    links[name].append(
                        (activity, topics[_key(target)] if name == "topics" else target)
                    )
        return create_with_history(activities, links, self.author)

    LINKS = ("co_brokers", "conduits", "contacts", "organisations", "topics")

    def _activity(self, values):
        activity_type = values["activity_type"]
        return Activity(
            team=self.team,
            date=values["date"],
            lead_broker=values["lead_broker"],
            category=values.get("category") or activity_type.category,
            activity_type=activity_type,
            title=values["title"],
            description=values.get("description", ""),
            duration_minutes=values.get("duration_minutes"),
            setting=values.get("setting", ""),
            direction=values.get("direction") or Direction.UNCLEAR,
            attendees=values.get("attendees"),
            project=values.get("project"),
            follow_up_date=values.get("follow_up"),
            created_by=self.author,
        )

    def _topics(self, names):
        """The team's topics by name, adding those the rows name for the first time."""
        known = {_key(topic.name): topic for topic in Topic.objects.for_team(self.team)}
        new = {}
        for name in names:
            if _key(name) not in known:
                new.setdefault(_key(name), Topic(team=self.team, name=name))
        known.update(zip(new, Topic.objects.bulk_create(new.values()), strict=True))
        return known


class ContactImporter(Importer):
    kind = "contacts"
    title = "contacts"
    key_label = "same email, or same name and organisation"
    skipped = (
        "the team has a contact with its `email`, or, for a row without an email, with its "
        "`name` and `organisation`"
    )
    fields = (
        Field("name", required=True, parse=lambda text: limited_text(200)(" ".join(text.split()))),
        Field("job_title", parse=limited_text(200)),
        Field("organisation"),
        Field(
            "organisation_kind",
            parse=code_parser(Organisation.Kind.choices, "an organisation kind"),
        ),
        Field("community", required=True, parse=code_parser(Community.choices, "a community")),
        Field("email"),
        Field("phone", parse=lambda text: limited_text(40)(" ".join(text.split()))),
        Field("notes", parse=str),
        Field("consent_note", parse=str),
        Field("erased", parse=parse_boolean),
    )
    ignored = ("id", "pseudonym", "first_engaged", "activities", "created_at", "updated_at")

    def load(self, rows):
        self.organisations = {_key(o.name): o for o in Organisation.objects.all()}
        contacts = list(Contact.objects.for_team(self.team))
        self.emails = {c.email.casefold() for c in contacts if c.email}
        self.names = {(_key(c.name), c.organisation_id) for c in contacts}

    def parse_organisation(self, text):
        return limited_text(200)(" ".join(text.split()))

    def parse_email(self, text):
        email = text.strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise CellError(f"“{text}” is not an email address.") from None
        if len(email) > 254:
            raise CellError("This email address is too long.")
        return email

    def check_row(self, result):
        values = result.values
        result.summary = " · ".join(
            part for part in (values.get("name"), values.get("organisation")) if part
        )
        name = values.get("organisation")
        organisation = self.organisations.get(_key(name)) if name else None
        values["organisation_record"] = organisation
        email = values.get("email")
        if email and email.casefold() in self.emails:
            result.status, result.errors = EXISTING, []
            result.note = "A contact of this team has this email address."
            return
        if not email and values.get("name"):
            org_id = organisation.pk if organisation else None
            if (_key(values["name"]), org_id) in self.names:
                result.status, result.errors = EXISTING, []
                result.note = "A contact of this team has this name and organisation."
                return
        if name and organisation is None and not values.get("organisation_kind"):
            result.error(
                "organisation",
                name,
                f"No organisation is called “{name}”: give its kind in organisation_kind "
                "to add it.",
            )

    def key(self, values):
        if values.get("email"):
            return ("email", values["email"].casefold())
        if values.get("name"):
            return ("name", _key(values["name"]), _key(values.get("organisation") or ""))
        return None

    def create(self, rows):
        contacts = []
        for values in rows:
            erased = values.get("erased", False)
            contact = Contact(
                team=self.team,
                name=values["name"],
                organisation=self._organisation(values),
                community=values["community"],
                erased_at=timezone.now() if erased else None,
            )
            if not erased:  # an erased contact's details are gone for good
                for column in Contact.PERSONAL_FIELDS:
                    setattr(contact, column, values.get(column, ""))
            contacts.append(contact)
        return create_with_history(contacts, {}, self.author)

    def _organisation(self, values):
        """The row's organisation; one not yet known is added (rows may share a new one)."""
        name = values.get("organisation")
        if not name:
            return None
        organisation = values.get("organisation_record") or self.organisations.get(_key(name))
        if organisation is None:
            organisation = Organisation.objects.create(name=name, kind=values["organisation_kind"])
            self.organisations[_key(name)] = organisation
        return organisation


IMPORTERS = {importer.kind: importer for importer in (ActivityImporter, ContactImporter)}
