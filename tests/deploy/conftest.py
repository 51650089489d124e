"""Fixtures of the deployment tests: static files, a shared PostgreSQL database, processes.

These tests start real gunicorn (and PgBouncer, nginx) processes, which cannot see
the test transaction of pytest-django: they share a database of their own, cloned
from the migrated test database and seeded once by `tests/deploy/seed.py`. Each
module that starts processes carries `deploy_marks` (skipped without PostgreSQL).
"""

import json
import os
import secrets
import sys

import pytest

from kmtracker.lib.waiting import run_captured, wait_until
from tests.deploy.servers import GUNICORN, ROOT, manage, production_env


def on_postgresql():
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


deploy_marks = [
    pytest.mark.deploy,
    # Not for the test's own queries (it makes none) but so that pytest-django sets up the
    # test database, which `deploy_database` copies.
    pytest.mark.django_db,
    pytest.mark.skipif(
        not on_postgresql(),
        reason="deployment tests need DATABASE_URL=postgres://... (one PostgreSQL shared by "
        "several processes); `make deploy-check` and CI's PostgreSQL pass run them",
    ),
    pytest.mark.skipif(not GUNICORN.exists(), reason=f"gunicorn is not installed at {GUNICORN}"),
]


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """`collectstatic` with the production storage (hashed, compressed names), once a session.

    `make deploy-check` passes the folder it has already collected as DEPLOY_STATIC_ROOT.
    """
    given = os.environ.get("DEPLOY_STATIC_ROOT")
    if given and (ROOT / given / "staticfiles.json").exists():
        return ROOT / given
    root = tmp_path_factory.mktemp("staticfiles")
    # Hashing and compressing (gzip and Brotli) some 3,600 files: one to two minutes of one
    # core on an idle machine.
    env = production_env("sqlite://:memory:", root)
    manage(env, "collectstatic", "--no-input", "-v", "0", timeout=240)
    assert (root / "staticfiles.json").exists()
    return root


@pytest.fixture(scope="session")
def server_settings(django_db_setup, django_db_blocker):
    """Host, port and user of the PostgreSQL server of the test database, and its name."""
    from django.db import connection

    with django_db_blocker.unblock():
        settings = dict(connection.settings_dict)
    return settings


@pytest.fixture(scope="session")
def deploy_database(server_settings, django_db_blocker, static_root):
    """A database for the web processes: a copy of the migrated test database, seeded.

    Yields (url, seed) where seed is what tests/deploy/seed.py printed.
    """
    import psycopg
    from django.db import connections

    name = f"kmtracker_deploy_{os.getpid()}_{secrets.token_hex(3)}"
    admin = {
        "host": server_settings["HOST"] or "127.0.0.1",
        "port": server_settings["PORT"] or 5432,
        "user": server_settings["USER"] or "postgres",
        "password": server_settings["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with django_db_blocker.unblock():
        connections.close_all()  # a template database must have no other session
    with psycopg.connect(**admin) as conn:
        # A session closing a moment ago may not be gone from the server yet: PostgreSQL
        # refuses the copy (ObjectInUse) until it is.
        wait_until(
            lambda: conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{server_settings["NAME"]}"'),
            f"the test database {server_settings['NAME']} to have no other session, to copy it",
            5,
            interval=0.25,
            errors=(psycopg.errors.ObjectInUse,),
        )
    auth = admin["user"] + (f":{admin['password']}" if admin["password"] else "")
    url = f"postgres://{auth}@{admin['host']}:{admin['port']}/{name}"
    try:
        result = run_captured(
            [sys.executable, "-m", "tests.deploy.seed"],
            "tests/deploy/seed.py to seed the deployment database",
            20,
            env=production_env(url, static_root),
            cwd=ROOT,
        )
        assert result.returncode == 0, result.stderr
        yield url, json.loads(result.stdout.strip().splitlines()[-1])
    finally:
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def seed(deploy_database):
    return deploy_database[1]
