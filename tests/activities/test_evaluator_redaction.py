"""Evaluators read contacts named in free text as pseudonyms, on every page and in every file.

The brokers' records of a team are seeded with a sentence naming a contact, her e-mail
address and phone number in every free-text field (`named_world`). Every page,
download and search the URL matrix lets an evaluator open must show none of them; brokers
and leads read the text as written, and the stored text is unchanged.
"""

import pytest

from activities.models import Activity
from tests.activities.named import EMAIL, FORBIDDEN, NAME, PHONE, SENTENCE
from tests.test_leak_sentinels import pages, signed_in, text_of
from tests.test_url_matrix import url_for

pytestmark = pytest.mark.django_db


def test_no_page_or_file_shows_an_evaluator_a_name_in_free_text(named_world):
    client = signed_in(named_world["users"]["evaluator"])
    leaks, walked = [], 0
    for name, target, query in pages("evaluator"):
        response = client.get(url_for(name, target, named_world) + query)
        assert response.status_code == 200, (name, query, response.status_code)
        text = text_of(response).lower()
        walked += 1
        for word in FORBIDDEN:
            if word in text:
                at = text.index(word)
                leaks.append(f"{name}{query}: {text[max(at - 80, 0) : at + 40]!r}")

    assert not leaks, "\n".join(leaks)
    assert walked > 50


def test_evaluators_read_the_contacts_pseudonym_and_placeholders(
    named_world, client_for, evaluator
):
    activity = named_world["activity"]
    response = client_for(evaluator).get(activity.get_absolute_url())

    pseudonym = named_world["contact"].pseudonym
    assert f"Met {pseudonym} ([email], [phone]); {pseudonym}&#x27;s team" in response.text


def test_brokers_and_leads_read_the_text_as_written(named_world, client_for, broker, lead):
    activity = named_world["activity"]
    for user in (broker, lead):
        response = client_for(user).get(activity.get_absolute_url())
        assert f"Met Dr {NAME} ({EMAIL}, {PHONE})" in response.text
    assert Activity.objects.get(pk=activity.pk).description.startswith(SENTENCE)


def test_an_evaluators_search_by_a_name_finds_nothing(named_world, client_for, evaluator, broker):
    url = url_for("activities:activity_list", "team", named_world)

    assert list(client_for(broker).get(url + "?q=Brennan").context["object_list"])
    assert not list(client_for(evaluator).get(url + "?q=Brennan").context["object_list"])
    assert not list(client_for(evaluator).get(url + "?q=nhs.net").context["object_list"])
    assert list(client_for(evaluator).get(url + "?q=zqa").context["object_list"])
