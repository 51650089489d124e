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

from rapidfuzz.fuzz import ratio

from activities.models import Contact
from kmtracker.lib.matching import (
    NAME_THRESHOLD,
    blocking_keys,
    email_key,
    has_initial,
    name_tokens,
    phone_key,
    sorted_similarity,
    token_similarity,
)

SAME_EMAIL = "same e-mail"
SAME_PHONE = "same phone"
SAME_NAME_SAME_ORGANISATION = "similar name at the same organisation"
SAME_NAME_NO_ORGANISATION = "similar name, one gives no organisation"
_NAME_REASONS = frozenset([SAME_NAME_SAME_ORGANISATION, SAME_NAME_NO_ORGANISATION])
# A name block this large (a very common name with a common initial) is compared on
# e-mail and phone only, so one block never costs more than LARGEST_BLOCK² pairs.
LARGEST_BLOCK = 400
# The possible duplicates page lists ties this strong or stronger: where one contact
# gives no organisation (a name score of 0.9 times its similarity) the names must be
# all but the same. The warnings on entry list every match: the person adding decides.
CLUSTER_SCORE = 0.87
_FIELDS = ("pk", "name", "email", "phone", "organisation_id")


@dataclass(frozen=True)
class Person:
    """What the matcher reads of a contact, or of details typed into a form or a file.

    What it compares (name tokens, keys) is worked out once, when the person is made:
    the finder compares each person with many others.
    """

    name: str
    email: str = ""
    phone: str = ""
    organisation_id: int | None = None
    pk: int | None = None
    tokens: list = field(init=False, repr=False, compare=False)
    # The name's tokens sorted and joined: what the name similarity compares.
    sorted_name: str = field(init=False, repr=False, compare=False)
    has_initial: bool = field(init=False, repr=False, compare=False)
    email_key: str = field(init=False, repr=False, compare=False)
    phone_key: str = field(init=False, repr=False, compare=False)
    keys: set = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        tokens = name_tokens(self.name)
        derived = {
            "tokens": tokens,
            "sorted_name": " ".join(sorted(tokens)),
            "has_initial": has_initial(tokens),
            "email_key": email_key(self.email),
            "phone_key": phone_key(self.phone),
            "keys": blocking_keys(self.name, self.email, self.phone, tokens=tokens),
        }
        for name, value in derived.items():
            object.__setattr__(self, name, value)


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
        if one.has_initial or two.has_initial:
            similarity = token_similarity(one.tokens, two.tokens, NAME_THRESHOLD)
        else:
            similarity = sorted_similarity(one.sorted_name, two.sorted_name, NAME_THRESHOLD)
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

    def pairs(self, distinct=frozenset(), at_least=0.0):
        """Every (pk, pk, score, reasons) of likely duplicates scoring `at_least`, each pair
        once, leaving out the `distinct` pairs ((smaller pk, larger pk) said to be
        different people).

        Each pair is scored once, however many blocks it shares. In a name block, people
        at two different organisations are passed over before any scoring (their name
        cannot make them a match; an e-mail or phone block scores them if they share
        one), and so are names whose lengths alone keep them apart. A contact without an
        organisation whose name alone ties it to people at more than one organisation
        says nothing about which of them it is: those ties are left out (see
        `_unambiguous`), so that one vague record does not join different people.
        """
        compared = set(distinct)
        found = {}
        cutoff = NAME_THRESHOLD * 100
        for key, people in self.blocks.items():
            by_name = key[0] == "name"
            if by_name and len(people) > LARGEST_BLOCK:
                continue  # a common surname; e-mail and phone blocks still catch these
            for index, one in enumerate(people):
                organisation, name, initial = one.organisation_id, one.sorted_name, one.has_initial
                for two in people[index + 1 :]:
                    # Passed over here, a pair is still scored in any other block it shares.
                    if by_name and (
                        (
                            organisation != two.organisation_id
                            and organisation is not None
                            and two.organisation_id is not None
                        )
                        or not (
                            initial
                            or two.has_initial
                            or ratio(name, two.sorted_name, score_cutoff=cutoff)
                        )
                    ):
                        continue
                    pair = (one.pk, two.pk) if one.pk < two.pk else (two.pk, one.pk)
                    if pair in compared:
                        continue
                    compared.add(pair)
                    score, reasons = compare(one, two)
                    if score and score >= at_least:
                        found[pair] = (score, reasons)
        for pair in sorted(_unambiguous(found, self.people)):
            score, reasons = found[pair]
            yield pair[0], pair[1], score, reasons


def _unambiguous(found, people):
    """The pairs of `found` ({pair: (score, reasons)}) but the ambiguous ties by name
    (`people` are the index's persons by pk). Ties by e-mail or phone are always kept.

    A contact tied to two people who do not look like each other at all (no match even
    below the page's score), "Dr S. Taylor" to Sally Taylor and to Stanley Taylor,
    could be either: a tie of its by name alone is kept only when it is the contact's
    strongest, stronger than all others.

    A contact that gives no organisation is tied by name alone to one that gives one
    only when that is its one tie by name: beside two Louis Burns of Bristol, or
    another Louis Burns of none, it could be either. Those are found without it, and
    once they are merged its one remaining tie is.
    """
    ties, by_name = defaultdict(list), defaultdict(int)
    for pair, (score, reasons) in found.items():
        ties[pair[0]].append((score, pair[1]))
        ties[pair[1]].append((score, pair[0]))
        if set(reasons) <= _NAME_REASONS:
            by_name[pair[0]] += 1
            by_name[pair[1]] += 1
    kept = {}
    for pk, tied in ties.items():
        others = [other for _score, other in tied]
        if all(
            (min(one, two), max(one, two)) in found or compare(people[one], people[two])[0]
            for index, one in enumerate(others)
            for two in others[index + 1 :]
        ):
            continue
        tied.sort(reverse=True)
        kept[pk] = tied[0][1] if tied[0][0] > tied[1][0] else None

    def vague(pair):
        """Whether the pair is a contact of no organisation tied, among others, to one of
        an organisation."""
        one, two = (people[pk] for pk in pair)
        if (one.organisation_id is None) == (two.organisation_id is None):
            return False
        return by_name[one.pk if one.organisation_id is None else two.pk] > 1

    return [
        pair
        for pair, (_score, reasons) in found.items()
        if not set(reasons) <= _NAME_REASONS
        or (
            all(kept.get(pk, other) == other for pk, other in (pair, pair[::-1]))
            and not vague(pair)
        )
    ]


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


def clusters(contacts, distinct=frozenset(), load=True):
    """The likely duplicates among `contacts` (a queryset of one team's), grouped into
    clusters (a match of a match joins the cluster), strongest first; pairs in `distinct`
    were said to be different people. With `load` False, clusters name contacts by pk and
    nothing more is read."""
    index = TeamIndex.of(contacts)
    parent = {}

    def root(pk):
        while parent.get(pk, pk) != pk:
            pk = parent[pk]
        return pk

    links = []
    for one, two, score, reasons in index.pairs(distinct, CLUSTER_SCORE):
        links.append((one, two, score, reasons))
        parent.setdefault(one, one)
        parent.setdefault(two, two)
        parent[root(two)] = root(one)
    members = defaultdict(set)
    for pk in parent:
        members[root(pk)].add(pk)
    if load:
        records = contacts.filter(pk__in=list(parent)).select_related("organisation").in_bulk()
    else:
        records = {pk: pk for pk in parent}
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
    first = (lambda cluster: cluster.contacts[0].pk) if load else (lambda c: c.contacts[0])
    return sorted(found, key=lambda cluster: (-cluster.score, first(cluster)))
