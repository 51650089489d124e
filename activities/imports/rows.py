"""Checking the rows of a table and saving them, all or nothing: what every import shares."""

import contextlib
from dataclasses import dataclass, field

from django.db import transaction

from activities.imports.cells import CellError
from kmtracker.lib.history.writing import change_reason, current_change_reason
from kmtracker.lib.progress import Progress
from kmtracker.lib.tables import Table
from teams.models import Team
from teams.signoff import SignedOffGuard

# New rows are inserted this many at a time, in a few queries per batch.
BATCH_SIZE = 500
NEW, EXISTING, ERROR = "new", "existing", "error"


@dataclass(frozen=True)
class Field:
    """A column an import reads: its export heading, whether it must have a value, and
    how its text is parsed (`parse(text)` for plain fields; the importer's
    `parse_<name>` method otherwise)."""

    name: str
    required: bool = False
    parse: object = None


@dataclass
class Choice:
    """A question the preview asks about one row (which contact a name means, whether a
    row is someone the team has): the person answers in the preview, applied on confirm."""

    name: str  # the form field carrying the answer
    question: str
    options: list  # (value, label)
    chosen: str = ""


@dataclass
class RowResult:
    """One row of the file after checking: its status, values and errors by column."""

    number: int
    status: str = NEW
    values: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)  # (column, value, message)
    note: str = ""
    summary: str = ""
    choices: list = field(default_factory=list)

    @property
    def unanswered(self):
        return [choice for choice in self.choices if not choice.chosen]

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
    # The new rows' signed-off quarter, if any (a SignedOffGuard), and the importer's reason.
    signed_off: object = None
    reason: str = ""

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
    def can_confirm(self):
        """Nothing wrong with the file: the confirm form shows, with any questions."""
        return not self.problems and not self.with_errors and self.new > 0

    @property
    def unanswered(self):
        """The rows with a question not yet answered."""
        return [result for result in self.results if result.unanswered]

    @property
    def in_signed_off_quarter(self):
        return self.signed_off is not None and self.signed_off.applies

    @property
    def locked(self):
        """The new rows fall in a signed-off quarter that only the team's leads may change."""
        return self.in_signed_off_quarter and self.signed_off.locked

    @property
    def needs_reason(self):
        return self.in_signed_off_quarter and not self.reason

    @property
    def can_import(self):
        ready = self.can_confirm and not self.unanswered
        return ready and not self.locked and not self.needs_reason

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
    # The dates that place a new row in a quarter: rows dated in a signed-off one need a
    # reason to be imported (as a form asks), and a lead when the team locks such quarters.
    signed_off_dates = ()

    def __init__(self, access, answers=None, reason=""):
        self.access = access
        self.team = access.team
        # The preview's answers to its questions: {field name: value}.
        self.answers = answers or {}
        # Why rows are added to a signed-off quarter; a command gives its own name.
        self.reason = (reason or "").strip() or current_change_reason() or ""
        self.row = None

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
        if self.signed_off_dates:
            days = [
                result.values.get(name)
                for result in preview.results
                if result.status == NEW
                for name in self.signed_off_dates
            ]
            preview.signed_off, preview.reason = SignedOffGuard(self.access, days), self.reason
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

    def ask(self, question, options, default=""):
        """Ask the person about the row being checked; the value they chose (`default`
        until they answer, "" for none), always one of `options`."""
        name = f"choose-{self.row.number}-{len(self.row.choices)}"
        values = {str(value) for value, _label in options}
        answer = self.answers.get(name, default)
        chosen = answer if answer in values else ""
        self.row.choices.append(Choice(name, question, options, chosen))
        return chosen

    def check(self, number, cells):
        result = RowResult(number)
        self.row = result
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

        One import of a team at a time (its row is locked until this one commits), so
        that "already there" is decided after any import running alongside has saved:
        two uploads of one file, confirmed together, import its rows once.
        """
        with transaction.atomic():
            Team.objects.select_for_update().filter(pk=self.access.team.pk).exists()
            preview = self.preview(table, mapping)
            if not preview.can_import:
                return preview
            new = [result.values for result in preview.results if result.status == NEW]
            progress = (
                Progress(progress_out, f"{self.kind} saved", len(new)) if progress_out else None
            )
            # Rows added to a signed-off quarter carry the reason, shown beside its report.
            with change_reason(preview.reason) if preview.reason else _no_reason():
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


_no_reason = contextlib.nullcontext
