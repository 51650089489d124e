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
