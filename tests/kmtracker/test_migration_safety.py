"""Migrations that are safe on a large activity table, and that run back and forth.

On PostgreSQL (CI's first pass) indexes are built CONCURRENTLY; on SQLite the same
operation builds them plainly. The tests that change the schema leave it as they
found it, also when they fail.
"""

import pytest
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import NotSupportedError, connection, migrations, models
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import AddIndex, CreateModel
from django.test.utils import CaptureQueriesContext

from activities.models import Activity
from kmtracker.migration_operations import (
    AddIndexConcurrentlyWhenPossible,
    RemoveIndexConcurrentlyWhenPossible,
)
from tests import factories

PROJECT_APPS = ("activities", "evaluations")
# A concurrent index build cannot run inside the test's transaction: these tests commit,
# and pytest-django empties the tables after each (and runs them after the others).
schema_changing = pytest.mark.django_db(transaction=True)
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


def seed_activities(count=300):
    """A team's log of `count` activities, written in one statement."""
    activity = factories.ActivityFactory(title="First")
    Activity.objects.bulk_create(
        Activity(
            team=activity.team,
            lead_broker=activity.lead_broker,
            activity_type=activity.activity_type,
            category=activity.category,
            date=activity.date,
            title=f"Activity {n}",
            direction=activity.direction,
        )
        for n in range(count - 1)
    )
    return count


def migration(*operations, atomic=False):
    result = migrations.Migration("9999_index_for_test", "activities")
    result.atomic = atomic
    result.operations = list(operations)
    return result


def current_state():
    return MigrationExecutor(connection).loader.project_state()


def index_names():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Activity._meta.db_table)
    return {name for name, info in constraints.items() if info["index"]}


INDEX = models.Index(fields=["team", "-updated_at"], name="test_activity_team_updated")


@pytest.fixture(autouse=True)
def no_test_index_left_behind(request):
    yield
    if request.node.get_closest_marker("django_db"):
        with connection.cursor() as cursor:
            cursor.execute(f'DROP INDEX IF EXISTS "{INDEX.name}"')


def apply(migration_, state, backwards=False):
    """Run `migration_` as `migrate` would; returns the state after it and the SQL it ran."""
    with (
        CaptureQueriesContext(connection) as queries,
        connection.schema_editor(atomic=migration_.atomic) as editor,
    ):
        state = (migration_.unapply if backwards else migration_.apply)(state, editor)
    return state, [query["sql"] for query in queries]


@schema_changing
def test_an_index_is_added_and_removed_without_locking_the_seeded_activity_table():
    rows = seed_activities()
    adding = migration(AddIndexConcurrentlyWhenPossible("activity", INDEX))
    removing = migration(RemoveIndexConcurrentlyWhenPossible("activity", INDEX.name))
    concurrently = connection.vendor == "postgresql"

    before = current_state()
    after, sql = apply(adding, before.clone())
    assert INDEX.name in index_names()
    assert any(("CREATE INDEX CONCURRENTLY" in q) is concurrently for q in sql if "CREATE" in q)

    _state, sql = apply(adding, after, backwards=True)  # migrate back past it
    assert INDEX.name not in index_names()
    assert any(("DROP INDEX CONCURRENTLY" in q) is concurrently for q in sql if "DROP" in q)

    after, _sql = apply(adding, before.clone())
    _state, sql = apply(removing, after)  # a later migration that removes it
    assert INDEX.name not in index_names()
    assert any(("DROP INDEX CONCURRENTLY" in q) is concurrently for q in sql if "DROP" in q)
    assert Activity.objects.count() == rows


@pytest.mark.django_db
@on_postgresql
def test_it_refuses_to_build_concurrently_inside_a_transaction():
    adding = migration(AddIndexConcurrentlyWhenPossible("activity", INDEX), atomic=True)
    with pytest.raises(NotSupportedError, match="atomic = False"):
        apply(adding, current_state())
    assert INDEX.name not in index_names()


@schema_changing
@on_postgresql  # production's database; SQLite remakes whole tables and takes several times longer
def test_the_latest_migrations_of_each_app_run_back_and_forth_on_a_seeded_database():
    rows = seed_activities()
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    leaves = graph.leaf_nodes()
    try:
        # Back one step in each app (and so whatever depends on it), then all forward again.
        for app in PROJECT_APPS:
            (leaf,) = [node for node in leaves if node[0] == app]
            if leaf not in executor.loader.applied_migrations:
                continue  # already unapplied, as a dependant of an earlier app's
            parents = [p.key for p in graph.node_map[leaf].parents if p.key[0] == app]
            executor.migrate([parents[0] if parents else (app, None)])  # None: before 0001
            executor.loader.build_graph()
        executor.migrate(leaves)
    except Exception:
        executor.loader.build_graph()
        executor.migrate(leaves)  # leave the schema complete for the tests that follow
        raise
    assert Activity.objects.count() == rows


def test_no_later_migration_adds_an_index_to_an_existing_table_with_a_lock():
    """AddIndex locks writes to the table until the index is built: use the concurrent one."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    locking = []
    for (app, name), migration_ in loader.disk_migrations.items():
        if app not in PROJECT_APPS or migration_.initial:
            continue
        created = {op.name_lower for op in migration_.operations if isinstance(op, CreateModel)}
        for operation in migration_.operations:
            if (
                isinstance(operation, AddIndex)
                and not isinstance(operation, AddIndexConcurrently)
                and operation.model_name_lower not in created
            ):
                locking.append(f"{app}.{name}: {operation.describe()}")
    assert locking == [], (
        "Use kmtracker.migration_operations.AddIndexConcurrentlyWhenPossible "
        "in a migration with atomic = False"
    )
