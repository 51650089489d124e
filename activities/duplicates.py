"""The one matcher of contacts: who, in a team, looks like the same person.

A contact looks like another of the same team when they share an e-mail
address (case aside), a phone number (its digits, +44 read as 0), or a similar
name (`kmtracker.lib.matching.name_similarity`) at the same organisation or
where either gives none. Contacts are filed under a few blocking keys
(`kmtracker.lib.matching.blocking_keys`: a name's last word with its first initial,
e-mail, its local part, phone) and only contacts sharing a key are compared, so no
search compares every pair, even among a large team's many Smiths.

The contact form, the "New contact" dialog, the imports and the possible
duplicates page all ask this module, so they agree on who is a duplicate.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from activities.models import Contact
from kmtracker.lib.matching import (
    NAME_THRESHOLD,
    blocking_keys,
    email_key,
    name_tokens,
    phone_key,
    token_similarity,
)

SAME_EMAIL = "same e-mail"
SAME_PHONE = "same phone"
SAME_NAME_SAME_ORGANISATION = "similar name at the same organisation"
SAME_NAME_NO_ORGANISATION = "similar name, one gives no organisation"
# A name block this large (a very common name with a common initial) is compared on
# e-mail and phone only, so one block never costs more than LARGEST_BLOCK² pairs.
LARGEST_BLOCK = 400
_FIELDS = ("pk", "name", "email", "phone", "organisation_id")


@dataclass(frozen=True)
class Person:
    """What the matcher reads of a contact, or of details typed into a form or a file."""

    name: str
    email: str = ""
    phone: str = ""
    organisation_id: int | None = None
    pk: int | None = None

    @cached_property
    def keys(self):
        return blocking_keys(self.name, self.email, self.phone)

    @cached_property
    def tokens(self):
        return name_tokens(self.name)

    @cached_property
    def email_key(self):
        return email_key(self.email)

    @cached_property
    def phone_key(self):
        return phone_key(self.phone)


@dataclass
class Match:
    """A likely duplicate: the contact, a score from 0 to 1 and what matched."""

    contact: object
    score: float
    reasons: list = field(default_factory=list)

    @property
    def percent(self):
        return round(self.score * 100)

    @property
    def why(self):
        return ", ".join(self.reasons)


def compare(one, two):
    """(score, reasons) of two Persons; a score of 0 means not a likely duplicate."""
    reasons, score = [], 0.0
    if one.email_key and one.email_key == two.email_key:
        reasons.append(SAME_EMAIL)
        score = 1.0
    if one.phone_key and one.phone_key == two.phone_key:
        reasons.append(SAME_PHONE)
        score = max(score, 0.95)
    same_organisation = one.organisation_id == two.organisation_id
    if same_organisation or one.organisation_id is None or two.organisation_id is None:
        similarity = token_similarity(one.tokens, two.tokens, NAME_THRESHOLD)
        if similarity >= NAME_THRESHOLD:
            if same_organisation and one.organisation_id is not None:
                reasons.append(SAME_NAME_SAME_ORGANISATION)
                score = max(score, similarity)
            else:
                reasons.append(SAME_NAME_NO_ORGANISATION)
                score = max(score, similarity * 0.9)
    return score, reasons


class TeamIndex:
    """The team's contacts filed by blocking key: one query, then lookups in memory."""

    def __init__(self, people):
        self.people = {person.pk: person for person in people}
        self.blocks = defaultdict(list)
        for person in self.people.values():
            for key in person.keys:
                self.blocks[key].append(person)

    @classmethod
    def of(cls, contacts):
        """The index of a queryset of contacts, reading only what the matcher compares."""
        rows = contacts.order_by("pk").values_list(*_FIELDS)
        return cls(Person(*row[1:], pk=row[0]) for row in rows)

    @classmethod
    def of_loaded(cls, contacts):
        """The index of contacts already read (an import's), the erased left out."""
        return cls(
            Person(c.name, c.email, c.phone, c.organisation_id, c.pk)
            for c in contacts
            if not c.is_erased
        )

    @classmethod
    def of_team(cls, team):
        return cls.of(Contact.objects.for_team(team).active())

    def matches(self, person, exclude=()):
        """{pk: (score, reasons)} of the filed people who look like `person`, best first."""
        seen, found = set(exclude) | {person.pk}, {}
        for key in person.keys:
            for other in self.blocks.get(key, ()):
                if other.pk in seen:
                    continue
                seen.add(other.pk)
                score, reasons = compare(person, other)
                if score:
                    found[other.pk] = (score, reasons)
        return dict(sorted(found.items(), key=lambda item: (-item[1][0], item[0])))

    def pairs(self, distinct=frozenset()):
        """Every (pk, pk, score, reasons) of likely duplicates, each pair once, leaving out
        the `distinct` pairs ((smaller pk, larger pk) said to be different people)."""
        compared = set(distinct)
        for key, people in self.blocks.items():
            if key[0] == "name" and len(people) > LARGEST_BLOCK:
                continue  # a common surname; e-mail and phone blocks still catch these
            for index, one in enumerate(people):
                for two in people[index + 1 :]:
                    pair = (min(one.pk, two.pk), max(one.pk, two.pk))
                    if pair in compared:
                        continue
                    compared.add(pair)
                    score, reasons = compare(one, two)
                    if score:
                        yield one.pk, two.pk, score, reasons


def candidates(team, person, exclude=()):
    """The team's contacts that look like `person` (a Person), as Matches, best first."""
    found = TeamIndex.of_team(team).matches(person, exclude)
    contacts = Contact.objects.filter(pk__in=found).select_related("organisation").in_bulk()
    return [Match(contacts[pk], score, reasons) for pk, (score, reasons) in found.items()]


def candidates_of(contact):
    """The contacts of its team that look like `contact`, as Matches, best first."""
    person = Person(contact.name, contact.email, contact.phone, contact.organisation_id, contact.pk)
    return candidates(contact.team, person)


@dataclass
class Cluster:
    """Contacts that look like one person: its members and the pairs that tie them."""

    contacts: list
    links: list  # (contact, contact, Match-like score and reasons)
    score: float

    @property
    def percent(self):
        return round(self.score * 100)

    @property
    def reasons(self):
        seen = []
        for _one, _two, _score, reasons in self.links:
            seen += [reason for reason in reasons if reason not in seen]
        return seen


def clusters(contacts, distinct=frozenset()):
    """The likely duplicates among `contacts` (a queryset of one team's), grouped into
    clusters (a match of a match joins the cluster), strongest first; pairs in `distinct`
    were said to be different people."""
    index = TeamIndex.of(contacts)
    parent = {}

    def root(pk):
        while parent.get(pk, pk) != pk:
            pk = parent[pk]
        return pk

    links = []
    for one, two, score, reasons in index.pairs(distinct):
        links.append((one, two, score, reasons))
        parent.setdefault(one, one)
        parent.setdefault(two, two)
        parent[root(two)] = root(one)
    members = defaultdict(set)
    for pk in parent:
        members[root(pk)].add(pk)
    records = contacts.filter(pk__in=list(parent)).select_related("organisation").in_bulk()
    grouped = defaultdict(list)
    for one, two, score, reasons in links:
        grouped[root(one)].append((records[one], records[two], score, reasons))
    found = [
        Cluster(
            contacts=[records[pk] for pk in sorted(pks)],
            links=grouped[key],
            score=max(link[2] for link in grouped[key]),
        )
        for key, pks in members.items()
    ]
    return sorted(found, key=lambda cluster: (-cluster.score, cluster.contacts[0].pk))
