"""Which days of a team's log are in a signed-off quarter.

The sign-off belongs to the reports (`evaluations`), a layer above the log that
asks: the forms of the log ask here, and the reports answer by registering
`provide_signed_off_quarters` when the project starts.
"""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class SignedOffQuarter:
    label: str
    start: date
    end: date

    def covers(self, day):
        return day is not None and self.start <= day <= self.end


_providers = []


def provide_signed_off_quarters(provider):
    """Register `provider(team)`, which returns the team's signed-off quarters."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def signed_off_quarters(team):
    return [quarter for provider in _providers for quarter in provider(team)]


def signed_off_quarter_of(team, days, quarters=None):
    """The first signed-off quarter of `team` that covers one of `days`, or None."""
    quarters = signed_off_quarters(team) if quarters is None else quarters
    for day in days:
        for quarter in quarters:
            if quarter.covers(day):
                return quarter
    return None


class SignedOffGuard:
    """What a change to a record dated in a signed-off quarter asks of its editor.

    `quarter` is the signed-off quarter of the record's dates, old or new (None
    when there is none); `locked` is true when the team lets only its leads
    change such records and the editor is not one.
    """

    def __init__(self, access, days):
        self.access = access
        self.quarter = signed_off_quarter_of(access.team, [day for day in days if day])
        self.locked = bool(
            self.quarter and access.team.lock_signed_off_quarters and not access.is_lead
        )

    @property
    def applies(self):
        return self.quarter is not None

    def locked_message(self, what="record"):
        return (
            f"{self.quarter.label} is signed off and the team has locked signed-off "
            f"quarters: only a team lead may add, change or delete a {what} dated in it. "
            "Ask your team lead to make this change."
        )

    def warning(self, what="record"):
        return (
            f"This {what} is dated in {self.quarter.label}, whose report is signed off. "
            "Saving changes the quarter's figures: say why, and your team lead will see "
            "the change and its reason beside the report."
        )
