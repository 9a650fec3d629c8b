"""Hands out order numbers; safe under concurrent intake on both databases.

The increment is a single UPDATE, which PostgreSQL row-locks until commit and
SQLite serialises, so two intakes never read the same value.
"""

from __future__ import annotations

from django.db import IntegrityError, connection, connections, transaction
from django.db.models import F
from django.db.models.functions import Greatest

from hotline.domain.numbering import format_number, parse_number
from hotline.orders.models import OrderSequence


def next_number(year: int) -> str:
    return allocate_numbers(year, 1)[0]


def allocate_numbers(year: int, count: int) -> list[str]:
    """``count`` consecutive fresh numbers of ``year`` (history import takes many at once)."""
    last = _advance(year, count)
    if last is None:
        try:
            with transaction.atomic():
                OrderSequence.objects.create(year=year, last=count)
            last = count
        except IntegrityError:
            # Another intake created the year's row first; take the values after it.
            last = _advance(year, count)
    return [format_number(year, n) for n in range(last - count + 1, last + 1)]


def _advance(year: int, count: int) -> int | None:
    """The year's counter moved on and read back by one statement (``UPDATE …
    RETURNING``, PostgreSQL and SQLite 3.35+); None when the year has no row yet."""
    table = connection.ops.quote_name(OrderSequence._meta.db_table)
    last, of_year = (connection.ops.quote_name(column) for column in ("last", "year"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {last} = {last} + %s WHERE {of_year} = %s RETURNING {last}",
            [count, year],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def reserve_number(number: str) -> None:
    """Keeps the sequence ahead of a number that came from elsewhere (history import)."""
    year, sequence = parse_number(number)
    if not OrderSequence.objects.filter(year=year).update(last=Greatest(F("last"), sequence)):
        # Inside the caller's transaction, which a failure here ends: no savepoint.
        with transaction.atomic(savepoint=False):
            OrderSequence.objects.get_or_create(year=year, defaults={"last": sequence})


class ImportNumbering:
    """The numbers of a history import.

    The year's row is the one every intake takes its number from: held by an import
    until its commit, it would make intake wait for the whole import. So on PostgreSQL,
    when the import is not inside a transaction of its caller's, each reservation is a
    short transaction of its own, on a connection of its own: the row is locked for a
    moment. A refused import leaves the numbers it took unused (numbers are unique and
    gap-tolerant, SPEC 3). Inside a caller's transaction (which may already hold the
    row) and on SQLite (one writer at a time anyway) they are taken in the import's
    transaction."""

    def __init__(self, *, apart: bool):
        self._side = None
        if apart and connection.vendor == "postgresql":
            wrapper = connections[connection.alias]
            self._side = type(wrapper)(dict(wrapper.settings_dict), wrapper.alias)

    def allocate(self, year: int, count: int) -> list[str]:
        if self._side is None:
            return allocate_numbers(year, count)
        last = self._upsert(year, count, f"{OrderSequence._meta.db_table}.last + EXCLUDED.last")
        return [format_number(year, n) for n in range(last - count + 1, last + 1)]

    def reserve(self, number: str) -> None:
        if self._side is None:
            reserve_number(number)
            return
        year, sequence = parse_number(number)
        self._upsert(
            year, sequence, f"GREATEST({OrderSequence._meta.db_table}.last, EXCLUDED.last)"
        )

    def _upsert(self, year: int, value: int, last: str) -> int:
        """One statement in autocommit: the row's lock lasts as long as the statement."""
        table = OrderSequence._meta.db_table
        with self._side.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (year, last) VALUES (%s, %s) "
                f"ON CONFLICT (year) DO UPDATE SET last = {last} RETURNING last",
                [year, value],
            )
            return cursor.fetchone()[0]

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
