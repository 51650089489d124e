"""The README's "Data dictionary" section, generated from the export and import declarations.

`python manage.py data_dictionary` prints it; tests/activities/test_data_dictionary.py
fails when the README's copy differs, so that the documentation cannot drift
from the files the app writes.
"""

import textwrap

from activities.imports import IMPORTERS, MAX_BYTES, MAX_ROWS
from kmtracker.lists.exports import TYPES, all_exports

START = "## Data dictionary"
WIDTH = 78

INTRODUCTION = [
    "Every list exports what it shows at its own address with `?export=csv` (or "
    "`?export=xlsx`) and the list's filters, all rows at once, in the list's order; the "
    "activity list also gives the activity–contact links with "
    "`?export=csv&table=activity_contacts`. Files are UTF-8 (add `&bom=1` for a "
    "byte-order mark, which older versions of Excel need to show accents), with one "
    "header row and one row per record, and are named `<team>-<table>-<date>.csv`. "
    "`python manage.py export_csv <team> <table> [--filter key=value ...] [--as-user "
    "USER]` writes the same files from scripts, and the app's *Data dictionary* page "
    "shows what follows.",
    "Text that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, "
    "a tab or a carriage return, or their full-width forms, possibly after spaces) is "
    "written after an apostrophe in CSV files: `'=A1`, and a phone number "
    "`'+44 117 496 0000` (the apostrophe keeps the plus sign as text). Imports remove "
    "that apostrophe again. XLSX files hold such text unaltered, in text cells. "
    "Numbers are never altered.",
    "Evaluators' exports show contacts as pseudonyms (`C-` and 8 characters from a "
    "keyed hash, the same in every export of the team) and leave the personal columns "
    "of contacts.csv empty: no contact's name, job title, email, phone, notes or "
    "consent note is written.",
]


def markdown():
    """The whole section, from its heading to the line before the next section."""
    lines = [START, ""]
    lines += _paragraphs(*INTRODUCTION)
    lines += ["| type | meaning |", "| --- | --- |"]
    lines += [f"| {name} | {_cell(meaning)} |" for name, meaning in TYPES.items()]
    for export in all_exports():
        lines += ["", f"### {export.name}.csv: {export.title}", ""]
        lines += _paragraphs(export.description)
        lines += ["| column | type | meaning |", "| --- | --- | --- |"]
        for column in export.columns:
            lines.append(f"| `{column.heading}` | {column.type} | {_cell(meaning_of(column))} |")
    lines += ["", "### Imports", ""]
    lines += _paragraphs(
        f"Activities and contacts import from CSV or XLSX files of up to "
        f"{MAX_BYTES // 1024 // 1024} MB and {MAX_ROWS:,} rows with the export's column "
        "names (`/teams/<team>/activities/import/`, `/teams/<team>/contacts/import/`, or "
        "`python manage.py import_csv <team> <kind> FILE [--dry-run] [--user USER]`). "
        "Other headings can be mapped to these names in the preview. Every row is "
        "checked first; a file with any error imports nothing. Codes may be written as "
        "codes or as their labels; anything else is an error. Dates are `YYYY-MM-DD` "
        "or `DD/MM/YYYY`; several values in one cell are separated by `;`."
    )
    lines += ["| kind | columns read (**required**) | accepted, not read | skipped when |"]
    lines += ["| --- | --- | --- | --- |"]
    for importer in IMPORTERS.values():
        read = ", ".join(
            f"**`{f.name}`**" if f.required else f"`{f.name}`" for f in importer.fields
        )
        ignored = ", ".join(f"`{name}`" for name in importer.ignored)
        lines.append(f"| {importer.kind} | {read} | {ignored} | {_cell(importer.skipped)} |")
    return "\n".join(lines) + "\n"


def meaning_of(column):
    """A column's meaning with its codes, and whether evaluators see it empty."""
    text = column.meaning
    if column.personal:
        text += " Personal: empty in evaluators' exports."
    if column.redact is not None:
        text += (
            " In evaluators' exports, contacts named in it read as their pseudonyms and"
            " e-mail addresses and phone numbers as `[email]` and `[phone]`."
        )
    if column.codes:
        text += " Codes: " + ", ".join(f"`{code}`" for code in column.codes) + "."
    return text


def _cell(text):
    return text.replace("|", "\\|")


def _paragraphs(*paragraphs):
    lines = []
    for paragraph in paragraphs:
        lines += textwrap.wrap(paragraph, WIDTH, break_on_hyphens=False) + [""]
    return lines


def section_of(readme):
    """The data dictionary section of the README's text ("" when it has none)."""
    start = readme.find(START + "\n")
    if start < 0:
        return ""
    end = readme.find("\n## ", start + len(START))
    return readme[start : end + 1 if end >= 0 else len(readme)]
