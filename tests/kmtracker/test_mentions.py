"""Finding people named in free text (kmtracker.lib.mentions): names, addresses, numbers."""

import pytest

from kmtracker.lib.mentions import EMAIL, NAME, PHONE, Matcher, Mention

PEOPLE = [
    (1, "Ayesha Brennan"),
    (2, "Rose Hall"),
    (3, "Siân O'Connor-Davies"),
    (4, "Dr Tom Smith"),
    (5, "Jo Smith"),
]


@pytest.fixture(scope="module")
def matcher():
    return Matcher(PEOPLE)


def pseudonym(contact_id):
    return f"C-{contact_id}"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Introduced Dr Brennan to the frailty lead", "Introduced C-1 to the frailty lead"),
        ("Prof. A. Brennan and Professor Brennan", "C-1 and C-1"),
        ("Ayesha\n   Brennan's team", "C-1's team"),
        ("Brennan, Ayesha; Hall, R.", "C-1; C-2."),
        ("AYESHA BRENNAN", "C-1"),
        ("sian o’connor-davies agreed", "C-3 agreed"),
        ("Ms Hall's report", "C-2's report"),
        ("the rose garden at Hall Farm", "the rose garden at Hall Farm"),
        ("Rose said she would ask Brennan", "Rose said she would ask Brennan"),
        ("met a brennan fan", "met a brennan fan"),
        ("Jo Smith-Jones came", "Jo Smith-Jones came"),
        ("Dr Smith came", "[contact] came"),
        ("Tom Smith came", "C-4 came"),
    ],
)
def test_it_replaces_names_by_pseudonyms(matcher, text, expected):
    assert matcher.redact(text, pseudonym) == expected


@pytest.mark.parametrize(
    "number",
    [
        "07700 900123",
        "+44 7700 900123",
        "(0117) 496 0123",
        "0117-496-0123",
        "020 7946 0958",
        "+44 (0)117 496 0123",
        "07700900123",
    ],
)
def test_it_replaces_uk_phone_numbers(matcher, number):
    assert matcher.redact(f"Call {number} today", pseudonym) == "Call [phone] today"


@pytest.mark.parametrize(
    "text", ["On 2024-03-15", "£120,000 requested", "12 attendees in 2023/24", "Q3 2025-26"]
)
def test_it_leaves_dates_and_amounts(matcher, text):
    assert matcher.redact(text, pseudonym) == text


def test_it_says_where_and_what(matcher):
    text = "Dr Brennan (a.brennan@nhs.net, 0117 496 0123)"

    assert matcher.find(text) == [
        Mention(0, 10, 1, NAME),
        Mention(12, 29, None, EMAIL),
        Mention(31, 44, None, PHONE),
    ]


def test_a_matcher_of_nobody_finds_only_addresses():
    assert Matcher([]).redact("Dr Brennan, x@y.org", pseudonym) == "Dr Brennan, [email]"
