"""The one matcher: each rule with a pair on both sides of it, and blocking."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.duplicates import (
    CLUSTER_SCORE,
    Person,
    TeamIndex,
    candidates,
    candidates_of,
    clusters,
    compare,
)
from kmtracker.lib.matching import name_similarity, name_tokens, phone_key
from tests import factories

pytestmark = pytest.mark.django_db


def test_name_tokens_drop_titles_accents_and_punctuation():
    assert name_tokens("Dr. Siobhán  O'Neill, PhD") == ["siobhan", "o", "neill"]
    assert name_tokens("Prof Ayesha Brennan") == ["ayesha", "brennan"]


@pytest.mark.parametrize(
    "one, two, alike",
    [
        ("Dr Ayesha Brennan", "Ayesha Brennan", True),
        ("Brennan, Ayesha", "Ayesha Brennan", True),
        ("A. Brennan", "Ayesha Brennan", True),
        ("Aisha Brennan", "Ayesha Brennan", True),
        ("José Álvarez", "Jose Alvarez", True),
        ("Ayesha Brennan", "Aidan Brennan", False),
        ("Ayesha Brennan", "Ayesha Khan", False),
    ],
)
def test_similar_names_pass_the_threshold_and_different_ones_do_not(one, two, alike):
    assert (compare(Person(one), Person(two))[0] > 0) is alike, name_similarity(one, two)


@pytest.mark.parametrize(
    "one, two, same",
    [
        ("+44 117 928 9000", "0117 928 9000", True),
        ("0044 (0)117 928 9000", "01179289000", True),
        ("+44 117 928 9000", "0117 928 9001", False),
        ("123", "123", False),  # too short to tell anyone apart
    ],
)
def test_phones_compare_as_their_digits(one, two, same):
    assert (phone_key(one) != "" and phone_key(one) == phone_key(two)) is same


def test_same_email_is_a_match_whatever_the_name_and_case():
    score, reasons = compare(
        Person("A Brennan", email="A.Brennan@bristol.ac.uk", organisation_id=1),
        Person("Ayesha B", email="a.brennan@Bristol.ac.uk", organisation_id=2),
    )
    assert (score, reasons) == (1.0, ["same e-mail"])


def test_same_phone_is_a_match_but_another_phone_is_not():
    one = Person("Ann Lee", phone="+44 7700 900123", organisation_id=1)
    assert compare(one, Person("Bo Chan", phone="07700 900123", organisation_id=2))[1] == [
        "same phone"
    ]
    assert compare(one, Person("Bo Chan", phone="07700 900124", organisation_id=2))[0] == 0


def test_a_similar_name_counts_at_the_same_or_no_organisation_only():
    same = compare(
        Person("Ayesha Brennan", organisation_id=1), Person("Dr Ayesha Brennan", organisation_id=1)
    )
    none = compare(Person("Ayesha Brennan", organisation_id=1), Person("Ayesha Brennan"))
    other = compare(
        Person("Ayesha Brennan", organisation_id=1), Person("Ayesha Brennan", organisation_id=2)
    )
    assert same == (1.0, ["similar name at the same organisation"])
    assert none[1] == ["similar name, one gives no organisation"] and none[0] < same[0]
    assert other == (0.0, [])


def test_candidates_are_the_teams_own_with_their_reasons(team, other_team):
    uob = factories.OrganisationFactory(name="University of Bristol")
    mine = factories.ContactFactory(team=team, name="Dr Ayesha Brennan", organisation=uob)
    factories.ContactFactory(team=other_team, name="Ayesha Brennan", organisation=uob)
    factories.ContactFactory(team=team, name="Ayesha Khan", organisation=uob)
    found = candidates(team, Person("ayesha brennan", organisation_id=uob.pk))
    assert [(m.contact, m.percent, m.why) for m in found] == [
        (mine, 100, "similar name at the same organisation")
    ]


def test_erased_contacts_are_not_candidates(team):
    contact = factories.ContactFactory(team=team, name="Ayesha Brennan")
    contact.erase()
    assert candidates(team, Person("Ayesha Brennan")) == []


def test_blocking_compares_only_contacts_sharing_a_key(team):
    for n in range(30):
        factories.ContactFactory(team=team, name=f"Person{n} Surname{n}")
    factories.ContactFactory(team=team, name="Ayesha Brennan")
    factories.ContactFactory(team=team, name="Ayesha Brennan")
    index = TeamIndex.of_team(team)
    assert len(index.blocks[("name", "brennan|a")]) == 2
    assert len(list(index.pairs())) == 1


FIRST_NAMES = (
    "Alice", "Arjun", "Bethan", "Callum", "Deepa", "Eilidh", "Femi", "Grace", "Hamza", "Imogen",
    "Jonah", "Kavita", "Lewis", "Morag", "Niamh", "Oscar", "Priya", "Rhys", "Siobhan", "Tariq",
)  # fmt: skip


def test_a_common_surname_is_not_one_block(team):
    """Twenty Smiths with twenty different first names: few pairs of them are compared,
    none match, and the two written as the same person are found."""
    for first in FIRST_NAMES:
        factories.ContactFactory(team=team, name=f"{first} Smith")
    twin = factories.ContactFactory(team=team, name="Ayesha Smith")
    other = factories.ContactFactory(team=team, name="Ayesha Smyth")  # met as "ayesha|s"
    index = TeamIndex.of_team(team)
    # "smith|a" holds Alice, Arjun and Ayesha.
    assert max(len(people) for key, people in index.blocks.items() if key[0] == "name") == 3
    assert [(one, two) for one, two, *_ in index.pairs()] == [(twin.pk, other.pk)]


def test_names_of_one_word_meet_each_other_and_names_written_surname_first_meet(team):
    org = factories.OrganisationFactory()
    full = factories.ContactFactory(team=team, name="Ayesha Brennan", organisation=org)
    reversed_ = factories.ContactFactory(team=team, name="Brennan, Ayesha", organisation=org)
    titled = factories.ContactFactory(team=team, name="Dr Brennan", organisation=org)
    plain = factories.ContactFactory(team=team, name="Brennan", organisation=org)
    found = {(one, two) for one, two, *_ in TeamIndex.of_team(team).pairs()}
    assert found == {(full.pk, reversed_.pk), (titled.pk, plain.pk)}


def test_clusters_join_a_match_of_a_match_in_two_queries(team):
    org = factories.OrganisationFactory()
    one = factories.ContactFactory(team=team, name="Ayesha Brennan", organisation=org)
    two = factories.ContactFactory(team=team, name="Dr A. Brennan", phone="0117 928 9000")
    three = factories.ContactFactory(team=team, name="Ash B", phone="+44 117 928 9000")
    factories.ContactFactory(team=team, name="Someone Else")
    with CaptureQueriesContext(connection) as queries:
        # The team's contacts' details; the clustered contacts with their organisations.
        found = clusters(team.contacts.all())
    assert len(queries) == 2
    assert [cluster.contacts for cluster in found] == [[one, two, three]]
    assert set(found[0].reasons) == {"same phone", "similar name, one gives no organisation"}


def _pairs(team):
    """{(name, name)} of the pairs the finder lists for the team."""
    names = dict(team.contacts.values_list("pk", "name"))
    return {
        (names[one], names[two])
        for one, two, *_ in TeamIndex.of_team(team).pairs(at_least=CLUSTER_SCORE)
    }


def test_an_initial_that_fits_two_people_ties_to_neither(team):
    factories.ContactFactory(team=team, name="Dr S. Taylor")
    factories.ContactFactory(team=team, name="Sally Taylor")
    assert _pairs(team) == {("Dr S. Taylor", "Sally Taylor")}
    factories.ContactFactory(team=team, name="Stanley Taylor")
    assert _pairs(team) == set()
    # On entry the person adding "S. Taylor" still sees both.
    found = {match.contact.name for match in candidates(team, Person("S. Taylor"))}
    assert found == {"Dr S. Taylor", "Sally Taylor", "Stanley Taylor"}


def test_no_organisation_ties_to_one_organisation_but_not_to_two(team):
    uob, cardiff = factories.OrganisationFactory(), factories.OrganisationFactory()
    factories.ContactFactory(team=team, name="Ayesha Brennan")
    factories.ContactFactory(team=team, name="Ayesha Brennan", organisation=uob)
    assert _pairs(team) == {("Ayesha Brennan", "Ayesha Brennan")}
    factories.ContactFactory(team=team, name="Ayesha Brennan", organisation=cardiff)
    assert _pairs(team) == set()


def test_of_an_ambiguous_contact_the_strongest_name_tie_alone_is_kept(team):
    uob = factories.OrganisationFactory()
    factories.ContactFactory(team=team, name="Dr A. Brennan", organisation=uob)
    factories.ContactFactory(team=team, name="Ayesha Brennan", organisation=uob)  # 100%
    factories.ContactFactory(team=team, name="Aidan Brennan")  # 90%: no organisation
    assert _pairs(team) == {("Dr A. Brennan", "Ayesha Brennan")}
    factories.ContactFactory(team=team, name="Amir Brennan", organisation=uob)  # 100% too
    assert _pairs(team) == set()


def test_an_ambiguous_contact_keeps_its_ties_by_phone(team):
    factories.ContactFactory(team=team, name="Dr S. Taylor", phone="0117 928 9000")
    factories.ContactFactory(team=team, name="Sally Taylor")
    factories.ContactFactory(team=team, name="Stanley Taylor", phone="+44 117 928 9000")
    assert _pairs(team) == {("Dr S. Taylor", "Stanley Taylor")}


def test_the_page_wants_the_same_name_where_one_gives_no_organisation(team):
    uob = factories.OrganisationFactory()
    factories.ContactFactory(team=team, name="Ayesha Brennan", organisation=uob)
    aisha = factories.ContactFactory(team=team, name="Aisha Brennan")
    # Similar (89%) but one gives no organisation: a warning on entry, not on the page.
    assert _pairs(team) == set()
    assert [m.contact.name for m in candidates_of(aisha)] == ["Ayesha Brennan"]
    factories.ContactFactory(team=team, name="Aisha Brennan", organisation=uob)
    assert ("Ayesha Brennan", "Aisha Brennan") in _pairs(team)


def test_no_organisation_ties_to_one_at_an_organisation_only_as_its_one_name_tie(team, lead):
    from activities.merging import merge_contacts
    from teams.tenancy import team_access

    bristol = factories.OrganisationFactory()
    first = factories.ContactFactory(team=team, name="Louis Burns", organisation=bristol)
    factories.ContactFactory(team=team, name="Louis Burns")
    assert _pairs(team) == {("Louis Burns", "Louis Burns")}
    second = factories.ContactFactory(team=team, name="LOUIS BURNS", organisation=bristol)
    # Beside two of Bristol, the one of no organisation could be either: left out.
    assert _pairs(team) == {("Louis Burns", "LOUIS BURNS")}
    merge_contacts(team_access(lead, team.slug), first, [second], {"name": "Louis Burns"})
    assert _pairs(team) == {("Louis Burns", "Louis Burns")}
