"""Evaluators read contacts as pseudonyms in an order that says nothing of their names.

Three contacts of team A are named so that the order of their names is neither
the order of their pseudonyms nor of their ids. They take part in the team's
activity, outcome and project; on every page and file an evaluator may open,
wherever two or more of their pseudonyms appear, they appear in pseudonym or id
order, never in the order of the real names.
"""

import itertools

import pytest

from activities.models import Contact
from tests import factories
from tests.sentinels import seed_team
from tests.test_leak_sentinels import pages, signed_in, text_of
from tests.test_url_matrix import url_for

pytestmark = pytest.mark.django_db

NAMES = ("Aaron Ash", "Mona Mill", "Zed Zane")


def contacts_named_out_of_order(team):
    """Three contacts whose names sort differently from both their ids and pseudonyms."""
    contacts = [factories.ContactFactory(team=team, name=f"Placeholder {n}") for n in range(3)]
    by_pseudonym = sorted(contacts, key=lambda contact: contact.pseudonym)
    for order in itertools.permutations(contacts):
        if list(order) not in (contacts, by_pseudonym):
            break
    for name, contact in zip(NAMES, order, strict=True):
        contact.name = name
        contact.save()
    return contacts, by_pseudonym, list(order)


def appearing(text, contacts):
    """The contacts whose pseudonyms appear in `text`, in the order they first appear."""
    found = [(text.find(contact.pseudonym), contact) for contact in contacts]
    return [contact for at, contact in sorted(found, key=lambda pair: pair[0]) if at >= 0]


def test_evaluators_never_read_pseudonyms_in_the_order_of_names(
    team, broker, lead, evaluator, other_team, other_broker, other_lead, other_evaluator
):
    a = seed_team(team, broker, lead, evaluator, "a")
    by_id, by_pseudonym, by_name = contacts_named_out_of_order(team)
    a["activity"].contacts.add(*by_id)
    a["outcome"].contacts.add(*by_id)
    a["project"].partners.add(*by_id)
    client = signed_in(evaluator)
    revealing, compared = [], 0
    for name, target, query in pages("evaluator"):
        text = text_of(client.get(url_for(name, target, a) + query))
        shown = appearing(text, by_id)
        if len(shown) < 2:
            continue
        compared += 1
        fair = [[c for c in order if c in shown] for order in (by_id, by_pseudonym)]
        if shown not in fair:
            revealing.append(f"{name}{query}: {[c.pk for c in shown]}")
    assert not revealing, "\n".join(revealing)
    assert compared >= 5
    assert Contact.objects.filter(name__in=NAMES).count() == 3
