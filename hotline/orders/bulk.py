"""Bulk writes for history import: COPY on PostgreSQL, executemany on SQLite.

Rows are tuples of Python values in the order of ``columns``; aware datetimes are
accepted on both databases.
"""

from collections.abc import Sequence
from datetime import UTC, datetime

from django.db import connection


def write_rows(table: str, columns: Sequence[str], rows: list[tuple]) -> None:
    if not rows:
        return
    if connection.vendor == "postgresql":
        _copy(table, columns, rows)
    else:
        _insert_many(table, columns, rows)


def _copy(table: str, columns: Sequence[str], rows: list[tuple]) -> None:
    names = ", ".join(columns)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _sqlite_value(value):
    # Django keeps SQLite datetimes as naive UTC text; do the same.
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    return value


def _insert_many(table: str, columns: Sequence[str], rows: list[tuple]) -> None:
    marks = ", ".join("?" * len(columns))
    names = ", ".join(columns)
    # Which columns hold datetimes, judged from the first row that has a value there.
    moments = [
        i
        for i in range(len(columns))
        if any(isinstance(row[i], datetime) for row in rows[:200] if row[i] is not None)
    ]
    if moments:
        rows = [list(row) for row in rows]
        for row in rows:
            for i in moments:
                row[i] = _sqlite_value(row[i])
    connection.ensure_connection()
    connection.connection.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def allocate_ids(table: str, count: int, *, state: dict) -> list[int]:
    """``count`` fresh primary keys for ``table``, safe against concurrent writers on
    PostgreSQL (the sequence) and on SQLite (the caller holds the write lock)."""
    if count == 0:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        if table not in state:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            state[table] = cursor.fetchone()[0]
    first = state[table] + 1
    state[table] += count
    return list(range(first, first + count))
