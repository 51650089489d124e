"""Writing the big tables fast: COPY (or INSERT), and their indexes and constraints rebuilt
once after the load."""

import time

from django.db import connection


class Writer:
    """Writes rows with COPY on PostgreSQL and INSERT elsewhere, with ids chosen here."""

    def __init__(self, cursor):
        self.cursor = cursor
        self.postgres = connection.vendor == "postgresql"

    def next_id(self, table):
        """The first free id of `table`; the caller writes ids from there up."""
        if self.postgres:
            self.cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        self.cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        return self.cursor.fetchone()[0]

    def write(self, model, columns, rows):
        """Write `rows` (tuples of `columns`) to the table of `model` (a model or a
        many-to-many field's through model), filling columns they leave out with the
        model's defaults unless the database has its own."""
        table = model._meta.db_table
        extra = [
            field
            for field in model._meta.concrete_fields
            if field.column not in columns and not field.primary_key and not field.has_db_default()
        ]
        if extra:
            columns = (*columns, *(field.column for field in extra))
            defaults = tuple(field.get_db_prep_save(field.get_default(), connection)
                             for field in extra)  # fmt: skip
            rows = (row + defaults for row in rows)
        if self.postgres:
            with self.cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                write_row = copy.write_row
                for row in rows:
                    write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
            self.cursor.executemany(sql, list(rows))

    def restart_ids(self, table):
        """Move the table's id sequence past the ids written here."""
        if self.postgres:
            self.cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT GREATEST(MAX(id), 1) FROM {table}))"
            )

    def timestamp(self, day):
        """Late afternoon of `day` (an ISO date), as the database's column expects it."""
        return f"{day} 16:30:00+00:00" if self.postgres else f"{day} 16:30:00"


class Rebuilt:
    """Drops the secondary indexes, unique constraints and foreign keys of `tables` on
    enter and adds them back, exactly as they were, on exit (PostgreSQL only).

    Building an index once over all rows is far faster than updating it row by row,
    and adding a foreign key back checks every row in one join instead of one lookup
    per row. Primary keys stay.
    """

    def __init__(self, cursor, tables, out):
        self.cursor, self.tables, self.out = cursor, tables, out
        self.indexes, self.constraints = [], []

    def __enter__(self):
        if connection.vendor != "postgresql":
            return self
        cursor = self.cursor
        # Check the rows written so far now: a table with checks still pending cannot
        # be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in self.tables:
            cursor.execute(
                "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype IN ('f', 'u') ORDER BY contype DESC",
                [table],
            )
            for name, kind, definition in cursor.fetchall():
                self.constraints.append((table, name, kind, definition))
            cursor.execute(
                "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid "
                "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT EXISTS ("
                "  SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid"
                "  AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))",
                [table],
            )
            self.indexes.extend(cursor.fetchall())
        for table, name, _kind, _definition in self.constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in self.indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        return self

    def __exit__(self, kind, error, traceback):
        if kind is not None or connection.vendor != "postgresql":
            return False
        started = time.monotonic()
        cursor = self.cursor
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _name, definition in self.indexes:
            cursor.execute(definition)
        # Unique constraints before foreign keys: nothing here references them, but keep
        # the order Django created them in.
        for table, name, _kind, definition in sorted(self.constraints, key=lambda c: c[2] != "u"):
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        # Fresh statistics for every table, the small ones written here included: plans
        # made for empty tables would read a million rows as if they were a hundred.
        cursor.execute("ANALYZE")
        self.out(
            f"  {len(self.indexes)} indexes and {len(self.constraints)} constraints rebuilt, "
            f"tables analysed in {time.monotonic() - started:.1f}s"
        )
        return False
