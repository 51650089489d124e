"""A forgotten password, reset by e-mail: the link goes out through the mail job, works
once and for a while, and nobody learns from the page whether an address has an account."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from mail.models import OutgoingMessage
from tests import factories
from tests.jobs.inline import run_due_jobs

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-new-kettle-of-fish-42"
LINK = re.compile(r"https://testserver(/accounts/password/reset/[^/\s]+/[^/\s]+/)")


@pytest.fixture(autouse=True)
def fresh_limits():
    """The request limits live in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def nurse():
    return factories.UserFactory(username="nurse", email="nurse@nhs.example")


def ask_for_reset(client, email, address="10.0.0.1"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def reset_link(mailoutbox):
    """The path of the link in the one message sent."""
    (message,) = mailoutbox
    return LINK.search(message.body).group(1)


def set_password(client, link, password=NEW_PASSWORD):
    """Follow the link (it redirects to a form without the token) and send the form."""
    form_page = client.get(link, follow=True)
    return client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"new_password1": password, "new_password2": password},
    )


def test_a_reset_link_goes_out_through_the_mail_job(client, nurse, mailoutbox):
    response = ask_for_reset(client, "Nurse@NHS.example")

    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert mailoutbox == []  # the request sends nothing itself

    run_due_jobs()

    (message,) = mailoutbox
    assert message.to == ["nurse@nhs.example"]
    assert message.subject == "Choose a new KM Tracker password"
    assert "nurse" in message.body and "60 minutes" in message.body
    link = reset_link(mailoutbox)
    assert f'href="https://testserver{link}"' in message.alternatives[0].content
    assert OutgoingMessage.objects.get().status == OutgoingMessage.Status.SENT


def test_known_and_unknown_addresses_get_the_same_answer_and_the_same_work(client, nurse):
    known = ask_for_reset(client, "nurse@nhs.example")
    known_jobs = DBTaskResult.objects.count()
    unknown = ask_for_reset(client, "nobody@nhs.example")

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert DBTaskResult.objects.count() == 2 * known_jobs == 2  # one job each, nothing more
    assert OutgoingMessage.objects.count() == 0  # not even a message queued yet
    done = client.get(known["Location"])
    assert b"If an account has that address" in done.content


def test_an_unknown_address_gets_no_mail(client, nurse, mailoutbox):
    ask_for_reset(client, "nobody@nhs.example")
    run_due_jobs()

    assert mailoutbox == [] and OutgoingMessage.objects.count() == 0


def test_an_inactive_user_gets_no_mail(client, mailoutbox):
    factories.UserFactory(username="gone", email="gone@nhs.example", is_active=False)

    ask_for_reset(client, "gone@nhs.example")
    run_due_jobs()

    assert mailoutbox == []


def test_the_link_sets_a_new_password_once(client, nurse, mailoutbox):
    ask_for_reset(client, nurse.email)
    run_due_jobs()
    link = reset_link(mailoutbox)

    response = set_password(client, link)

    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_complete")
    nurse.refresh_from_db()
    assert nurse.check_password(NEW_PASSWORD)
    again = client.get(link, follow=True)
    assert b"This link no longer works" in again.content
    assert set_password(client, link, "yet-another-password-77").status_code == 200
    nurse.refresh_from_db()
    assert nurse.check_password(NEW_PASSWORD)


def test_the_link_expires_after_an_hour(client, nurse, mailoutbox):
    with freeze_time("2026-03-02 09:00"):
        ask_for_reset(client, nurse.email)
        run_due_jobs()
    link = reset_link(mailoutbox)

    with freeze_time("2026-03-02 10:01"):
        page = client.get(link, follow=True)

    assert b"This link no longer works" in page.content
    assert b'href="/accounts/password/reset/"' in page.content


def test_a_made_up_link_is_refused_like_an_expired_one(client, nurse):
    page = client.get(reverse("password_reset_confirm", args=["MQ", "made-up-token"]))

    assert page.status_code == 200 and b"This link no longer works" in page.content


def test_requests_are_limited_per_address_on_the_same_page(client, nurse, mailoutbox):
    answers = [ask_for_reset(client, nurse.email, address=f"10.0.0.{n}") for n in range(5)]
    run_due_jobs()

    assert {(answer.status_code, answer["Location"]) for answer in answers} == {
        (302, reverse("password_reset_done"))
    }
    assert len(mailoutbox) == 3


def test_requests_are_limited_per_client(client, nurse):
    for n in range(25):
        ask_for_reset(client, f"person{n}@nhs.example")

    assert DBTaskResult.objects.count() == 20


def test_a_completed_reset_ends_the_sign_in_pause(client, nurse, mailoutbox):
    for _ in range(5):
        client.post(reverse("login"), {"username": "nurse", "password": "wrong"})
    paused = client.post(reverse("login"), {"username": "nurse", "password": factories.PASSWORD})
    assert paused.status_code == 429

    ask_for_reset(client, nurse.email, address="127.0.0.1")
    run_due_jobs()
    set_password(client, reset_link(mailoutbox))
    response = client.post(reverse("login"), {"username": "nurse", "password": NEW_PASSWORD})

    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_the_sign_in_page_offers_the_reset(client):
    page = client.get(reverse("login"))

    assert f'href="{reverse("password_reset")}"'.encode() in page.content
