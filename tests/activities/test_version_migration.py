"""The migration that adds `version` is safe on a large table: PostgreSQL adds the column
without rewriting the table (a constant default is kept in the catalogue), and every row
already there reads as version 1."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from activities.models import Activity
from tests import factories

BEFORE = ("activities", "0002_conduits")
AFTER = ("activities", "0003_record_versions")


def storage_of(table):
    """The file PostgreSQL keeps the table in: a rewrite gives it a new one."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT relfilenode FROM pg_class WHERE relname = %s", [table])
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)  # migrations run outside the test's transaction
@pytest.mark.skipif(connection.vendor != "postgresql", reason="production's database")
def test_adding_the_version_rewrites_no_table_and_starts_every_row_at_one():
    first = factories.ActivityFactory(title="First")
    Activity.objects.bulk_create(
        Activity(
            team=first.team,
            lead_broker=first.lead_broker,
            activity_type=first.activity_type,
            category=first.category,
            date=first.date,
            title=f"Activity {n}",
        )
        for n in range(199)
    )
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate([BEFORE])
        before = storage_of(Activity._meta.db_table)
        executor.loader.build_graph()
        executor.migrate([AFTER])

        assert storage_of(Activity._meta.db_table) == before
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT version, count(*) FROM {Activity._meta.db_table} GROUP BY 1")
            assert cursor.fetchall() == [(1, 200)]
    finally:
        executor.loader.build_graph()
        executor.migrate(leaves)  # leave the schema complete for the tests that follow
