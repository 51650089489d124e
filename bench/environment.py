"""`make bench`'s environment: the bench database of each size, created, migrated and
seeded once, the settings it runs with, and the machine it runs on."""

import datetime
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def server_url():
    return os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")


def database_name(activities):
    return f"kmtracker_bench_{activities}"


def configure(activities):
    """Production settings (no debug query log), on plain HTTP, against the bench database."""
    os.environ["DATABASE_URL"] = f"{server_url()}/{database_name(activities)}"
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-" + "x" * 40)
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    os.environ.setdefault("SECURE_COOKIES", "0")
    os.environ.setdefault("STATIC_MANIFEST", "0")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kmtracker.settings")
    import django

    django.setup()


def admin_connection():
    import psycopg

    return psycopg.connect(f"{server_url()}/postgres", autocommit=True)


def database_comment(name):
    with admin_connection() as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
    if row is None:
        return None
    try:
        return json.loads(row[0] or "{}")
    except ValueError:
        return {}


def recreate_database(name):
    with admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def vacuum(name):
    """VACUUM ANALYZE, as autovacuum soon would: without it the first reads of the fresh
    rows write hint bits and index-only scans visit the heap, slowing whatever runs first."""
    import psycopg

    started = time.monotonic()
    with psycopg.connect(f"{server_url()}/{name}", autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
    return round(time.monotonic() - started, 2)


def ensure_dataset(activities, reseed):
    """Create, migrate and seed the bench database unless it already holds the dataset;
    the seeding record (seconds, when) is kept in the database's comment."""
    name = database_name(activities)
    record = database_comment(name)
    if reseed or not record or record.get("activities") != activities:
        print(f"Creating {name} and seeding {activities:,} activities…", flush=True)
        recreate_database(name)
        record = None
    configure(activities)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if record is None:
        from demo.large import seed_large

        seconds = seed_large(activities=activities, force=True, stdout=sys.stdout)
        record = {
            "activities": activities,
            "seconds": round(seconds, 2),
            "vacuum_seconds": vacuum(name),
            "seeded_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        }
        with admin_connection() as conn:
            conn.execute(f"COMMENT ON DATABASE \"{name}\" IS '{json.dumps(record)}'")
    return record


def machine():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(memory, 1),
        "python": platform.python_version(),
        "postgresql": version,
        "platform": platform.platform(),
    }
