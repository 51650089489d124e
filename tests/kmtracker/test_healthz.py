"""/healthz: 200 when the app and its database answer, 503 with a reason when not.

For load balancers and monitors: no sign-in, no data, never cached, never
redirected to HTTPS (a probe may come over plain HTTP).
"""

import socket

import pytest
from django.db import connection
from django.db.utils import ConnectionHandler

pytestmark = pytest.mark.django_db


@pytest.fixture
def broken_database(monkeypatch, tmp_path):
    """The view's connection points at a database that is not there (a real failed connect)."""
    params = dict(connection.settings_dict)
    if connection.vendor == "postgresql":
        with socket.socket() as sock:  # a port nobody listens on
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        params.update(HOST="127.0.0.1", PORT=port, PASSWORD="secret-password", CONN_MAX_AGE=0)
    else:
        params.update(NAME=str(tmp_path / "missing-folder" / "db.sqlite3"))
    broken = ConnectionHandler({"default": params})["default"]
    monkeypatch.setattr("kmtracker.views.connection", broken)
    yield
    broken.close()


def test_it_answers_200_to_anyone_without_signing_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


def test_it_answers_503_with_a_reason_and_no_details_when_the_database_does_not(
    client, broken_database
):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "reason": "database unavailable (OperationalError)",
    }
    assert "no-cache" in response["Cache-Control"]
    assert b"secret" not in response.content and b"127.0.0.1" not in response.content


def test_it_is_not_redirected_to_https_when_the_rest_of_the_site_is(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    assert client.get("/healthz").status_code == 200
    assert client.get("/accounts/login/").status_code == 301
