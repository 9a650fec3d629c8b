"""A new row of the tables every registration writes, by a statement made once per model.

``Model.save()`` and ``create()`` compile the INSERT anew for every row: Django's
compiler quotes, places and prepares each column (the order has 36) and walks its
checks each time, a tenth of a registration's CPU. Here the statement's text is made
once per model and database, and each row only has its values prepared, by the same
field methods the compiler calls (``pre_save``, ``get_db_prep_save``: ``auto_now_add``
moments, JSON, foreign keys as ids). For models with no ``save()`` of their own and no
signal receivers (the orders' models have neither): those are not called.

On PostgreSQL the rows of one use case go together (``together``): one statement, a
data-modifying ``WITH`` part per row, writes them all, a row naming another of them by
its foreign key, in one round trip and one parse instead of one per row.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection
from django.db.models import Field, Model

_local = threading.local()


def insert(row: Model) -> None:
    """Writes ``row`` as a new row (its automatic key, if any, set from the database),
    as ``row.save(force_insert=True)`` would; inside ``together``, when the block ends."""
    if _pending() is not None:
        _defer(row, ())
        return
    sql, plan, auto = _statement(type(row), connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, _values(row, plan))
        if auto is not None:
            setattr(row, auto.attname, cursor.fetchone()[0])
    row._state.adding, row._state.db = False, connection.alias


def insert_unless_found(row: Model, *, match: tuple[str, ...]) -> bool:
    """Writes ``row`` as a new row unless one with the same values of the ``match``
    fields exists, in one statement (``INSERT … SELECT … WHERE NOT EXISTS …
    RETURNING``, PostgreSQL and SQLite 3.35+) instead of a look-up and an insert.
    True when written. Without a unique key on ``match``, two such statements at the
    same moment may both write, as a look-up followed by an insert would."""
    vendor = connection.vendor
    sql, plan, auto = _statement(type(row), vendor, match)
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [*_values(row, plan), *_values(row, _matched(type(row), vendor, match))]
        )
        written = cursor.fetchone()
    if written is None:
        return False
    setattr(row, auto.attname, written[0])
    row._state.adding, row._state.db = False, connection.alias
    return True


def insert_or_found(row: Model, *, match: tuple[str, ...]) -> None:
    """``insert_unless_found``; when a row with the same ``match`` values exists,
    ``row`` becomes the first of them (the lowest key) with every field as stored.
    Inside ``together``, when the block ends."""
    if _pending() is not None:
        _defer(row, match)
    elif not insert_unless_found(row, match=match):
        lookup = {name: getattr(row, type(row)._meta.get_field(name).attname) for name in match}
        _become(row, type(row)._default_manager.filter(**lookup).order_by("pk")[:1])


@contextmanager
def together() -> Iterator[None]:
    """On PostgreSQL, the rows ``insert`` and ``insert_or_found`` get inside the block
    are written when it ends, by one statement, and their keys set then (and the
    foreign keys of rows naming one of them). Any other statement sent inside the
    block writes them first, so that a read sees them; an ORM write naming one of them
    before then is refused by Django (its key is not set yet). An error inside the
    block leaves what waits unwritten (the caller's transaction takes back the rest).
    A block inside another writes at its end what waits. On SQLite each row is
    written as it comes."""
    if connection.vendor != "postgresql":
        yield
        return
    if _pending() is not None:
        yield
        _write_waiting()
        return
    _local.pending = []
    try:
        with connection.execute_wrapper(_rows_first):
            yield
        pending = _local.pending
    finally:
        _local.pending = None
    _write(pending)


@dataclass
class _Pending:
    row: Model
    name: str  # of its part of the WITH
    sql: str  # its INSERT, with a placeholder for each of ``params``
    params: list
    key: str  # how the statement names the row's key
    key_params: list
    found: bool  # written unless found (``insert_or_found``)
    names: list[tuple[Field, Model]]  # the rows of the block it names, by which field


def _pending() -> list[_Pending] | None:
    return getattr(_local, "pending", None)


def _rows_first(execute, sql, params, many, context):
    _write_waiting()
    return execute(sql, params, many, context)


def _write_waiting() -> None:
    pending = _pending()
    if pending:
        _local.pending = None  # the statement that writes them passes ``_rows_first`` too
        try:
            _write(pending)
        finally:
            _local.pending = []


def _defer(row: Model, match: tuple[str, ...]) -> None:
    pending, vendor = _pending(), connection.vendor
    table, _, plan, auto = _columns(type(row), vendor)
    values, params, names = [], [], []
    for (field, _, _, related), value in zip(plan, _values(row, plan), strict=True):
        named = _named(row, field, pending) if related else None
        if named is not None:
            values.append(named.key)
            params.extend(named.key_params)
            names.append((field, named.row))
        elif (literal := _literal(value)) is not None:
            values.append(literal)
        else:
            values.append("%s")
            params.append(value)
    name = f"w{len(pending)}"
    key, key_params = (f"(SELECT {_quote(auto.column)} FROM {name})" if auto else "NULL"), []
    if match:
        key_params = _values(row, _matched(type(row), vendor, match))
        params.extend(key_params)
        found = _found(type(row), match)
        first = f"SELECT {_quote(auto.column)} FROM {table} WHERE {found} ORDER BY 1 LIMIT 1"
        key = f"COALESCE({key}, ({first}))"
    sql = _sql(type(row), vendor, tuple(values), match)
    pending.append(
        _Pending(row, name, f"{name} AS ({sql})", params, key, key_params, bool(match), names)
    )


def _literal(value) -> str | None:
    """Nothing, a flag or an empty text written in the statement itself, as psycopg
    would send them: psycopg keeps a statement's parsing only while it has at most 50
    parameters, and a registration's has more than 50 values."""
    if value is None:
        return "NULL"
    if type(value) is bool:
        return "TRUE" if value else "FALSE"
    return "''" if type(value) is str and not value else None


def _named(row: Model, field: Field, pending: list[_Pending]) -> _Pending | None:
    """The row waiting in the block that ``row`` names by ``field`` (a relation), if any."""
    target = field.get_cached_value(row, None)
    if target is None or target.pk is not None:
        return None
    named = next((p for p in pending if p.row is target), None)
    if named is None:  # as Django's save() refuses it: the key would be lost
        raise ValueError(f"{field.name}: the row named is neither saved nor in the block")
    return named


def _write(pending: list[_Pending]) -> None:
    if not pending:
        return
    keyed = [p for p in pending if p.row._meta.auto_field is not None]
    # Each row's key; for a row written unless found, also whether it was written.
    answer = [(p.key, p.key_params) for p in keyed]
    answer += [(f"EXISTS (SELECT FROM {p.name})", []) for p in keyed if p.found]
    sql = f"WITH {', '.join(p.sql for p in pending)} SELECT {', '.join(a for a, _ in answer) or 1}"
    params = [value for p in pending for value in p.params]
    params += [value for _, values in answer for value in values]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        values = cursor.fetchone()
    written = iter(values[len(keyed) :])
    for p, key in zip(keyed, values, strict=False):
        setattr(p.row, p.row._meta.auto_field.attname, key)
    found = [p.row for p in keyed if p.found and not next(written)]
    for p in pending:
        for field, target in p.names:
            setattr(p.row, field.attname, target.pk)  # which forgets ``target``
            field.set_cached_value(p.row, target)
        p.row._state.adding, p.row._state.db = False, connection.alias
    for row in found:
        _become(row, type(row)._default_manager.filter(pk=row.pk))


def _become(row: Model, stored) -> None:
    """``row`` takes every field of the one row ``stored`` (a query) finds."""
    values = stored.values(*(field.attname for field in row._meta.concrete_fields)).get()
    for name, value in values.items():
        setattr(row, name, value)
    row._state.adding, row._state.db = False, connection.alias


# Each column a statement writes: its field, attribute, plain preparation (``_kept``)
# and whether it names another row; made once per model, so that a row's values are
# prepared without asking the field or the connection anything per column.
Plan = tuple[tuple[Field, str, "dict[type, Callable] | None", bool], ...]


def _plan(fields: list[Field], vendor: str) -> Plan:
    return tuple(
        (field, field.attname, _kept(field, vendor), field.many_to_one or field.one_to_one)
        for field in fields
    )


def _values(row: Model, plan: Plan) -> list:
    values = []
    for field, attname, kept, _ in plan:
        if kept is not None:
            value = getattr(row, attname)
            prepared = kept.get(type(value))
            if prepared is not None:
                values.append(prepared(value))
                continue
        values.append(field.get_db_prep_save(field.pre_save(row, True), connection))
    return values


def _same(value):
    return value


@functools.cache
def _kept(field: Field, vendor: str) -> dict[type, Callable] | None:
    """For a column whose preparation by the field's own methods is plain (text, flags,
    numbers, keys, nothing), what that preparation comes to, by the value's type: the
    value itself, or for an integer the database's adaptation of it. It saves a dozen
    calls per column; ``test_rows`` holds it to what ``get_db_prep_save`` gives.
    None: each value is prepared by the field. ``vendor`` keys the cache."""
    target = field.target_field if field.many_to_one or field.one_to_one else field
    kind = target.get_internal_type()
    if kind == "DateTimeField" and not (field.auto_now or field.auto_now_add):
        return {type(None): _same}
    if type(field).pre_save is not Field.pre_save:
        return None
    if kind in ("CharField", "TextField"):
        return {type(None): _same, str: _same}
    if kind == "BooleanField":
        return {type(None): _same, bool: _same}
    if kind == "FloatField":
        return {type(None): _same, float: _same}
    if kind in ("AutoField", "BigAutoField"):  # keys: Django checks and sends them as they are
        return {type(None): _same, int: _same}
    if kind in ("IntegerField", "BigIntegerField", "PositiveIntegerField"):
        adapt = connection.ops.adapt_integerfield_value
        return {type(None): _same, int: lambda value: adapt(value, kind)}
    return None


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _found(model: type[Model], match: tuple[str, ...]) -> str:
    return " AND ".join(f"{_quote(model._meta.get_field(name).column)} = %s" for name in match)


@functools.cache
def _columns(model: type[Model], vendor: str) -> tuple[str, str, Plan, Field | None]:
    """The table, the start of its INSERT, the plan of the fields it writes and its
    automatic key. ``vendor`` keys the cache: the quoting is the database's."""
    meta, auto = model._meta, model._meta.auto_field
    table, fields = _quote(meta.db_table), [f for f in meta.concrete_fields if f is not auto]
    return (
        table,
        f"INSERT INTO {table} ({', '.join(_quote(f.column) for f in fields)})",
        _plan(fields, vendor),
        auto,
    )


@functools.cache
def _matched(model: type[Model], vendor: str, match: tuple[str, ...]) -> Plan:
    return _plan([model._meta.get_field(name) for name in match], vendor)


@functools.lru_cache(maxsize=256)
def _sql(model: type[Model], vendor: str, values: tuple[str, ...], match: tuple[str, ...]) -> str:
    """The INSERT of one row whose columns take ``values`` (placeholders, literals or the
    keys of other rows); with ``match``, only when no row with those values exists.
    Kept for the few shapes a use case's rows take."""
    table, sql, _, auto = _columns(model, vendor)
    if match:
        found = _found(model, match)
        sql += f" SELECT {', '.join(values)} WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE {found})"
    else:
        sql += f" VALUES ({', '.join(values)})"
    if auto is not None:
        sql += f" RETURNING {_quote(auto.column)}"
    return sql


@functools.cache
def _statement(
    model: type[Model], vendor: str, match: tuple[str, ...] = ()
) -> tuple[str, Plan, Field | None]:
    _, _, plan, auto = _columns(model, vendor)
    return _sql(model, vendor, ("%s",) * len(plan), match), plan, auto
