"""Back up and restore KM Tracker's database: `make backup`, `make restore FILE=...`.

    python -m kmtracker.backup backup [--dir backups] [--database URL]
    python -m kmtracker.backup restore FILE [--into URL] [--force]
    python -m kmtracker.backup fingerprint [--database URL]

The database is DATABASE_URL's, or the embedded SQLite file when it is not set (as in
kmtracker/settings.py). Django's settings are not loaded, so a backup needs no
SECRET_KEY and works whatever state the code is in.

- PostgreSQL: `pg_dump --format=custom`, one consistent snapshot however busy the
  database is; restored with `pg_restore` into a new or empty database (created when
  it does not exist). A password in the URL goes to the tools in PGPASSWORD, never on
  their command line.
- SQLite: SQLite's online backup API, which copies a consistent state of a live file
  (copying the file itself could catch a write half-done).

A restore refuses a database that already has tables unless `--force`, which empties it
first. `fingerprint` prints each table's row count and a checksum of its rows (and each
sequence's value): two databases with the same fingerprint hold the same data.
"""

import argparse
import contextlib
import datetime
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import urllib.parse
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_URL = f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
POSTGRESQL = "django.db.backends.postgresql"
SQLITE = "django.db.backends.sqlite3"


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why."""


def configured_url():
    return os.environ.get("DATABASE_URL") or DEFAULT_URL


def parse(url):
    """Django's settings dictionary for `url` (the same parser as the settings use)."""
    settings = dj_database_url.parse(url)
    if settings["ENGINE"] not in (POSTGRESQL, SQLITE):
        raise BackupError(f"cannot back up a {settings['ENGINE']} database")
    return settings


def _pg_env(settings):
    """Connection for the PostgreSQL client tools, in their own environment variables."""
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if settings.get(key):
            env[name] = str(settings[key])
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    return env


def _pg_connect(settings, dbname=None):
    import psycopg

    return psycopg.connect(
        dbname=dbname or settings["NAME"],
        host=settings.get("HOST") or None,
        port=settings.get("PORT") or None,
        user=settings.get("USER") or None,
        password=settings.get("PASSWORD") or None,
        autocommit=True,
        connect_timeout=10,
    )


def _run(command, env=None):
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode:
        raise BackupError(f"{command[0]} failed ({result.returncode}):\n{result.stderr.strip()}")


def backup_name(settings, now=None):
    """kmtracker-<database>-<UTC time>.<dump|sqlite3>: sorts by time, says what it holds."""
    now = now or datetime.datetime.now(datetime.UTC)
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    if settings["ENGINE"] == POSTGRESQL:
        return f"kmtracker-{settings['NAME']}-{stamp}.dump"
    return f"kmtracker-{Path(settings['NAME']).stem}-{stamp}.sqlite3"


def backup(url, directory, now=None):
    """Write a consistent copy of the database at `url` into `directory`; returns its path."""
    settings = parse(url)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / backup_name(settings, now)
    if target.exists():
        raise BackupError(f"{target} exists already")
    partial = target.with_name(target.name + ".partial")
    try:
        if settings["ENGINE"] == POSTGRESQL:
            command = ["pg_dump", "--format=custom", "--no-owner", f"--file={partial}"]
            _run([*command, "--dbname", settings["NAME"]], env=_pg_env(settings))
        else:
            _sqlite_copy(_sqlite_path(settings, must_exist=True), partial)
        # Only a complete backup gets the final name.
        partial.rename(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def restore(path, url, force=False):
    """Restore the backup at `path` into the database at `url`.

    Refuses a database with tables unless `force`, which empties it first.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"no backup at {path}")
    settings = parse(url)
    if settings["ENGINE"] == POSTGRESQL:
        _restore_postgresql(path, settings, force)
    else:
        target = _sqlite_path(settings, must_exist=False)
        if _sqlite_tables(target) and not force:
            raise BackupError(_refusal(target))
        target.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(path, target)


def _refusal(name):
    return (
        f"{name} already has tables: restore into a new or empty database, "
        "or pass --force (FORCE=1) to replace everything in it"
    )


def _restore_postgresql(path, settings, force):
    import psycopg
    from psycopg import sql

    try:
        connection = _pg_connect(settings)
    except psycopg.OperationalError as error:
        if f'"{settings["NAME"]}" does not exist' not in str(error):
            raise BackupError(str(error)) from error
        with _pg_connect(settings, "postgres") as server:
            server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(settings["NAME"])))
        connection = _pg_connect(settings)
    with connection:
        if _pg_tables(connection):
            if not force:
                raise BackupError(_refusal(settings["NAME"]))
            connection.execute("DROP SCHEMA public CASCADE")
            connection.execute("CREATE SCHEMA public")
    command = ["pg_restore", "--no-owner", "--exit-on-error", "--single-transaction"]
    _run([*command, "--dbname", settings["NAME"], str(path)], env=_pg_env(settings))


def _pg_tables(connection):
    return [
        name
        for (name,) in connection.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
        )
    ]


def _sqlite_path(settings, must_exist):
    name = settings["NAME"]
    if not name or name == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up or restore into")
    path = Path(name)
    if must_exist and not path.is_file():
        raise BackupError(f"no SQLite database at {path}")
    return path


def _sqlite_copy(source, target):
    # Opened read-only so that backing up can never create or change the source.
    with (
        contextlib.closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src,
        contextlib.closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)


def _sqlite_tables(path):
    if not Path(path).is_file():
        return []
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        rows = conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        ).fetchall()
    return [name for (name,) in rows]


def fingerprint(url):
    """{table: {"rows": count, "md5": checksum of its rows in order}}, and sequence values."""
    settings = parse(url)
    if settings["ENGINE"] == POSTGRESQL:
        return _pg_fingerprint(settings)
    return _sqlite_fingerprint(_sqlite_path(settings, must_exist=True))


def _pg_fingerprint(settings):
    from psycopg import sql

    result = {}
    with _pg_connect(settings) as connection:
        for table in _pg_tables(connection):
            query = sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) "
                "FROM {} AS t"
            ).format(sql.Identifier(table))
            rows, checksum = connection.execute(query).fetchone()
            result[table] = {"rows": rows, "md5": checksum}
        sequences = connection.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
        )
        for name, value in sequences:
            result[f"sequence {name}"] = {"last_value": value}
    return result


def _sqlite_fingerprint(path):
    result = {}
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        for table in _sqlite_tables(path):
            quoted = '"' + table.replace('"', '""') + '"'
            lines = sorted(repr(row) for row in conn.execute(f"SELECT * FROM {quoted}"))
            digest = hashlib.md5("\n".join(lines).encode(), usedforsecurity=False)
            result[table] = {"rows": len(lines), "md5": digest.hexdigest()}
    return result


def describe(url):
    """The database of `url` for messages, without its password."""
    password = urllib.parse.urlsplit(url).password
    return url.replace(f":{password}@", ":***@", 1) if password else url


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m kmtracker.backup", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("backup", help="write a backup into --dir")
    make.add_argument("--dir", default="backups", help="folder of the backups (default backups)")
    make.add_argument("--database", default=None, help="database URL (default DATABASE_URL)")
    back = commands.add_parser("restore", help="restore FILE into --into")
    back.add_argument("file")
    back.add_argument("--into", default=None, help="database URL (default DATABASE_URL)")
    back.add_argument("--force", action="store_true", help="replace a non-empty database")
    show = commands.add_parser("fingerprint", help="row counts and checksums per table")
    show.add_argument("--database", default=None, help="database URL (default DATABASE_URL)")
    args = parser.parse_args(argv)
    try:
        if args.command == "backup":
            url = args.database or configured_url()
            path = backup(url, args.dir)
            print(f"Backed up {describe(url)} to {path} ({path.stat().st_size:,} bytes).")
        elif args.command == "restore":
            url = args.into or configured_url()
            restore(args.file, url, force=args.force)
            tables = [entry for entry in fingerprint(url).values() if "rows" in entry]
            rows = sum(entry["rows"] for entry in tables)
            print(f"Restored {args.file} into {describe(url)}: {len(tables)} tables, {rows} rows.")
        else:
            print(json.dumps(fingerprint(args.database or configured_url()), indent=2))
    except BackupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
