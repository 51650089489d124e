"""The figures a board asks about first, each with its change on the previous quarter.

They are rows of the report's figures (the frozen ones once signed off), read by
their keys: nothing is computed twice, so the summary always agrees with the tables.
"""

from dataclasses import dataclass

# (row key, label) in the order a board reads them.
KEY_FIGURES = (
    ("activities.total", "Activities"),
    ("contacts.total", "People engaged"),
    ("new_contacts.total", "New people engaged"),
    ("events.total", "Events held"),
    ("attendees.total", "Attendees"),
    ("projects.submitted", "Bids submitted"),
    ("projects.requested", "Amount requested"),
    ("projects.funded", "Bids funded"),
    ("projects.awarded", "Amount awarded"),
    ("outcomes.total", "Outcomes"),
)


@dataclass(frozen=True)
class KeyFigure:
    key: str
    label: str
    unit: str
    current: object
    previous: object

    @property
    def change(self):
        """The change on the previous quarter, without its sign."""
        return abs(self.current - self.previous)

    @property
    def direction(self):
        if self.current > self.previous:
            return "up"
        if self.current < self.previous:
            return "down"
        return "same"

    @property
    def arrow(self):
        return {"up": "↑", "down": "↓", "same": "→"}[self.direction]


def key_figures(figures):
    """The KEY_FIGURES found in `figures` (a ReportFigures), this quarter against the last."""
    rows = {row.key: row for _title, row in figures.rows()}
    return [
        KeyFigure(key, label, row.unit, row.values[0], row.values[1])
        for key, label in KEY_FIGURES
        if (row := rows.get(key)) is not None
    ]
