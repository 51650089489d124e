"""Recall and precision of the matcher over sentences written the way brokers write.

The corpus (tests/data/mentions_corpus.json, written by make_mentions_corpus.py beside it)
holds each sentence with the mentions it makes and its expected redaction. A found mention
counts when its text and whom it names are both right.
"""

import json
from collections import Counter
from pathlib import Path

import pytest

from kmtracker.lib.mentions import EMAIL, PHONE, Matcher

CORPUS = json.loads(
    (Path(__file__).parent.parent / "data" / "mentions_corpus.json").read_text(encoding="utf-8")
)
RECALL, PRECISION = 0.95, 0.95


@pytest.fixture(scope="module")
def matcher():
    return Matcher((number, contact["name"]) for number, contact in enumerate(CORPUS["contacts"]))


def keys():
    return [contact["key"] for contact in CORPUS["contacts"]]


def who(mention):
    if mention.kind in (EMAIL, PHONE):
        return mention.kind
    return keys()[mention.contact_id] if mention.contact_id is not None else "contact"


def test_the_corpus_is_large_enough():
    assert len(CORPUS["sentences"]) >= 200


def test_recall_and_precision_are_high(matcher):
    expected_total = found_total = right = exact = 0
    misses = []
    for sentence in CORPUS["sentences"]:
        text = sentence["text"]
        expected = Counter(tuple(mention) for mention in sentence["mentions"])
        found = Counter((text[m.start : m.end], who(m)) for m in matcher.find(text))
        expected_total += sum(expected.values())
        found_total += sum(found.values())
        right += sum((expected & found).values())
        redacted = matcher.redact(text, lambda number: f"<{keys()[number]}>")
        exact += redacted == sentence["expected"]
        if expected != found:
            misses.append((text, sorted(expected - found), sorted(found - expected)))
    recall, precision = right / expected_total, right / found_total
    print(
        f"\nmentions corpus: {len(CORPUS['sentences'])} sentences, {expected_total} mentions;"
        f" recall {recall:.3f}, precision {precision:.3f},"
        f" {exact} sentences redacted exactly as expected"
    )
    for miss in misses:
        print("  missed / extra:", *miss)
    assert recall >= RECALL
    assert precision >= PRECISION
