"""Bulk writes for history import: COPY on PostgreSQL, executemany on SQLite.

``Loader`` writes rows already in the loader's form (``history_rows``: COPY text, or
tuples of SQLite values) inside the caller's transaction. Loading into empty tables
(a first load) it takes a faster path that leaves the same tables behind:

* the secondary indexes of the empty tables are dropped first and built again at the
  end — one sort per index instead of one B-tree insertion per row and index; unique
  indexes and primary keys stay, so they keep refusing duplicates while loading;
* on PostgreSQL the foreign keys touching those tables are dropped and added again at
  the end, which checks every row once with one join per constraint instead of one
  deferred trigger per row and constraint at commit, and the tables are truncated so
  that ``COPY … FREEZE`` can write the rows already frozen (no later rewrite of every
  page to set hint bits or to freeze them);
* on SQLite the page cache (which index builds also sort in) is enlarged for the
  import.

Everything happens in the import's transaction: a refused file rolls the indexes and
constraints back with the rows. A first load locks the tables it loads, and those
that refer to them, until it commits.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence

from django.db import connection

from hotline.orders.history_rows import copy_line, sqlite_row

# Page cache of a SQLite import, in KiB: index builds sort in it, and the pages being
# loaded are not written out and read back again and again. Restored afterwards.
SQLITE_CACHE_KIB = 1024 * 1024
# Memory of each index build at the end of a first load on PostgreSQL.
POSTGRES_INDEX_MEMORY = "512MB"


class Loader:
    def __init__(self, tables: Sequence[str], *, first_load: bool):
        """``tables``: every table the import writes, parents before children.
        ``first_load``: take the faster path for those of them that are empty."""
        self.tables = list(tables)
        self.postgres = connection.vendor == "postgresql"
        self.empty: list[str] = []  # tables loaded on the first-load path
        self._indexes: list[str] = []  # to build again, as CREATE INDEX statements
        self._constraints: list[tuple[str, str, str]] = []  # (table, name, definition)
        self._freeze: set[str] = set()
        self._pragmas: dict[str, object] = {}
        self.rebuild_seconds = 0.0  # spent in ``finish`` (for the benchmark)
        self._cursor = connection.cursor()
        if not self.postgres:
            self._tune_sqlite()
        if first_load:
            self._begin_first_load()

    # --- writing ------------------------------------------------------------------

    def write(self, table: str, columns: Sequence[str], data) -> None:
        """``data``: COPY text (bytes or str) on PostgreSQL, SQLite rows on SQLite."""
        if not data:
            return
        names = ", ".join(columns)
        if self.postgres:
            freeze = " WITH (FREEZE)" if table in self._freeze else ""
            # The driver's own cursor: a lost connection is raised as Django's error, which
            # the command reports as the database gone (exit 3), not a traceback.
            sql = f"COPY {table} ({names}) FROM STDIN{freeze}"
            with connection.wrap_database_errors, self._cursor.cursor.copy(sql) as copy:
                copy.write(data)
        else:
            marks = ", ".join("?" * len(columns))
            with connection.wrap_database_errors:
                connection.connection.executemany(
                    f"INSERT INTO {table} ({names}) VALUES ({marks})", data
                )

    def write_csv(
        self,
        table: str,
        columns: Sequence[str],
        blocks: Iterable[bytes],
        *,
        not_null: Sequence[str],
    ) -> int:
        """PostgreSQL only: COPY of CSV ``blocks`` (an empty unquoted value is NULL but in
        the ``not_null`` columns, where it is ''). Returns the rows written; the
        database's refusals are raised as Django's errors (IntegrityError…)."""
        freeze = "FREEZE, " if table in self._freeze else ""
        options = f"FORMAT csv, {freeze}FORCE_NOT_NULL ({', '.join(not_null)})"
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN ({options})"
        with connection.wrap_database_errors, self._cursor.cursor.copy(sql) as copy:
            for block in blocks:
                copy.write(block)
        return self._cursor.cursor.rowcount

    def write_values(self, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
        """Rows of Python values (aware datetimes, booleans, None…)."""
        if self.postgres:
            self.write(table, columns, "".join(copy_line(row) for row in rows))
        else:
            self.write(table, columns, [sqlite_row(row) for row in rows])

    def finish(self) -> None:
        """Builds the dropped indexes and constraints again; the caller then commits."""
        started = time.perf_counter()
        execute = self._cursor.execute
        if self._indexes and self.postgres:
            execute(f"SET LOCAL maintenance_work_mem = '{POSTGRES_INDEX_MEMORY}'")
        for statement in self._indexes:
            execute(statement)
        for table, name, definition in self._constraints:
            execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        self._indexes, self._constraints = [], []
        self.rebuild_seconds = time.perf_counter() - started

    def close(self) -> None:
        """Puts the connection's settings back (whether the import succeeded or not)."""
        try:
            for name, value in self._pragmas.items():
                self._cursor.execute(f"PRAGMA {name} = {value}")
        finally:
            self._cursor.close()

    # --- the first load -----------------------------------------------------------

    def _begin_first_load(self) -> None:
        execute, fetch = self._cursor.execute, self._cursor.fetchone
        if self.postgres:
            # Before looking: nobody may write to them until this import commits.
            execute(f"LOCK TABLE {', '.join(self.tables)} IN ACCESS EXCLUSIVE MODE")
        for table in self.tables:
            execute(f"SELECT EXISTS (SELECT 1 FROM {table})")
            if not fetch()[0]:
                self.empty.append(table)
        if not self.empty:
            return
        if self.postgres:
            self._first_load_postgres()
        else:
            self._first_load_sqlite()

    def _first_load_postgres(self) -> None:
        cursor = self._cursor
        # Checks still deferred from earlier in this transaction (a directory loaded in
        # the same transaction…) are made now: a table with pending checks cannot be
        # altered.
        connection.check_constraints()
        cursor.execute(
            """
            SELECT index.indexrelid::regclass::text, pg_get_indexdef(index.indexrelid)
            FROM pg_index index
            WHERE index.indrelid = ANY(%s::regclass[]) AND NOT index.indisunique
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = index.indexrelid)
            ORDER BY 1
            """,
            [self.empty],
        )
        indexes = cursor.fetchall()
        # Every foreign key from or to an empty table, so that they can be truncated.
        cursor.execute(
            """
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
            FROM pg_constraint
            WHERE contype = 'f'
              AND (conrelid = ANY(%s::regclass[]) OR confrelid = ANY(%s::regclass[]))
            ORDER BY 1, 2
            """,
            [self.empty, self.empty],
        )
        constraints = cursor.fetchall()
        for table, name, _ in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
        # COPY FREEZE needs the table truncated in this (sub)transaction; they are empty.
        cursor.execute(f"TRUNCATE {', '.join(self.empty)}")
        self._freeze = set(self.empty)
        self._indexes = [definition for _, definition in indexes]
        self._constraints = constraints

    def _first_load_sqlite(self) -> None:
        cursor = self._cursor
        marks = ", ".join("%s" for _ in self.empty)
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            f" AND tbl_name IN ({marks}) ORDER BY name",
            self.empty,
        )
        indexes = [
            (name, sql)
            for name, sql in cursor.fetchall()
            if not sql.upper().startswith("CREATE UNIQUE")
        ]
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        self._indexes = [sql for _, sql in indexes]

    def _tune_sqlite(self) -> None:
        # The sorts of index builds use this memory too before spilling to files.
        self._cursor.execute("PRAGMA cache_size")
        self._pragmas["cache_size"] = self._cursor.fetchone()[0]
        self._cursor.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KIB}")


def allocate_ids(table: str, count: int, *, state: dict) -> list[int]:
    """``count`` fresh primary keys for ``table``, safe against concurrent writers on
    PostgreSQL (the sequence) and on SQLite (the caller holds the write lock). ``state``
    keeps, per table, its sequence's name (PostgreSQL) or its highest id (SQLite)."""
    if count == 0:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if table not in state:
                # Looked up once: in the statement below the server would look it up
                # again for every id, several times the cost of ``nextval`` itself.
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                state[table] = cursor.fetchone()[0]
            cursor.execute(
                "SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [state[table], count]
            )
            return [row[0] for row in cursor.fetchall()]
        if table not in state:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            state[table] = cursor.fetchone()[0]
    first = state[table] + 1
    state[table] += count
    return list(range(first, first + count))
