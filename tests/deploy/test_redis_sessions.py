"""With REDIS_URL set, sessions and the cache live in Redis, shared by every instance.

Uses the Redis server on 127.0.0.1:6379 (database 15, keys under a prefix of
this run's own, removed afterwards); skipped when none answers there.
"""

import secrets

import psycopg
import pytest

from tests.deploy.conftest import deploy_marks
from tests.deploy.servers import Client, Gunicorn, production_env, running

pytestmark = deploy_marks

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis answers at {REDIS_URL}")
    yield client
    client.close()


def test_a_session_made_on_one_instance_is_in_redis_and_good_on_the_other(
    redis, deploy_database, static_root, seed, tmp_path
):
    url, _seed = deploy_database
    prefix = f"kmtracker-test-{secrets.token_hex(4)}"
    env = production_env(url, static_root, REDIS_URL=REDIS_URL, CACHE_KEY_PREFIX=prefix)
    a, b = Gunicorn(env, tmp_path / "a", "a"), Gunicorn(env, tmp_path / "b", "b")
    try:
        with running(a, b):
            browser = Client()
            browser.log_in(a.port, seed["broker"], seed["password"])
            session = browser.cookies["sessionid"]
            team = f"/teams/{seed['team']}/"
            page = browser.get(team, port=b.port)
            assert page.status == 200  # signed in on A, known on B

            assert redis.exists(f"{prefix}:1:django.contrib.sessions.cache{session}")
            with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
                (in_database,) = conn.execute(
                    "SELECT count(*) FROM django_session WHERE session_key = %s", [session]
                ).fetchone()
            assert in_database == 0

            # Signing out on B ends the session on A too.
            token = {"csrfmiddlewaretoken": page.csrf_token()}
            assert browser.post("/accounts/logout/", token, port=b.port).status == 302
            browser.cookies["sessionid"] = session  # even if the browser kept the cookie
            assert browser.get(team, port=a.port).status == 302
    finally:
        keys = list(redis.scan_iter(f"{prefix}:*"))
        if keys:
            redis.delete(*keys)
