"""Sign-in throttling (django-axes): five failures of one username from one address
pause that pair for a quarter of an hour; nobody else is locked out, and a forged
X-Forwarded-For cannot escape the count."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from kmtracker.security import client_ip
from tests import factories

pytestmark = pytest.mark.django_db

HOSPITAL = "10.20.30.40"  # one address for a whole hospital's staff, behind its NAT
HOME = "192.0.2.7"
LIMIT = 5


@pytest.fixture
def nurse():
    return factories.UserFactory(username="nurse")


@pytest.fixture
def colleague():
    return factories.UserFactory(username="colleague")


def sign_in(client, username, password="wrong password", address=HOSPITAL, **headers):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def fail(client, username, times=LIMIT, **kwargs):
    """Sign in with a wrong password `times` times; the statuses of the answers."""
    return [sign_in(client, username, **kwargs).status_code for _ in range(times)]


def test_five_failures_pause_the_username_from_that_address(client, nurse):
    # The form again after each of the first four; the fifth pauses.
    assert fail(client, "nurse") == [200, 200, 200, 200, 429]

    response = sign_in(client, "nurse", password=factories.PASSWORD)

    assert response.status_code == 429
    page = response.content.decode()
    assert "Sign-in paused" in page
    assert "15 minutes" in page
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not(client, nurse):
    assert fail(client, "nurse", times=LIMIT - 1) == [200] * (LIMIT - 1)

    assert sign_in(client, "nurse", password=factories.PASSWORD).status_code == 302


def test_colleagues_behind_the_same_address_still_sign_in(client, nurse, colleague):
    fail(client, "nurse")

    response = sign_in(client, "colleague", password=factories.PASSWORD)

    assert response.status_code == 302


def test_the_same_username_from_another_address_still_signs_in(client, nurse):
    fail(client, "nurse")

    assert sign_in(client, "nurse", password=factories.PASSWORD, address=HOME).status_code == 302


def test_a_forged_forwarded_for_does_not_reset_the_count(client, nurse):
    for n in range(LIMIT):
        sign_in(client, "nurse", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")

    response = sign_in(
        client, "nurse", password=factories.PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99"
    )

    assert response.status_code == 429


# The client's address behind proxies we run.


def request_from(remote, forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().post("/accounts/login/", REMOTE_ADDR=remote, **headers)


def test_without_a_trusted_proxy_the_connection_is_the_client(settings):
    settings.TRUSTED_PROXIES = []

    assert client_ip(request_from(HOSPITAL, forwarded="203.0.113.9")) == HOSPITAL


def test_behind_one_proxy_the_address_it_saw_is_the_client(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]

    # The client wrote the first entry itself; nginx appended the address it saw.
    request = request_from("127.0.0.1", forwarded="203.0.113.9, " + HOSPITAL)

    assert client_ip(request) == HOSPITAL


def test_behind_a_load_balancer_and_nginx_the_address_the_outermost_saw(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/24"]

    request = request_from("127.0.0.1", forwarded=f"203.0.113.9, {HOSPITAL}, 10.0.0.5")

    assert client_ip(request) == HOSPITAL


def test_a_request_that_bypassed_the_proxy_is_its_connection(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]

    assert client_ip(request_from(HOME, forwarded=HOSPITAL)) == HOME


def test_a_garbled_forwarded_entry_is_not_believed(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]

    assert client_ip(request_from("127.0.0.1", forwarded="not-an-address")) == "127.0.0.1"


def test_behind_a_proxy_forged_entries_do_not_reset_the_count(client, nurse, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for n in range(LIMIT):
        sign_in(
            client, "nurse", address="127.0.0.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, {HOSPITAL}"
        )

    response = sign_in(
        client,
        "nurse",
        password=factories.PASSWORD,
        address="127.0.0.1",
        HTTP_X_FORWARDED_FOR=f"198.51.100.1, {HOSPITAL}",
    )

    assert response.status_code == 429


def test_sent_straight_to_gunicorn_a_rotating_forwarded_for_does_not_reset_the_count(
    client, nurse, settings
):
    """Behind one proxy, gunicorn reachable directly: an attacker who writes a new
    X-Forwarded-For on every attempt is still counted at their own address."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for n in range(LIMIT):
        sign_in(client, "nurse", address=HOME, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")

    response = sign_in(
        client,
        "nurse",
        password=factories.PASSWORD,
        address=HOME,
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )

    assert response.status_code == 429
