"""Finding people named in free text: known names, e-mail addresses, phone numbers.

A `Matcher` is built once from a list of (id, name) pairs and then finds every
mention in any number of texts. Names are matched token by token through a
trie of the forms a person is written in ("Ayesha Brennan", "Dr Brennan",
"Prof. A. Brennan", "Brennan, Ayesha", "Brennan's"), ignoring case, accents
and the spaces or line breaks between the words; one walk of the text finds
every form of every name, however many names the matcher knows. A first name
alone, or a surname without a title, is not a mention: "Rose" and "Hall" are
ordinary words too.

This module knows no app: the caller says whose names to look for and what to
put in their place (`redact`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

NAME, EMAIL, PHONE = "name", "email", "phone"
EMAIL_PLACEHOLDER, PHONE_PLACEHOLDER = "[email]", "[phone]"
# A mention of a surname shared by several people: the text cannot say which one.
AMBIGUOUS_PLACEHOLDER = "[contact]"

TITLES = frozenset(
    {
        *("mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor"),
        *("sir", "dame", "cllr", "councillor", "rev", "revd", "lord", "lady"),
    }
)
# Titles written before a first name as well as a surname ("Sir Paul").
FIRST_NAME_TITLES = frozenset({"sir", "dame", "lord", "lady"})

# A word: letters, with inner apostrophes or hyphens ("O'Brien", "Smith-Jones"); or a comma,
# which "Brennan, Ayesha" needs. Between the words of a name only spaces, line breaks and
# full stops ("Dr. A. Brennan") may stand.
TOKEN = re.compile(r"[^\W\d_]+(?:['\u2019\-\u2010\u2011][^\W\d_]+)*|,")
GAP = re.compile(r"[\s.]*")
POSSESSIVE = re.compile(r"['\u2019]s$", re.IGNORECASE)
EMAIL_PATTERN = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE_PATTERN = re.compile(
    r"(?<![\w+])"
    r"(?:\+\d{1,3}[ .\-]?(?:\(0\)[ .\-]?)?|\(0\d{1,4}\)[ .\-]?|0)"
    r"\d+(?:[ .\-]\d+){0,4}"
    r"(?![\w])"
)
PHONE_DIGITS = range(10, 14)
DIGIT = re.compile(r"\d")

_APOSTROPHES_AND_HYPHENS = str.maketrans({"\u2019": "'", "\u2010": "-", "\u2011": "-"})


def fold(text: str) -> str:
    """`text` without case or accents: "Åsa Núñez" and "asa nunez" fold alike."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return bare.casefold().translate(_APOSTROPHES_AND_HYPHENS)


@dataclass(frozen=True)
class Mention:
    """Where a person is named in a text: `text[start:end]`.

    `contact_id` is the person's id for a name (None when several people share
    the form found: `candidates` are their ids), None for an e-mail address or
    phone number; `kind` is NAME, EMAIL or PHONE.
    """

    start: int
    end: int
    contact_id: int | None
    kind: str
    candidates: tuple[int, ...] = ()


@dataclass(frozen=True)
class _Form:
    """One way of writing a person's name: whose, and whether its initial must be capital."""

    ids: frozenset[int]
    initial_at: int | None  # the token that is an initial, which must be a capital letter


def name_parts(name: str) -> list[str]:
    """The folded words of a name, its titles left out: "Dr Ayesha Brennan" -> ayesha, brennan."""
    words = [fold(match.group()) for match in TOKEN.finditer(name) if match.group() != ","]
    while words and words[0] in TITLES:
        words.pop(0)
    return words


def forms_of(name: str) -> Iterable[tuple[tuple[str, ...], int | None]]:
    """The token sequences a person with this name is written as, and where an initial is."""
    words = name_parts(name)
    if len(words) < 2:
        # One word is a first name or a surname: only a title makes it a person.
        for title in TITLES if words else ():
            yield (title, words[0]), None
        return
    first, surname = words[0], words[-1]
    initial = first[0]
    yield tuple(words), None
    yield (first, surname), None
    yield (surname, ",", first), None
    yield (initial, surname), 0
    yield (surname, ",", initial), 2
    for title in TITLES:
        yield (title, *words), None
        yield (title, first, surname), None
        yield (title, surname), None
        yield (title, initial, surname), 1
        if title in FIRST_NAME_TITLES:
            yield (title, first), None


class Matcher:
    """Finds the mentions of a set of people, their e-mail addresses and phone numbers."""

    def __init__(self, people: Iterable[tuple[int, str]]) -> None:
        forms: dict[tuple[str, ...], tuple[set[int], int | None]] = {}
        for person_id, name in people:
            for words, initial_at in forms_of(name):
                ids, _ = forms.setdefault(words, (set(), initial_at))
                ids.add(person_id)
        # The trie: each node a dict of next word -> node; a form ends where "" is a key.
        self._trie: dict = {}
        for words, (ids, initial_at) in forms.items():
            node = self._trie
            for word in words:
                node = node.setdefault(word, {})
            node[""] = _Form(frozenset(ids), initial_at)

    def find(self, text: str) -> list[Mention]:
        """Every mention in `text`, in order, none overlapping (the longest wins)."""
        if not text:
            return []
        found = self._addresses(text)
        found += self._names(text)
        found.sort(key=lambda mention: (mention.start, -mention.end))
        chosen: list[Mention] = []
        for mention in found:
            if not chosen or mention.start >= chosen[-1].end:
                chosen.append(mention)
        return chosen

    def redact(self, text: str, pseudonym_for: Callable[[int], str]) -> str:
        """`text` with each name replaced by `pseudonym_for(id)`, addresses and numbers by
        [email] and [phone]."""
        mentions = self.find(text)
        if not mentions:
            return text
        pieces, at = [], 0
        for mention in mentions:
            pieces.append(text[at : mention.start])
            pieces.append(self.placeholder(mention, pseudonym_for))
            at = mention.end
        pieces.append(text[at:])
        return "".join(pieces)

    @staticmethod
    def placeholder(mention: Mention, pseudonym_for: Callable[[int], str]) -> str:
        if mention.kind == EMAIL:
            return EMAIL_PLACEHOLDER
        if mention.kind == PHONE:
            return PHONE_PLACEHOLDER
        if mention.contact_id is None:
            return AMBIGUOUS_PLACEHOLDER
        return pseudonym_for(mention.contact_id)

    def _addresses(self, text: str) -> list[Mention]:
        found = []
        if "@" in text:
            found = [
                Mention(match.start(), match.end(), None, EMAIL)
                for match in EMAIL_PATTERN.finditer(text)
            ]
        if DIGIT.search(text):
            for match in PHONE_PATTERN.finditer(text):
                if sum(char.isdigit() for char in match.group()) in PHONE_DIGITS:
                    found.append(Mention(match.start(), match.end(), None, PHONE))
        return found

    def _names(self, text: str) -> list[Mention]:
        trie = self._trie
        # ASCII text folds as a whole, keeping every offset; other text word by word.
        ascii_text = text.isascii()
        tokens = [
            (match.start(), match.end(), match.group())
            for match in TOKEN.finditer(text.lower() if ascii_text else text)
        ]
        words = [token for _, _, token in tokens] if ascii_text else [fold(t) for *_, t in tokens]
        found = []
        for first, word in enumerate(words):
            if word not in trie and _without_possessive(word) not in trie:
                continue
            best = None
            at = first
            node = trie
            while at < len(tokens):
                if at > first and not GAP.fullmatch(text, tokens[at - 1][1], tokens[at][0]):
                    break
                word = words[at]
                form_end = tokens[at][1]
                if word not in node:
                    # "Brennan's": the name ends here, the possessive stays in the text.
                    word = _without_possessive(word)
                    form_end = tokens[at][0] + len(word)
                    if word not in node:
                        break
                    node = node[word]
                    if "" in node:
                        best = (at, form_end, node[""])
                    break
                node = node[word]
                if "" in node:
                    best = (at, form_end, node[""])
                at += 1
            if best is None:
                continue
            _, end, form = best
            initial = form.initial_at
            if initial is not None and not _is_initial(text[slice(*tokens[first + initial][:2])]):
                continue
            if _continues_a_word(text, tokens[first][0], end):
                continue
            if len(form.ids) == 1:
                found.append(Mention(tokens[first][0], end, next(iter(form.ids)), NAME))
            else:
                found.append(Mention(tokens[first][0], end, None, NAME, tuple(sorted(form.ids))))
        return found


def _without_possessive(word: str) -> str:
    """The word without its possessive: "brennan's" -> "brennan" (folded words only)."""
    return word[:-2] if word.endswith("'s") else word


def _is_initial(token: str) -> bool:
    return len(token) == 1 and token.isupper()


def _continues_a_word(text: str, start: int, end: int) -> bool:
    """Whether the match is part of a longer hyphenated word ("Jo Smith" in "Jo Smith-Jones")."""
    after = text[end : end + 2]
    before = text[max(start - 2, 0) : start]
    return (len(after) == 2 and after[0] in "-\u2010\u2011" and after[1].isalpha()) or (
        len(before) == 2 and before[1] in "-\u2010\u2011" and before[0].isalpha()
    )


# A title and one to three capitalised words: a person, whether or not the matcher knows them.
TITLED_NAME = re.compile(
    r"(?<![\w.])(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Cllr|Councillor)\.?"
    r"(?:[ \t]+(?:[A-Z]\.?|[A-Z][^\W\d_]*(?:['\u2019\-][^\W\d_]+)*)){1,3}"
    r"(?=[\s,.;:)!?'\u2019]|$)"
)


def titled_names(text: str) -> list[tuple[int, int]]:
    """Where `text` names someone by title ("Dr Ayesha Brennan", "Prof. Ng"): (start, end),
    a possessive left out."""
    spans = []
    for match in TITLED_NAME.finditer(text or ""):
        possessive = POSSESSIVE.search(match.group())
        spans.append((match.start(), match.end() - (len(possessive.group()) if possessive else 0)))
    return spans
