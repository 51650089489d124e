"""Telling whether two people's details describe the same person: pure scoring, no models.

Names are compared as sorted tokens (so "Brennan, Ayesha" matches "Ayesha
Brennan"), with accents, punctuation and titles (Dr, Prof, ...) dropped;
phones as their digits with a UK +44 or 0044 prefix read as the leading 0;
e-mail addresses case-insensitively. `blocking_keys()` gives the few keys under
which a person is filed, so that a search compares only people who share one.
"""

import re
import unicodedata

from rapidfuzz.fuzz import ratio

# Words before or after a name that say nothing about who the person is.
TITLES = frozenset(
    [
        "dr",
        "doctor",
        "prof",
        "professor",
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "sir",
        "dame",
        "rev",
        "revd",
        "lord",
        "lady",
        "cllr",
        "phd",
        "md",
        "frcp",
        "frcs",
        "mbe",
        "obe",
        "cbe",
        "dbe",
        "jr",
        "sr",
    ]
)
# A name this similar (0 to 1) is a likely match; below it, a different person.
NAME_THRESHOLD = 0.86
# Fewer digits than this is not a phone number anyone can be told apart by.
_SHORTEST_PHONE = 7
_NOT_A_LETTER = re.compile(r"[^\w\s]|_")


def name_tokens(name: str) -> list[str]:
    """The words of `name` that identify the person: no accents, case, titles or dots."""
    plain = name or ""
    if not plain.isascii():
        decomposed = unicodedata.normalize("NFKD", plain)
        plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    words = _NOT_A_LETTER.sub(" ", plain.casefold()).split()
    return [word for word in words if word not in TITLES]


def surname_key(name: str) -> str:
    """The normalised last word of the name ("" when it has none)."""
    tokens = name_tokens(name)
    return tokens[-1] if tokens else ""


def phone_key(phone: str) -> str:
    """The digits of a phone number, +44/0044 read as 0; "" when too short to tell by."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("0044"):
        digits = "0" + digits[4:]
    elif digits.startswith("44") and (phone or "").lstrip().startswith("+"):
        digits = "0" + digits[2:]
    # "+44 (0)117 ..." leaves a doubled 0 once the prefix is read as one.
    if digits.startswith("00"):
        digits = digits[1:]
    return digits if len(digits) >= _SHORTEST_PHONE else ""


def email_key(email: str) -> str:
    return (email or "").strip().casefold()


def email_local_part(email: str) -> str:
    """The part before the @, without dots or a +tag: "a.brennan+km" is "abrennan"."""
    local = email_key(email).partition("@")[0]
    return local.split("+", 1)[0].replace(".", "")


def name_similarity(first: str, second: str, at_least: float = 0.0) -> float:
    """0 to 1: the token sort ratio of the two names (rapidfuzz's Indel ratio, in C),
    titles and accents ignored.

    An initial ("A. Brennan") counts as matching the first name it begins. Below
    `at_least` the answer may be any score under it (a cheap bound rules it out).
    """
    return token_similarity(name_tokens(first), name_tokens(second), at_least)


def token_similarity(one: list[str], two: list[str], at_least: float = 0.0) -> float:
    """`name_similarity()` of names already split by `name_tokens()`."""
    if not one or not two:
        return 0.0
    if has_initial(one) or has_initial(two):
        one, two = _expand_initials(one, two), _expand_initials(two, one)
    return sorted_similarity(" ".join(sorted(one)), " ".join(sorted(two)), at_least)


def sorted_similarity(one: str, two: str, at_least: float = 0.0) -> float:
    """The similarity of two names already written as their sorted tokens, 0 under
    `at_least`: names whose lengths differ too much for it are not compared at all."""
    if 2 * min(len(one), len(two)) < at_least * (len(one) + len(two)):
        return 0.0
    return ratio(one, two, score_cutoff=at_least * 100) / 100


def has_initial(tokens: list[str]) -> bool:
    """Whether a name gives a word as its initial alone ("A. Brennan")."""
    return any(len(token) == 1 for token in tokens)


def _expand_initials(tokens, others):
    """Single letters of `tokens` replaced by the word of `others` they begin, if any."""
    expanded = []
    for token in tokens:
        if len(token) == 1:
            token = next((o for o in others if len(o) > 1 and o.startswith(token)), token)
        expanded.append(token)
    return expanded


def blocking_keys(
    name: str, email: str, phone: str, tokens: list[str] | None = None
) -> set[tuple[str, str]]:
    """The keys a person is filed under; people who share none are never compared.

    A name is filed under each of its words with the initial of each other word:
    "Ayesha Brennan", "Dr A. Brennan" and "Brennan, Ayesha" share "brennan|a", and
    "Brennan-Hart, Olu" and "Olu Brennan-Hart" share "olu|b", whatever the order. Two
    names alike enough to match share a word and another word's initial. Filing by the
    surname alone put every Smith of a large team in one block, compared pairwise
    (minutes at 100,000 contacts). A name of one word is filed as itself: it can only
    be similar enough to another of one word. Then e-mail and its local part, and phone.
    `tokens` are the name's `name_tokens()`, when already worked out.
    """
    keys = set()
    tokens = name_tokens(name) if tokens is None else tokens
    if len(tokens) == 1:
        keys.add(("name", f"{tokens[0]}|"))
    for position, word in enumerate(tokens):
        if len(word) > 1:
            for other in tokens[:position] + tokens[position + 1 :]:
                keys.add(("name", f"{word}|{other[0]}"))
    if email_key(email):
        keys.add(("email", email_key(email)))
        if len(email_local_part(email)) > 2:
            keys.add(("local", email_local_part(email)))
    if phone_key(phone):
        keys.add(("phone", phone_key(phone)))
    return keys
