"""Trigram indexes for the activity list's text search, on PostgreSQL only.

The search is `icontains` on title and description, which PostgreSQL writes as
`UPPER(column::text) LIKE UPPER(%s)`: without these indexes it reads every activity
that the other filters let through, and grows with the log. SQLite has no trigram
indexes and keeps its plain scan. pg_trgm is a trusted extension (PostgreSQL 13 and
later): the database's owner may create it. Built CONCURRENTLY, so that writes to a
large activity table go on while they are built.
"""

from django.db import migrations

INDEXES = {
    "activity_title_trgm": "UPPER(title) gin_trgm_ops",
    "activity_description_trgm": "UPPER(description) gin_trgm_ops",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} "
            f"ON activities_activity USING gin ({expression})"
        )
    # The planner knows nothing of an expression index's values until the table is
    # analysed, and until then prefers to read every row the search term matches in any
    # team; ANALYZE samples a fixed number of rows, so it is quick at any size.
    schema_editor.execute("ANALYZE activities_activity")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("activities", "0003_record_versions")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
