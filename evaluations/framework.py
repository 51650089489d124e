"""A study's framework of themes: the default drawn from the seed evaluation, and the
framework as CSV (`theme, sub_theme, description`), exported and imported.

An import adds what the file has and the framework lacks, and updates
descriptions; it never deletes a theme (excerpts may be coded to it). Every
row is checked first: one bad row and nothing is saved.
"""

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from activities.models import Category
from evaluations.models import Theme
from kmtracker.lib.files import restore

MAX_FRAMEWORK_BYTES = 512 * 1024
NAME_LENGTH = 120

# The Bristol evaluation's framework: the four kinds of activity, what helped and
# hindered the brokers, and the changes both communities noticed.
DEFAULT_FRAMEWORK = [
    (
        "Activities",
        "What the knowledge mobilisation team did: the four kinds of activity.",
        [
            (Category.RELATIONSHIP_BUILDING.label, "Introductions; attending meetings to "
             "translate between the research and commissioning communities."),
            (Category.AWARENESS_RAISING.label, "Seminars, presentations and newsletters in "
             "commissioning and academic settings."),
            (Category.ADVICE_CONSULTATION.label, "Identifying opportunities for evaluation; "
             "explaining the commissioning landscape."),
            (Category.COLLABORATIVE_PROJECT.label, "Evaluations and co-produced research bids "
             "developed by researchers, commissioners and clinicians together."),
        ],
    ),
    (
        "Enablers",
        "What made brokering possible or easier.",
        [
            ("Organisational stability", "Stable, solvent organisations; secure funding."),
            ("Senior involvement", "Senior staff involved; good inter-professional relationships."),
            ("Networks of allies", "Engaged allies in the host organisations."),
            ("Two-way embedding", "Brokers embedded in both the academic and the "
             "commissioning organisation."),
            ("Buddying up", "NHS fellows paired with researchers-in-residence."),
            ("Team leadership", "Leadership of the team and collective support."),
            ("Interpersonal skills", "The brokers' own skills in building relationships."),
            ("Contracts", "Two-year, part-time secondments."),
        ],
    ),
    (
        "Challenges",
        "What made brokering harder.",
        [
            ("Too many taskmasters", "Competing demands from several organisations."),
            ("Unrealistic expectations", "Expectations of what brokers could achieve."),
            ("Work overload", "More work than the time available."),
        ],
    ),
    (
        "Impact",
        "Changes that researchers and commissioners noticed in themselves or others.",
        [
            ("Attitude", "Views of the other community and of working together."),
            ("Knowledge", "Knowing about research, commissioning and each other."),
            ("Skills", "Being able to do something new, such as co-producing a bid."),
            ("Confidence", "Confidence to work across the two communities."),
        ],
    ),
]  # fmt: skip


def add_default_framework(study):
    """Give `study` the default themes it does not have yet; returns how many were added."""
    rows = [(theme, "", description) for theme, description, _ in DEFAULT_FRAMEWORK]
    for theme, _, children in DEFAULT_FRAMEWORK:
        rows += [(theme, name, description) for name, description in children]
    return apply_rows(study, [FrameworkRow(*row) for row in rows], update_descriptions=False)


@dataclass
class FrameworkRow:
    theme: str
    sub_theme: str
    description: str


def read_framework_csv(upload):
    """The rows of an uploaded framework CSV; ValidationError listing every problem."""
    if upload.size > MAX_FRAMEWORK_BYTES:
        raise ValidationError("This file is too large for a framework (the limit is 512 KB).")
    data = upload.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError("This file is not a CSV file saved as UTF-8.") from error
    if "\x00" in text:
        raise ValidationError("This file is not a CSV file: it holds binary data.")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in ("theme", "sub_theme") if name not in header]
    if missing:
        raise ValidationError(
            "The first row must name the columns theme, sub_theme and description; "
            f"missing: {', '.join(missing)}."
        )
    reader.fieldnames = header
    rows, errors = [], []
    for line, record in enumerate(reader, start=2):
        row = FrameworkRow(
            _restore(record.get("theme")),
            _restore(record.get("sub_theme")),
            _restore(record.get("description")),
        )
        if not row.theme and not row.sub_theme:
            continue
        if not row.theme:
            errors.append(f"Row {line}: a sub-theme needs its theme in the theme column.")
        for name in (row.theme, row.sub_theme):
            if len(name) > NAME_LENGTH:
                errors.append(
                    f"Row {line}: “{name[:30]}…” is longer than {NAME_LENGTH} characters."
                )
        rows.append(row)
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError("This file has no themes.")
    return rows


def _restore(value):
    """A cell's text, without the apostrophe an export put before formula-like text."""
    return restore((value or "").strip())


@transaction.atomic
def apply_rows(study, rows, update_descriptions=True):
    """Add the themes of `rows` that `study` lacks (matching names case-insensitively)."""
    themes = {
        (theme.parent.name.lower() if theme.parent_id else "", theme.name.lower()): theme
        for theme in Theme.objects.filter(study=study).select_related("parent")
    }
    positions = {}
    for theme in themes.values():
        key = theme.parent_id or 0
        positions[key] = max(positions.get(key, -1), theme.position)
    added = 0

    def ensure(parent, name, description):
        nonlocal added
        key = (parent.name.lower() if parent else "", name.lower())
        theme = themes.get(key)
        if theme is None:
            slot = parent.pk if parent else 0
            positions[slot] = positions.get(slot, -1) + 1
            theme = Theme.objects.create(
                study=study,
                parent=parent,
                name=name,
                description=description,
                position=positions[slot],
            )
            themes[key] = theme
            added += 1
        elif description and update_descriptions and theme.description != description:
            theme.description = description
            theme.save(update_fields=["description"])
        return theme

    for row in rows:
        top = ensure(None, row.theme, "" if row.sub_theme else row.description)
        if row.sub_theme:
            ensure(top, row.sub_theme, row.description)
    return added
