"""`make backup` and `make restore` (kmtracker/backup.py): a restore holds what was backed up.

SQLite files are made here, so those tests run on either database. The PostgreSQL
tests back up the suite's own test database (its rows committed, hence
`transaction=True`) and restore it into a new database beside it.
"""

import datetime
import os
import secrets
import sqlite3
from contextlib import closing

import pytest

from kmtracker import backup
from tests import factories

on_postgresql = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="pg_dump and pg_restore need DATABASE_URL=postgres://... (CI's PostgreSQL pass)",
)


def sqlite_database(path, rows):
    """A SQLite file with awkward values: NULLs, bytes, any script, an autoincrement."""
    with closing(sqlite3.connect(path)) as conn:
        conn.executescript(
            "CREATE TABLE note (id INTEGER PRIMARY KEY AUTOINCREMENT, text TEXT, data BLOB);"
            "CREATE TABLE empty (id INTEGER PRIMARY KEY);"
        )
        conn.executemany(
            "INSERT INTO note (text, data) VALUES (?, ?)",
            [(f"note {n} – ünïcode 𝕏", bytes([n % 256, 0])) for n in range(rows)] + [(None, None)],
        )
        conn.commit()
    return f"sqlite:///{path}"


def test_names_say_which_database_and_when():
    settings = backup.parse("postgres://postgres@127.0.0.1:5432/kmtracker")
    when = datetime.datetime(2026, 3, 31, 23, 59, 58, tzinfo=datetime.UTC)
    assert backup.backup_name(settings, when) == "kmtracker-kmtracker-20260331T235958Z.dump"
    settings = backup.parse("sqlite:////srv/km/db.sqlite3")
    assert backup.backup_name(settings, when) == "kmtracker-db-20260331T235958Z.sqlite3"


def test_a_sqlite_restore_matches_the_original(tmp_path):
    original = sqlite_database(tmp_path / "db.sqlite3", rows=500)
    path = backup.backup(original, tmp_path / "backups")
    restored = f"sqlite:///{tmp_path / 'restored' / 'db.sqlite3'}"

    backup.restore(path, restored)

    before, after = backup.fingerprint(original), backup.fingerprint(restored)
    assert after == before
    assert before["note"]["rows"] == 501
    assert before["sqlite_sequence"]["rows"] == 1  # the next id carries on where it was


def test_a_sqlite_backup_of_a_live_database_holds_only_committed_rows(tmp_path):
    original = sqlite_database(tmp_path / "db.sqlite3", rows=10)
    committed = backup.fingerprint(original)
    with closing(sqlite3.connect(tmp_path / "db.sqlite3")) as writer:
        writer.execute("BEGIN")
        writer.execute("INSERT INTO note (text) VALUES ('not yet committed')")
        path = backup.backup(original, tmp_path / "backups")
        writer.rollback()

    restored = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    backup.restore(path, restored)
    assert backup.fingerprint(restored) == committed


def test_a_restore_refuses_a_database_with_tables_unless_forced(tmp_path):
    original = sqlite_database(tmp_path / "db.sqlite3", rows=3)
    path = backup.backup(original, tmp_path / "backups")
    other = sqlite_database(tmp_path / "other.sqlite3", rows=7)

    with pytest.raises(backup.BackupError, match="already has tables"):
        backup.restore(path, other)
    assert backup.fingerprint(other)["note"]["rows"] == 8

    backup.restore(path, other, force=True)
    assert backup.fingerprint(other) == backup.fingerprint(original)


def test_the_command_line_backs_up_and_restores(tmp_path, capsys):
    original = sqlite_database(tmp_path / "db.sqlite3", rows=5)
    folder = tmp_path / "backups"

    assert backup.main(["backup", "--database", original, "--dir", str(folder)]) == 0
    (path,) = folder.iterdir()
    assert path.suffix == ".sqlite3"
    assert not list(folder.glob("*.partial"))
    target = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    assert backup.main(["restore", str(path), "--into", target]) == 0
    # note: 6 rows, empty: none, sqlite_sequence: 1
    assert "3 tables, 7 rows" in capsys.readouterr().out

    assert backup.main(["restore", str(path), "--into", target]) == 1
    assert "--force" in capsys.readouterr().err
    assert backup.main(["restore", str(tmp_path / "missing.dump"), "--into", target]) == 1
    assert "no backup at" in capsys.readouterr().err


def test_passwords_are_not_shown():
    url = "postgres://km:s3cret@db.example:5432/kmtracker"
    assert backup.describe(url) == "postgres://km:***@db.example:5432/kmtracker"
    assert backup._pg_env(backup.parse(url))["PGPASSWORD"] == "s3cret"


@pytest.fixture
def committed_records(transactional_db):
    """A team's records, committed so that pg_dump sees them, with their history."""
    team = factories.TeamFactory(slug="backup-team")
    broker = factories.BrokerFactory(team=team)
    contacts = factories.ContactFactory.create_batch(3, team=team)
    activities = [
        factories.ActivityFactory(team=team, lead_broker=broker, contacts=contacts)
        for _ in range(5)
    ]
    outcome = factories.OutcomeFactory(team=team, activity=activities[0])
    outcome.contacts.set(contacts[:1])
    return team


@pytest.fixture
def server_url():
    """The URL of the test database, and a function naming a new database beside it."""
    from django.db import connection

    settings = connection.settings_dict
    auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    server = f"postgres://{auth}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    return server, settings["NAME"]


@pytest.fixture
def new_database(server_url):
    """The URL of a database that does not exist yet; dropped after the test."""
    import psycopg

    server, test_database = server_url
    name = f"{test_database}_restored_{secrets.token_hex(3)}"
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres".replace("postgres://", "postgresql://", 1)) as conn:
        conn.autocommit = True
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@on_postgresql
def test_a_postgresql_restore_into_a_new_database_matches_the_original(
    committed_records, server_url, new_database, tmp_path
):
    server, test_database = server_url
    original = f"{server}/{test_database}"
    path = backup.backup(original, tmp_path)
    assert path.read_bytes().startswith(b"PGDMP")  # pg_dump's custom format

    backup.restore(path, new_database)

    before, after = backup.fingerprint(original), backup.fingerprint(new_database)
    assert after == before
    assert before["activities_activity"]["rows"] == 5
    assert before["activities_activity_contacts"]["rows"] == 15
    assert before["activities_team"]["rows"] >= 1
    assert any(name.startswith("sequence ") for name in before)


@on_postgresql
def test_a_postgresql_restore_refuses_a_database_with_tables_unless_forced(
    committed_records, server_url, new_database, tmp_path
):
    server, test_database = server_url
    original = f"{server}/{test_database}"
    path = backup.backup(original, tmp_path)
    backup.restore(path, new_database)

    with pytest.raises(backup.BackupError, match="already has tables"):
        backup.restore(path, new_database)

    backup.restore(path, new_database, force=True)
    assert backup.fingerprint(new_database) == backup.fingerprint(original)
