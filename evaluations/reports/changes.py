"""The changes made to a signed-off quarter's records, with who made them, when and why.

Read from the change history (django-simple-history), which keeps deleted
records too. A record counts when one of its versions is dated in the period
(an activity or outcome by its date, a project by its submission or decision),
so a record moved out of the quarter shows as well as one moved in. One form
save writes several history rows (the row, then each many-to-many field) with
the same request id: they are one change here. History rows have no
`for_user()`: they are narrowed to the team, whose membership the caller has
checked (every member reads the log).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q

from activities.models import Activity, Outcome, Project
from kmtracker.lib.names import display_name

ACTIONS = {"+": "added", "~": "changed", "-": "deleted"}


@dataclass(frozen=True)
class RecordKind:
    name: str
    model: type
    title: str
    url_name: str

    def dated_in(self, start, end):
        if self.model is Project:
            return Q(submitted_on__range=(start, end)) | Q(decided_on__range=(start, end))
        return Q(date__range=(start, end))


KINDS = (
    RecordKind("activity", Activity, "title", "activities:activity_detail"),
    RecordKind("outcome", Outcome, "description", "activities:outcome_detail"),
    RecordKind("project", Project, "title", "activities:project_detail"),
)


@dataclass
class SignedOffChange:
    """One change (a form save, an import row, a deletion) to a record of the quarter."""

    kind: str
    pk: int
    title: str
    action: str
    at: datetime.datetime
    by: str
    reason: str
    url_name: str

    @property
    def deleted(self):
        return self.action == "deleted"


def signed_off_changes(team, start, end, since, until=None):
    """The changes made after `since` (and up to `until`) to `team`'s records dated
    between `start` and `end`, oldest first."""
    changes = []
    for kind in KINDS:
        records = kind.model.history.filter(team_id=team.pk)
        dated = records.filter(kind.dated_in(start, end)).values("id")
        rows = records.filter(history_date__gt=since, id__in=dated)
        if until is not None:
            rows = rows.filter(history_date__lte=until)
        rows = rows.select_related("history_user").order_by("history_date", "history_id")
        grouped = {}
        for row in rows:
            key = (row.id, row.history_request_id or f"row-{row.history_id}")
            grouped.setdefault(key, []).append(row)
        for (pk, _request), group in grouped.items():
            types = {row.history_type for row in group}
            action = "deleted" if "-" in types else "added" if "+" in types else "changed"
            last = group[-1]
            reasons = [row.history_change_reason for row in group if row.history_change_reason]
            changes.append(
                SignedOffChange(
                    kind=kind.name,
                    pk=pk,
                    title=str(getattr(last, kind.title))[:120],
                    action=action,
                    at=last.history_date,
                    by=display_name(last.history_user, missing="an automatic change"),
                    reason=reasons[0] if reasons else "",
                    url_name=kind.url_name,
                )
            )
    changes.sort(key=lambda change: change.at)
    return changes
