"""Migration operations that do not lock a large table while they work.

`CREATE INDEX` blocks every write to the table until the index is built, which on
the activity table of a large installation can be minutes. PostgreSQL builds an
index CONCURRENTLY without that lock (slower, and never inside a transaction);
SQLite, the development database, has no such thing and needs none. These
operations take the concurrent path on PostgreSQL and the plain one elsewhere,
so one migration serves both. Use them in a migration with `atomic = False`:

    class Migration(migrations.Migration):
        atomic = False
        dependencies = [("activities", "0002_conduits")]
        operations = [
            AddIndexConcurrentlyWhenPossible(
                "activity",
                models.Index(fields=["team", "-updated_at"], name="activity_team_updated"),
            ),
        ]

tests/kmtracker/test_migration_safety.py checks that no later migration of this
project adds an index to an existing table any other way.
"""

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db.migrations.operations import AddIndex, RemoveIndex


def _concurrently(schema_editor):
    return schema_editor.connection.vendor == "postgresql"


class AddIndexConcurrentlyWhenPossible(AddIndexConcurrently):
    """AddIndex, built CONCURRENTLY on PostgreSQL (whose migration must not be atomic)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if _concurrently(schema_editor):
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if _concurrently(schema_editor):
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)


class RemoveIndexConcurrentlyWhenPossible(RemoveIndexConcurrently):
    """RemoveIndex, dropped CONCURRENTLY on PostgreSQL (whose migration must not be atomic)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if _concurrently(schema_editor):
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            RemoveIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if _concurrently(schema_editor):
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            RemoveIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)
