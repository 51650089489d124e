"""Contacts named in a team's free text: one matcher per team, and redaction for evaluators.

Evaluators see contacts as pseudonyms in every contact field; here the same
holds for the free text brokers write ("Introduced Dr Brennan to the frailty
lead"): a known contact's name becomes their pseudonym, e-mail addresses and
phone numbers become [email] and [phone]. The stored text never changes;
brokers and leads read it as written.

The matcher of a team is built once per process and rebuilt when its contacts
change: its key is the team's count of contacts, their latest change and their
newest id, read in one small query, so every web process sees a change at once.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q

from activities.models import Contact
from kmtracker.lib.mentions import NAME, Matcher, fold, titled_names
from kmtracker.lib.pseudonyms import contact_pseudonym

_matchers: dict[int, tuple[tuple, Matcher]] = {}
_lock = threading.Lock()


def contacts_stamp(team) -> tuple:
    """What changes whenever a contact of `team` is added, renamed, erased or deleted."""
    stamp = Contact.objects.filter(team=team).aggregate(
        count=Count("pk"), changed=Max("updated_at"), newest=Max("pk")
    )
    return (stamp["count"], stamp["changed"], stamp["newest"])


def team_matcher(team) -> Matcher:
    """The matcher of the names of `team`'s contacts (erased contacts have none left)."""
    stamp = contacts_stamp(team)
    cached = _matchers.get(team.pk)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    people = Contact.objects.filter(team=team).active().values_list("pk", "name")
    matcher = Matcher(people.iterator() if stamp[0] else ())
    with _lock:
        _matchers[team.pk] = (stamp, matcher)
    return matcher


class Redactor:
    """Free text as one reader may read it: for evaluators, names become pseudonyms."""

    def __init__(self, team) -> None:
        self.team_id = team.pk
        self.matcher = team_matcher(team)
        self.pseudonyms: dict[int, str] = {}

    def pseudonym(self, contact_id: int) -> str:
        """The contact's pseudonym, computed once a request (a file names them often)."""
        if contact_id not in self.pseudonyms:
            self.pseudonyms[contact_id] = contact_pseudonym(self.team_id, contact_id)
        return self.pseudonyms[contact_id]

    def __call__(self, text):
        if not text:
            return text
        return self.matcher.redact(text, self.pseudonym)


def redactor_for(access):
    """The redactor of `access`'s reader, built once per request; None when they see names."""
    if access is None or access.sees_contact_names:
        return None
    redactor = getattr(access, "_text_redactor", None)
    if redactor is None:
        redactor = Redactor(access.team)
        access._text_redactor = redactor
    return redactor


def text_for(access, text):
    """`text` as `access`'s reader may read it."""
    redactor = redactor_for(access)
    return text if redactor is None else redactor(text)


def search_as_read(queryset, access, fields, terms):
    """Rows of `queryset` whose `fields`, as `access`'s reader reads them, hold every term.

    The database finds the rows that hold each term in one of the fields as stored;
    for a reader who sees pseudonyms the stored text may hold a name they never
    see, so those rows are read back, redacted and searched again: a search by a
    contact's name finds nothing that reader could not find by reading.
    """
    for term in terms:
        match = Q()
        for name in fields:
            match |= Q(**{f"{name}__icontains": term})
        queryset = queryset.filter(match)
    redactor = redactor_for(access)
    if redactor is None or not terms:
        return queryset
    folded = [fold(term) for term in terms]
    found = [
        pk
        for pk, *texts in queryset.values_list("pk", *fields).prefetch_related(None).iterator()
        if _holds_all(fold(" \n".join(redactor(text or "") for text in texts)), folded)
    ]
    return queryset.filter(pk__in=found)


def _holds_all(text, terms):
    return all(term in text for term in terms)


# Titled names not yet contacts that a hint offers to add, at most.
MAX_NEW_NAMES = 5


@dataclass
class Hints:
    """What a broker's text names: the team's contacts not yet linked to the record, the
    contacts already linked, and titled names that are no contact of the team."""

    unlinked: list = field(default_factory=list)
    linked: list = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    def __bool__(self):
        return bool(self.unlinked or self.linked or self.unknown)


def hints_for(team, text, linked_ids):
    """The hints of `text` being written for a record of `team` linked to `linked_ids`."""
    mentions = team_matcher(team).find(text)
    # A surname several contacts share ("Dr Smith") offers each of them.
    named = [m.candidates or (m.contact_id,) for m in mentions if m.kind == NAME]
    ids = list(dict.fromkeys(contact_id for ids in named for contact_id in ids))
    contacts = Contact.objects.filter(team=team).active().in_bulk(ids)
    hints = Hints()
    for contact_id in ids:
        if contact_id in contacts:
            side = hints.linked if contact_id in linked_ids else hints.unlinked
            side.append(contacts[contact_id])
    known = [(m.start, m.end) for m in mentions if m.kind == NAME]
    for start, end in titled_names(text):
        name = " ".join(text[start:end].split())
        overlaps = any(start < k_end and k_start < end for k_start, k_end in known)
        if not overlaps and name not in hints.unknown and len(hints.unknown) < MAX_NEW_NAMES:
            hints.unknown.append(name)
    return hints
