"""Erasing a contact on request: their record, and their name wherever the team wrote it.

`Contact.erase()` anonymises the record and its history. `erase_contact()` does
that and, in the same transaction, replaces every form of the person's name
("Dr Brennan", "Brennan, Ayesha", "Brennan's"), and their own e-mail address and
phone number, with "[erased contact]" in every free-text field of the team and
in the history records of those fields. Other apps scrub their own records
(reflective entries, report narratives) by answering the `erasing` signal.
What the product keeps of people's own doing goes too: the searches recorded in
the team's access log (its one allowed change, `AccessRecord.objects.redact()`)
and the admin's recent actions (LogEntry, the site's, not a team's: every entry
naming the person).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.admin.models import LogEntry
from django.db import transaction
from django.db.models import F, Q
from django.dispatch import Signal

from activities.models import Activity, Contact, Outcome, Project
from audit.models import AccessRecord
from kmtracker.lib.mentions import (
    EMAIL,
    NAME,
    PHONE,
    POSSESSIVE,
    TOKEN,
    Matcher,
    fold,
    name_parts,
)

ERASED = "[erased contact]"

# Sent inside the erasure's transaction with `scrubber` (a Scrubber); each receiver
# scrubs its app's records and answers {what, plural: rows changed}.
erasing = Signal()

# The brokering log's free text, by model: what `erase_contact` scrubs here.
FREE_TEXT = (
    (Activity, ("title", "description"), ("activity", "activities")),
    (Outcome, ("description", "evidence"), ("outcome", "outcomes")),
    (Project, ("title", "description", "funder"), ("project", "projects")),
    (Contact, ("notes",), ("contact's notes", "contacts' notes")),
)


def _digits(number: str) -> str:
    digits = re.sub(r"\D", "", number)
    return "0" + digits[2:] if digits.startswith("44") else digits


class Scrubber:
    """Finds one contact in text, and writes the text without them."""

    def __init__(self, contact: Contact) -> None:
        self.contact_id = contact.pk
        self.matcher = Matcher([(contact.pk, contact.name)])
        self.email = contact.email.casefold()
        self.phone = _digits(contact.phone) if contact.phone else ""
        words = name_parts(contact.name)
        self.words = {word for word in words if len(word) > 1}  # not initials
        surface = {match.group() for match in TOKEN.finditer(contact.name)}
        # What the database looks for first: any word of the name, as written or folded, the
        # e-mail address, the phone number's last four digits (its spaces vary).
        self.needles = sorted(
            {w for w in surface | set(words) if len(w) > 1 and fold(w) in words}
            | {value for value in (self.email, self.phone[-4:]) if value}
        )

    def _is_theirs(self, mention, text: str) -> bool:
        if mention.kind == NAME:
            return mention.contact_id == self.contact_id
        found = text[mention.start : mention.end]
        if mention.kind == EMAIL:
            return bool(self.email) and found.casefold() == self.email
        return mention.kind == PHONE and bool(self.phone) and _digits(found) == self.phone

    def __call__(self, text):
        """`text` with every mention of the contact replaced by [erased contact]."""
        if not text:
            return text
        pieces, at = [], 0
        for mention in self.matcher.find(text):
            if self._is_theirs(mention, text):
                pieces += [text[at : mention.start], ERASED]
                at = mention.end
        return "".join(pieces) + text[at:] if pieces else text

    def candidates(self, fields) -> Q:
        """Rows whose `fields` may name the contact: the database's first, rough sieve."""
        match = Q()
        for needle in self.needles:
            for name in fields:
                match |= Q(**{f"{name}__icontains": needle})
        return match

    def scrub(self, queryset, fields) -> int:
        """Rewrite `fields` of the rows of `queryset` that name the contact; rows changed.

        A versioned row moves to its next version, so that a form opened before the
        erasure cannot write the name back.
        """
        if not self.needles:
            return 0
        versioned = "version" in {f.name for f in queryset.model._meta.concrete_fields}
        changed = 0
        rows = queryset.filter(self.candidates(fields)).values_list("pk", *fields)
        for pk, *texts in rows.iterator():
            scrubbed = {}
            for name, text in zip(fields, texts, strict=True):
                if (without := self(text)) != text:
                    scrubbed[name] = without
            if not scrubbed:
                continue
            if versioned:
                scrubbed["version"] = F("version") + 1
            queryset.model._base_manager.filter(pk=pk).update(**scrubbed)  # no new history
            changed += 1
        return changed

    def typed(self, value: str) -> str:
        """A search as typed: any word of the name in it (a search for "Brennan") makes it
        theirs, so it goes whole; otherwise their e-mail address or phone number goes."""
        found = (fold(POSSESSIVE.sub("", match.group())) for match in TOKEN.finditer(value))
        if any(word in self.words for word in found):
            return ERASED
        return self(value)

    def redact_access_log(self, team) -> int:
        """Scrub the searches and paths of the team's access log; records changed."""
        if not self.needles:
            return 0
        # Queries are kept encoded: a name with an accent is only found decoded.
        candidates = self.candidates(("query", "path")) | Q(query__contains="%")
        return AccessRecord.objects.for_team(team).redact(self.typed, candidates)

    def scrub_with_history(self, model, team, fields) -> int:
        """Scrub the team's rows of `model` and every history record of them."""
        changed = self.scrub(model._base_manager.filter(team=team), fields)
        self.scrub(model.history.model.objects.filter(team_id=team.pk), fields)
        return changed


@dataclass
class Erasure:
    """What an erasure changed: rows whose text named the contact, by kind of record."""

    counts: list[tuple[int, str, str]] = field(default_factory=list)

    def add(self, changed: int, singular: str, plural: str) -> None:
        if changed:
            self.counts.append((changed, singular, plural))

    def summary(self) -> str:
        """ "removed from 14 activities, 3 outcomes", or that the name was written nowhere."""
        if not self.counts:
            return "their name was not written in any of the team's records"
        parts = [f"{n} {singular if n == 1 else plural}" for n, singular, plural in self.counts]
        return "their name was removed from " + ", ".join(parts)


@transaction.atomic
def erase_contact(contact: Contact) -> Erasure:
    """Erase `contact` and every mention of them in the team's free text, all or nothing."""
    scrubber = Scrubber(contact)
    team = contact.team
    erasure = Erasure()
    for model, fields, (singular, plural) in FREE_TEXT:
        erasure.add(scrubber.scrub_with_history(model, team, fields), singular, plural)
    for _receiver, counts in erasing.send(sender=Contact, contact=contact, scrubber=scrubber):
        for (singular, plural), changed in (counts or {}).items():
            erasure.add(changed, singular, plural)
    searches = scrubber.redact_access_log(team)
    erasure.add(searches, "search in the access log", "searches in the access log")
    admin_log = scrubber.scrub(LogEntry.objects.all(), ("object_repr", "change_message"))
    erasure.add(admin_log, "admin's recent action", "admin's recent actions")
    contact.erase()
    return erasure
