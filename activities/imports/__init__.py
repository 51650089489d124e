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

from activities.imports.activity import ActivityImporter
from activities.imports.contact import ContactImporter
from activities.imports.rows import ERROR, EXISTING, NEW, Importer, Preview
from kmtracker.lib.tables import (
    ENCODINGS,
    MAX_BYTES,
    MAX_ROWS,
    ImportFileError,
    Table,
    normalise_heading,
    read_table,
)

IMPORTERS = {importer.kind: importer for importer in (ActivityImporter, ContactImporter)}

__all__ = [
    "ENCODINGS",
    "ERROR",
    "EXISTING",
    "IMPORTERS",
    "MAX_BYTES",
    "MAX_ROWS",
    "NEW",
    "ActivityImporter",
    "ContactImporter",
    "ImportFileError",
    "Importer",
    "Preview",
    "Table",
    "normalise_heading",
    "read_table",
]
