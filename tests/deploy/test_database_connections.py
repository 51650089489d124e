"""The web process and its database: through PgBouncer in transaction mode, and without one.

PgBouncer runs from Debian's package (`.ci/run` installs it) on a free loopback
port, with a configuration written by the test, in front of the test's PostgreSQL.
"""

import datetime
import urllib.parse

import psycopg
import pytest

from tests.deploy.conftest import deploy_marks
from tests.deploy.servers import (
    PGBOUNCER,
    Client,
    Gunicorn,
    PgBouncer,
    free_port,
    production_env,
    running,
)
from tests.deploy.test_multi_instance import log_activity

pytestmark = deploy_marks


def test_the_app_works_through_pgbouncer_in_transaction_mode(
    deploy_database, static_root, seed, tmp_path
):
    if PGBOUNCER is None:
        pytest.skip("pgbouncer is not installed (apt-get install pgbouncer; .ci/run does)")
    url, _seed = deploy_database
    server = urllib.parse.urlsplit(url)
    bouncer = PgBouncer(tmp_path / "pgbouncer", server.hostname, server.port)
    through_bouncer = server._replace(netloc=f"postgres@127.0.0.1:{bouncer.port}").geturl()
    # The settings docs/deployment.md gives for transaction pooling.
    env = production_env(
        through_bouncer, static_root, DISABLE_SERVER_SIDE_CURSORS="1", CONN_MAX_AGE="0"
    )
    web = Gunicorn(env, tmp_path / "web", "web")
    with running(bouncer, web):
        browser = Client()
        browser.log_in(web.port, seed["lead"], seed["password"])
        title = "Seminar on evidence for commissioners (through PgBouncer)"
        assert log_activity(browser, web.port, seed, title).status == 302
        team = f"/teams/{seed['team']}"
        listing = browser.get(f"{team}/activities/", port=web.port)
        assert title in listing.text
        # The export streams rows from .iterator(): a server-side cursor, unless disabled.
        export = browser.get(f"{team}/activities/?export=csv", port=web.port)
        assert export.status == 200 and title in export.text
        quarter = f"{datetime.date.today().year}-q1"
        assert browser.get(f"{team}/reports/{quarter}/", port=web.port).status == 200
        assert browser.get("/healthz", port=web.port).status == 200

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
        (saved,) = conn.execute(
            "SELECT count(*) FROM activities_activity WHERE title = %s", [title]
        ).fetchone()
    assert saved == 1
    # Every connection of the web process went through PgBouncer.
    assert "login attempt" in bouncer.log_path.read_text()


def test_healthz_answers_503_with_a_reason_when_the_database_does_not(static_root, tmp_path):
    nowhere = f"postgres://kmtracker:secret-password@127.0.0.1:{free_port()}/kmtracker"
    env = production_env(nowhere, static_root, DB_CONNECT_TIMEOUT="2")
    web = Gunicorn(env, tmp_path / "w", ready_status=503)
    with running(web):
        response = Client(web.port).get("/healthz")
        assert response.status == 503
        assert response.json() == {
            "status": "unavailable",
            "reason": "database unavailable (OperationalError)",
        }
        assert "no-cache" in response.headers["Cache-Control"]
        # The reason names the kind of failure only: no host, port, user or password.
        assert "127.0.0.1" not in response.text and "secret" not in response.text
        # The operator finds the details in the log, under the request's id.
        request_id = response.headers["X-Request-ID"]
        entries = web.log_entries(
            until=lambda e: (e["logger"], e["request_id"]) == ("gunicorn.access", request_id)
        )
        (failure,) = [
            e for e in entries if (e["logger"], e["request_id"]) == ("kmtracker.views", request_id)
        ]
        assert failure["level"] == "WARNING"
        assert failure["message"].startswith("Health check failed: database:")
