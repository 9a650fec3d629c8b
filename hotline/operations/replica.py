"""Reads from a PostgreSQL streaming replica (SPEC 13, 2026-12).

The pages that only read, and may read a few seconds behind — the statistics, the
reports, the leader's dashboard, the assessment — are marked ``reads_from_replica``;
while such a page is drawn, the router sends its reads to the ``replica`` database
(``HOTLINE_REPLICA_URL``). Everything else stays on the primary: every write, every
read of a page that writes or that shows what was just written (the queues, the order
page), and any read inside a transaction. A replica that does not answer, is no longer
a standby or lags more than ``HOTLINE_REPLICA_MAX_LAG_SECONDS`` is left aside for
``HOTLINE_REPLICA_CHECK_SECONDS`` and the page is read from the primary, with one
warning in the log when that starts and one when it ends.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, Error, InterfaceError, OperationalError, connections

REPLICA = "replica"

logger = logging.getLogger(__name__)

_reading = ContextVar("replica_reads", default=False)

# Seconds the standby's replay is behind what it has received; 0 when it has replayed
# everything (an idle primary leaves the last replay timestamp old without any lag).
_LAG_SQL = """
    SELECT pg_is_in_recovery(),
           CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                ELSE EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp())
           END
"""


@dataclass
class _Health:
    usable: bool = True
    checked_at: float = float("-inf")
    reason: str = ""


_health = _Health()


def configured() -> bool:
    return REPLICA in connections.settings


def forget_health() -> None:
    """The next read checks the replica again (after a configuration change, in tests)."""
    global _health
    _health = _Health()


def _check() -> tuple[bool, str]:
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(_LAG_SQL)
            standby, lag = cursor.fetchone()
    except Error as error:
        connections[REPLICA].close()
        return False, f"连接失败：{error.__class__.__name__}"
    if not standby:
        return False, "已不是备库（可能已提升为主库）"
    if lag is not None and float(lag) > settings.HOTLINE_REPLICA_MAX_LAG_SECONDS:
        return False, f"落后主库 {float(lag):.1f} 秒"
    return True, ""


def replica_available() -> bool:
    """Checked at most every ``HOTLINE_REPLICA_CHECK_SECONDS`` per process."""
    now = time.monotonic()
    if now - _health.checked_at < settings.HOTLINE_REPLICA_CHECK_SECONDS:
        return _health.usable
    usable, reason = _check()
    if usable != _health.usable:
        if usable:
            logger.warning("只读副本已恢复，统计和报表重新从副本读取")
        else:
            logger.warning("只读副本不可用（%s），读取改用主库", reason)
    _health.usable, _health.reason, _health.checked_at = usable, reason, now
    return usable


def _left_aside(reason: str) -> None:
    logger.warning("只读副本不可用（%s），读取改用主库", reason)
    connections[REPLICA].close()
    _health.usable, _health.reason, _health.checked_at = False, reason, time.monotonic()


@contextmanager
def replica_reads() -> Iterator[None]:
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def reads_from_replica(view: Callable) -> Callable:
    """A GET of ``view`` reads from the replica; a replica lost in the middle of the
    page is left aside and the page drawn again from the primary (a GET changes
    nothing, so drawing it twice is safe)."""

    @wraps(view)
    def on_replica(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or not configured():
            return view(request, *args, **kwargs)
        try:
            with replica_reads():
                return view(request, *args, **kwargs)
        except (OperationalError, InterfaceError) as error:
            replica = connections[REPLICA]
            if replica.connection is None or replica.is_usable():
                raise  # the primary's failure, not the replica's
            _left_aside(f"读取中断：{error.__class__.__name__}")
        return view(request, *args, **kwargs)

    return on_replica


class ReplicaRouter:
    """``DATABASE_ROUTERS``: reads of a ``reads_from_replica`` page go to the replica,
    outside transactions, while it is available; the rest to the primary."""

    def db_for_read(self, model, **hints):
        if (
            _reading.get()
            and configured()
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
            and replica_available()
        ):
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: an object read there relates to the
        # primary's like one read on the primary.
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db != REPLICA
