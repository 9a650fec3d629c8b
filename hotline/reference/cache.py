"""Values read from the reference data, kept per process while the generation stands.

A request reads the generation once, at its first ``remembered`` value (one small
statement, instead of a query per token or code); outside a request (commands, jobs)
every call reads it. Every process sees a write at its next request, whichever process
made it, because the database moves the generation on (``triggers``).

Values are kept only from reads outside a transaction: inside one, what is read may be
the transaction's own uncommitted write, which a rollback would take back while the
generation stays. There every call loads. Any statement but a SELECT that this
process sends drops the request's reading of the generation (``watch_writes``), so a
request that changed the reference data, by any means, sees its change once committed.
"""

import threading
from collections.abc import Callable, Hashable
from contextlib import closing
from typing import TypeVar

from django.db import DatabaseError, connection

T = TypeVar("T")
_local = threading.local()


class _Kept:
    def __init__(self, generation: int):
        self.generation = generation
        self.values: dict[Hashable, object] = {}


_kept = _Kept(-1)
_lock = threading.Lock()


def remembered(key: Hashable, load: Callable[[], T]) -> T:
    """``load()``'s value, computed once per process while the reference data stay as
    they are. A value ``load`` raises for is not kept. Callers that hand out model
    instances hand out copies (``copy.copy``): the kept one serves every request."""
    global _kept
    if connection.in_atomic_block:
        return load()
    generation = _generation()
    if generation is None:  # a database not migrated yet
        return load()
    kept = _kept
    if kept.generation != generation:
        with _lock:
            if _kept.generation != generation:
                _kept = _Kept(generation)
            kept = _kept
    try:
        return kept.values[key]
    except KeyError:
        value = kept.values[key] = load()
        return value


def _generation() -> int | None:
    known = getattr(_local, "generation", None)
    if known is not None:
        return known
    from hotline.reference.models import Generation

    sql = f"SELECT value FROM {Generation._meta.db_table} WHERE id = 1"
    row = _checking_health(sql)
    if row is None:
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
                row = cursor.fetchone() or (None,)
        except DatabaseError:  # the table is not there yet: nothing is kept
            return None
    generation = row[0]
    if getattr(_local, "in_request", False):
        _local.generation = generation
    return generation


def _checking_health(sql: str) -> tuple | None:
    """The generation's read as the request's health check of a kept connection
    (``CONN_HEALTH_CHECKS``), instead of Django's ``SELECT 1`` before it: one round
    trip, not two. As Django's check, it goes to the driver's connection directly and
    closes a connection that fails, for the next statement to open another. None when
    there is nothing to check or the check failed."""
    if (
        connection.connection is None
        or not connection.health_check_enabled
        or connection.health_check_done
    ):
        return None
    try:
        with closing(connection.connection.cursor()) as cursor:
            cursor.execute(sql)
            row = cursor.fetchone() or (None,)
    except connection.Database.Error:
        connection.close()
        return None
    connection.health_check_done = True
    return row


def request_began(**_) -> None:
    _local.in_request, _local.generation = True, None


def request_ended(**_) -> None:
    _local.in_request, _local.generation = False, None


def watch_writes(*, connection, **_) -> None:
    """On each new database connection: every statement that may write goes through
    ``_forget_generation`` first."""
    if _forget_generation not in connection.execute_wrappers:
        connection.execute_wrappers.append(_forget_generation)


def _forget_generation(execute, sql, params, many, context):
    if sql.lstrip()[:6].upper() != "SELECT":
        _local.generation = None
    return execute(sql, params, many, context)
