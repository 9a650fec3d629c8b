"""A new row of the tables every registration writes, by a statement made once per model.

``Model.save()`` and ``create()`` compile the INSERT anew for every row: Django's
compiler quotes, places and prepares each column (the order has 36) and walks its
checks each time, a tenth of a registration's CPU. Here the statement's text is made
once per model and database, and each row only has its values prepared, by the same
field methods the compiler calls (``pre_save``, ``get_db_prep_save``: ``auto_now_add``
moments, JSON, foreign keys as ids). For models with no ``save()`` of their own and no
signal receivers (the orders' models have neither): those are not called.
"""

from __future__ import annotations

import functools

from django.db import connection
from django.db.models import Field, Model


def insert(row: Model) -> None:
    """Writes ``row`` as a new row (its automatic key, if any, set from the database),
    as ``row.save(force_insert=True)`` would."""
    sql, fields, auto = _statement(type(row), connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, _values(row, fields))
        if auto is not None:
            setattr(row, auto.attname, cursor.fetchone()[0])
    row._state.adding, row._state.db = False, connection.alias


def insert_unless_found(row: Model, *, match: tuple[str, ...]) -> bool:
    """Writes ``row`` as a new row unless one with the same values of the ``match``
    fields exists, in one statement (``INSERT … SELECT … WHERE NOT EXISTS …
    RETURNING``, PostgreSQL and SQLite 3.35+) instead of a look-up and an insert.
    True when written. Without a unique key on ``match``, two such statements at the
    same moment may both write, as a look-up followed by an insert would."""
    sql, fields, auto = _statement(type(row), connection.vendor, match)
    matched = [type(row)._meta.get_field(name) for name in match]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*_values(row, fields), *_values(row, matched)])
        written = cursor.fetchone()
    if written is None:
        return False
    setattr(row, auto.attname, written[0])
    row._state.adding, row._state.db = False, connection.alias
    return True


def _values(row: Model, fields: list[Field]) -> list:
    return [field.get_db_prep_save(field.pre_save(row, True), connection) for field in fields]


@functools.cache
def _statement(
    model: type[Model], vendor: str, match: tuple[str, ...] = ()
) -> tuple[str, list[Field], Field | None]:
    # ``vendor`` keys the cache: the quoting is the database's.
    quote = connection.ops.quote_name
    meta, auto = model._meta, model._meta.auto_field
    fields = [field for field in meta.concrete_fields if field is not auto]
    table = quote(meta.db_table)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({', '.join(quote(field.column) for field in fields)})"
    if match:
        found = " AND ".join(f"{quote(meta.get_field(name).column)} = %s" for name in match)
        sql += f" SELECT {placeholders} WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE {found})"
    else:
        sql += f" VALUES ({placeholders})"
    if auto is not None:
        sql += f" RETURNING {quote(auto.column)}"
    return sql, fields, auto
