"""The unsubscribe link: no sign-in, a signed token, a button for people and one-click for
mail clients (RFC 8058), the opt-out kept per person and per kind of mail."""

import pytest
from django.urls import reverse

from mail.models import OptOut
from mail.unsubscribe import make_token

pytestmark = pytest.mark.django_db


def link(token):
    return f"{reverse('mail:unsubscribe')}?token={token}"


def test_opening_the_link_asks_and_only_the_button_unsubscribes(client, broker):
    url = link(make_token("weekly_digest", broker))
    page = client.get(url)
    assert page.status_code == 200 and b"Stop receiving weekly digest e-mails" in page.content
    assert not OptOut.objects.exists()  # a link checker opening it unsubscribes no one

    done = client.post(url)
    assert done.status_code == 200 and b"no more weekly digest e-mails" in done.content
    assert client.post(url).status_code == 200  # twice is harmless
    assert list(OptOut.objects.values_list("user", "kind")) == [(broker.pk, "weekly_digest")]
    assert b"no more" in client.get(url).content


def test_each_kind_and_each_person_is_apart(client, broker, lead):
    client.post(link(make_token("weekly_digest", broker)))
    client.post(link(make_token("quarterly_report", lead)))
    client.post(link(make_token("weekly_digest", address="Guest@Example.org")))
    assert set(OptOut.objects.values_list("user", "address", "kind")) == {
        (broker.pk, "", "weekly_digest"),
        (lead.pk, "", "quarterly_report"),
        (None, "guest@example.org", "weekly_digest"),
    }


@pytest.mark.parametrize("token", ["", "not-a-token", "tampered"])
def test_a_link_that_is_not_ours_changes_nothing(client, broker, token):
    if token == "tampered":
        token = make_token("weekly_digest", broker)
        token = token[:-1] + ("A" if token[-1] != "A" else "B")  # another signature
    assert client.get(link(token)).status_code == 400
    assert client.post(link(token), {"List-Unsubscribe": "One-Click"}).status_code == 400
    assert not OptOut.objects.exists()
