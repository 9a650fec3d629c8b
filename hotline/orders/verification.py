"""Checking the stored history against tampering (``hotline audit verify``).

One pass over every order in id order, with its events and its side records each read
as one stream in (order, id) order — never a table in memory — inside one transaction
that sees a single moment of the database (repeatable read):

* the chain: each order's events recomputed with the office's audit key
  (``domain/event_chain``) and compared with the stored hashes — an event edited,
  removed, added or moved, or (with the key) a chain recomputed from its genesis;
* the records derived from the events: the events replayed through the state machine
  and the projection, as history import builds an order, give the order's state and
  its indexed columns, its assignments, replies, callbacks, extensions, supervision,
  instructions, violations, appeal filings and contacts; each is compared with what is
  stored — a record changed behind the application's back (a callback turned into a
  satisfied one), or events removed from the end of an order with its version lowered;
* the checkpoints given (``domain/checkpoints``): per range of orders, the events
  recorded before the checkpoint's moment — the last events of an order removed
  together with every record derived from them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.db import connection, transaction

from hotline.directory.models import Unit
from hotline.domain import lifecycle
from hotline.domain.checkpoints import Checkpoint, Heads, RangeFault, range_faults
from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.errors import DomainError
from hotline.domain.event_chain import Break, StoredEvent, first_break
from hotline.domain.events import event_from_data
from hotline.domain.lifecycle import OrderState
from hotline.domain.serialization import from_json
from hotline.orders.audit_key import chain_key
from hotline.orders.history_rows import SIDE_COLUMNS, MemoryLedger, state_json
from hotline.orders.models import Event, Order
from hotline.orders.projection import project
from hotline.orders.state_columns import STATE_COLUMNS, state_values

CHUNK_SIZE = 5000

# The side records replayed from the events: every table the projection writes
# (``history_rows.SIDE_COLUMNS``), named as its model is. The columns compared are all
# those the projection writes, but a violation's review note and flag, which the
# supervisor sets without an event (``violation_review``), and an assignment's assessment
# moment, which the upgrade that brought it (orders 0006) filled for older histories from
# the orders' columns rather than event by event.
_MODELS = {model._meta.db_table: model for model in apps.get_app_config("orders").get_models()}
SIDE_RECORDS = {table: _MODELS[table] for table in SIDE_COLUMNS}
_NOT_FROM_EVENTS = {"orders_violation": {"note", "reviewed"}, "orders_assignment": {"falls_due_at"}}
_COMPARED = {
    table: [
        (index, name)
        for index, name in enumerate(SIDE_COLUMNS[table])
        if name != "order_id" and name not in _NOT_FROM_EVENTS.get(table, set())
    ]
    for table in SIDE_RECORDS
}
_REPLAY_FAILURES = (DomainError, KeyError, ValueError, TypeError)


@dataclass(frozen=True)
class Difference:
    """A record of an order that is not what its events give."""

    number: str
    record: str  # what it is, in words (工单状态, 回访记录…)
    detail: str  # what differs, a sentence naming the record


@dataclass
class Verification:
    orders: int = 0
    events: int = 0
    keyed: bool = False  # the chains were checked with the office's audit key
    breaks: list[Break] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    range_faults: list[RangeFault] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.breaks and not self.differences and not self.range_faults


def history_verify(
    *, checkpoints: Iterable[Checkpoint] = (), chunk_size: int = CHUNK_SIZE
) -> Verification:
    """Every order's chain and derived records, and the checkpoints given; each finding
    names the order (or the range of orders), in order id order."""
    checkpoints = list(checkpoints)
    key = chain_key()
    result = Verification(keyed=key is not None)
    heads = [Heads() for _ in checkpoints]
    with one_moment():
        unit_ids = dict(Unit.objects.values_list("code", "id"))
        events = _Stream(
            Event.objects.order_by("order_id", "seq").values_list(
                "order_id", "seq", "type", "at", "actor_id", "from_status", "to_status",
                "data", "chain_hash", "recorded_at",
            ),
            chunk_size,
        )  # fmt: skip
        sides = {
            table: _Stream(
                model.objects.filter(order_id__isnull=False)
                .order_by("order_id", "id")
                .values_list(*SIDE_COLUMNS[table]),
                chunk_size,
            )
            for table, model in SIDE_RECORDS.items()
        }
        orders = Order.objects.order_by("pk").values_list(
            "pk", "number", "version", "state", *STATE_COLUMNS
        )
        for order_id, number, version, state, *columns in orders.iterator(chunk_size):
            rows = events.take(order_id)
            result.orders += 1
            result.events += len(rows)
            stored = [StoredEvent(*row[1:9]) for row in rows]
            broken = first_break(number, stored, version, key)
            if broken is not None:
                result.breaks.append(Break(number=number, seq=broken))
            replay = _Replay(order_id, unit_ids)
            result.differences += replay.compare(
                number, rows, state, columns, {t: s.take(order_id) for t, s in sides.items()}
            )
            for checkpoint, collected in zip(checkpoints, heads, strict=True):
                _add_head(collected, order_id, number, rows, checkpoint.until)
    for checkpoint, collected in zip(checkpoints, heads, strict=True):
        result.range_faults += range_faults(checkpoint, collected.ranges())
    return result


@contextmanager
def one_moment() -> Iterator[None]:
    """A transaction that reads one moment of the database: repeatable read on
    PostgreSQL (inside a caller's transaction, the caller's isolation holds)."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def chain_heads(*, until: datetime, chunk_size: int = CHUNK_SIZE) -> Heads:
    """Every order's chain head as it was at ``until`` (events recorded before it): what
    a checkpoint signs."""
    heads = Heads()
    rows = (
        Event.objects.filter(recorded_at__lt=until)
        .order_by("order_id", "seq")
        .values_list("order_id", "order__number", "chain_hash")
        .iterator(chunk_size)
    )
    current, number, count, head = None, "", 0, ""
    for order_id, num, chain_hash in rows:
        if order_id != current:
            if current is not None:
                heads.add(current, number, count, head)
            current, number, count = order_id, num, 0
        count += 1
        head = chain_hash
    if current is not None:
        heads.add(current, number, count, head)
    return heads


def _add_head(heads: Heads, order_id: int, number: str, rows: list, until: datetime) -> None:
    """The order's head at ``until``, counted as ``chain_heads`` counts it."""
    before = [row for row in rows if row[9] < until]
    if before:
        heads.add(order_id, number, len(before), before[-1][8])


class _Stream:
    """The rows of one table, in order id order, taken order by order."""

    def __init__(self, query, chunk_size: int):
        self._rows: Iterator[tuple] = query.iterator(chunk_size)
        self._next = next(self._rows, None)

    def take(self, order_id: int) -> list[tuple]:
        taken = []
        while self._next is not None and self._next[0] <= order_id:
            if self._next[0] == order_id:
                taken.append(self._next)
            self._next = next(self._rows, None)
        return taken


class _Replay:
    """One order rebuilt from its events, as history import builds it."""

    def __init__(self, order_id: int, unit_ids: dict[str, int]):
        self.unit_ids = unit_ids
        self.ledger = MemoryLedger(unit_ids)
        self.ledger.start(order_id)

    def compare(
        self, number: str, events: list, state, columns: list, sides: dict[str, list]
    ) -> list[Difference]:
        after = None
        try:
            for _, _, type_, at, actor_id, _, _, data, _, _ in events:
                # In the hotline's zone, as the application records them: the replayed
                # state then reads as the stored one (``_order``).
                event = event_from_data(type_, at.astimezone(LOCAL_TZ), data)
                before, after = after, lifecycle.apply(after, event)
                project(self.ledger, before, after, event, actor_id)
        except _REPLAY_FAILURES as error:
            return [Difference(number, "办理记录", f"办理记录不能按规则重放：{error}")]
        found = []
        if after is not None:
            found += self._order(number, after, state, columns)
        for table, model in SIDE_RECORDS.items():
            label = str(model._meta.verbose_name)
            found += _records(number, label, table, self.ledger.rows.get(table, []), sides[table])
        return found

    def _order(self, number: str, after, state, columns: list) -> list[Difference]:
        expected = state_values(after, self.unit_ids)
        for name, value, wanted in zip(STATE_COLUMNS, columns, expected, strict=True):
            if value != wanted:
                return [
                    Difference(
                        number, "工单状态", f"工单的 {name} 为 {value}，按办理记录应为 {wanted}"
                    )
                ]
        if json.loads(state_json(after)) == state:  # as the application wrote it
            return []
        try:  # the same instants, their text written with another offset
            same = from_json(OrderState, state) == after
        except _REPLAY_FAILURES + (AttributeError,):
            same = False
        if not same:
            return [Difference(number, "工单状态", "工单的状态记录与按办理记录重放的不符")]
        return []


def _records(
    number: str, label: str, table: str, expected: list[list], stored: list[tuple]
) -> list[Difference]:
    if len(expected) != len(stored):
        return [
            Difference(
                number, label, f"{label}按办理记录应有 {len(expected)} 条，现有 {len(stored)} 条"
            )
        ]
    for place, (wanted, row) in enumerate(zip(expected, stored, strict=True), start=1):
        for index, name in _COMPARED[table]:
            if row[index] != wanted[index]:
                return [
                    Difference(
                        number,
                        label,
                        f"{label}第 {place} 条的 {name} 为 {row[index]}，"
                        f"按办理记录应为 {wanted[index]}",
                    )
                ]
    return []
