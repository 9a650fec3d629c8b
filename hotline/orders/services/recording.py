"""The one place where an order's event is appended.

Every use case ends here: the domain decides the next state, then, in the caller's
transaction, the event row, the order's state and its indexed copies and the unit
assignments are written together, and the event is published on the orders' bus,
whose subscribers (the notifications it implies…) write in the same transaction. A conditional
update on ``version`` makes the second of two concurrent writers fail cleanly instead of
overwriting the first.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypedDict

from django.utils import timezone

from hotline.accounts.models import User
from hotline.directory.models import Unit
from hotline.domain import event_chain, lifecycle, permissions
from hotline.domain import events as ev
from hotline.domain.enums import Role
from hotline.domain.errors import DomainError
from hotline.domain.lifecycle import OrderState
from hotline.domain.serialization import to_json
from hotline.orders.audit_key import chain_key
from hotline.orders.bus import EventRecorded, publish
from hotline.orders.ledger import DatabaseLedger
from hotline.orders.models import Event, Order
from hotline.orders.projection import project
from hotline.orders.rows import insert
from hotline.orders.selectors import order_state
from hotline.orders.state_columns import STATE_COLUMNS, state_columns

# The keyword parameters every order use case takes, typed (HackSoft) and short enough
# for a use case's signature to be read at a glance.
Actor = User | None  # None: the system itself (history import, scheduled jobs)
When = datetime | None  # None: now
Version = int | None  # the order's version the caller saw; None: not checked


class Occasion(TypedDict, total=False):
    """The keyword tail of every order use case, passed on to ``perform`` untouched."""

    at: When
    expected_version: Version


class UnitOccasion(Occasion, total=False):
    """A unit's own action also names the unit it acts for (None: the actor's own)."""

    unit: Unit | None


class StaleOrder(DomainError):
    code = "stale_order"

    def __init__(self, number: str):
        super().__init__(f"工单 {number} 已被他人处理，请刷新后重试")


class WrongUnit(DomainError):
    code = "wrong_unit"


def authorize(actor: User | None, action: str, unit: Unit | None = None) -> None:
    """``actor`` None is the system itself (history import, scheduled jobs)."""
    if actor is None:
        return
    permissions.require(actor.role, action)
    if actor.role == Role.UNIT_HANDLER and unit is not None and actor.unit_id != unit.pk:
        raise WrongUnit(f"您只能以本单位（{actor.unit}）的名义办理")


def acting_unit(actor: User | None, unit: Unit | None, action: str) -> Unit:
    """The unit an action is taken for; the role is checked first, so that someone who
    may not take the action at all is told so rather than asked for a unit."""
    if actor is not None:
        permissions.require(actor.role, action)
    if unit is not None:
        return unit
    if actor is not None and actor.unit_id is not None:
        return actor.unit
    raise WrongUnit("请指定办理单位")


def lock(order: Order, expected_version: int | None) -> Order:
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleOrder(locked.number)
    return locked


def perform(
    order: Order,
    *,
    actor: User | None,
    action: str,
    build: Callable[[Order, OrderState, datetime], ev.Event],
    unit: Unit | None = None,
    at: datetime | None = None,
    expected_version: int | None = None,
) -> Order:
    """Authorize, lock, build the event from the locked state, record it.

    Must run inside ``transaction.atomic``.
    """
    authorize(actor, action, unit)
    order = lock(order, expected_version)
    event = build(order, order_state(order), at or timezone.now())
    record(order, event, actor=actor)
    return order


def perform_for_unit(
    order: Order,
    *,
    actor: User | None,
    action: str,
    build: Callable[[Order, OrderState, datetime, Unit], ev.Event],
    unit: Unit | None = None,
    at: datetime | None = None,
    expected_version: int | None = None,
) -> Order:
    """``perform`` for a unit's own action: the unit is resolved (``acting_unit``) before
    it is authorized, and the event is built for it."""
    unit = acting_unit(actor, unit, action)
    return perform(
        order,
        actor=actor,
        action=action,
        unit=unit,
        at=at,
        expected_version=expected_version,
        build=lambda order, state, at: build(order, state, at, unit),
    )


def record(order: Order, event: ev.Event, *, actor: User | None) -> Event:
    """``order`` must be locked (``lock``): its last event's hash is chained from."""
    before = order_state(order)
    after = lifecycle.apply(before, event)
    previous = Event.objects.values_list("chain_hash", flat=True).get(
        order=order, seq=order.version
    )
    row = _append(order, order.version + 1, event, actor, before.status.value, after, previous)
    written = order.__dict__.get("_prefetched_objects_cache", {}).get("events")
    if written is not None:  # the order as registered in this transaction (record_first)
        written._result_cache.append(row)
    project(DatabaseLedger(order), before, after, event, actor)
    _write_state(order, after)
    publish(
        EventRecorded(
            order=order, event=event, seq=row.seq, before=before, after=after, actor=actor
        )
    )
    return row


def record_first(order: Order, event: ev.Register, *, actor: User | None) -> Event:
    """Creates the order row from its register event (the order has no state yet).
    The caller keeps the returned row as the order's events (``keep_written``) once the
    order has its key: inside ``rows.together`` it has none yet."""
    state = lifecycle.apply(None, event)
    _copy_columns(order, state)
    _write_json(order, state)
    order.version = 1
    insert(order)
    row = _append(order, 1, event, actor, "", state, event_chain.genesis(order.number))
    publish(EventRecorded(order=order, event=event, seq=1, before=None, after=state, actor=actor))
    return row


def keep_written(order: Order, relation: str, rows: list) -> None:
    """Puts the rows just written for ``order`` where Django keeps prefetched ones, so
    that ``order.<relation>.all()`` (the answer to a registration: its tags, its events)
    reads them from memory instead of back from the database. A filtered query on the
    relation still goes to the database."""
    cache = order.__dict__.setdefault("_prefetched_objects_cache", {})
    cache.pop(relation, None)
    rows_query = getattr(order, relation).all()
    rows_query._result_cache, rows_query._prefetch_done = list(rows), True
    cache[relation] = rows_query


def _append(
    order: Order,
    seq: int,
    event: ev.Event,
    actor,
    from_status: str,
    after: OrderState,
    previous_hash: str,
) -> Event:
    """The event row, with its hash chaining it to ``previous_hash``."""
    data = event.to_data()
    to_status = after.status.value
    chain_hash = event_chain.link(
        previous_hash,
        event_chain.event_bytes(
            number=order.number,
            seq=seq,
            type=event.type,
            at=event.at,
            actor_id=actor.pk if actor is not None else None,
            from_status=from_status,
            to_status=to_status,
            data=data,
        ),
        chain_key(),
    )
    row = Event(
        order=order,
        seq=seq,
        type=event.type,
        at=event.at,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        data=data,
        chain_hash=chain_hash,
    )
    insert(row)
    return row


def _write_state(order: Order, state: OrderState) -> None:
    expected = order.version
    _copy_columns(order, state)
    _write_json(order, state)
    order.version = expected + 1
    fields = {name: getattr(order, name) for name in (*STATE_COLUMNS, "merged_into_id")}
    fields.update(state=order.state, version=order.version)
    if Order.objects.filter(pk=order.pk, version=expected).update(**fields) != 1:
        raise StaleOrder(order.number)


def _write_json(order: Order, state: OrderState) -> None:
    """``order.state`` as ``state``'s JSON, ``state`` kept beside it (``order_state``)."""
    order.state = to_json(state)
    order.__dict__["_kept_state"] = (order.state, state)


def _copy_columns(order: Order, state: OrderState) -> None:
    for name, value in state_columns(state, _unit_ids([state.lead, state.sub_unit])).items():
        setattr(order, name, value)
    if state.merged_into and order.merged_into_id is None:
        order.merged_into_id = Order.objects.values_list("pk", flat=True).get(
            number=state.merged_into
        )


def _unit_ids(codes: list[str | None]) -> dict[str, int]:
    wanted = {c for c in codes if c}
    if not wanted:
        return {}
    found = dict(Unit.objects.filter(code__in=wanted).values_list("code", "id"))
    missing = wanted - found.keys()
    if missing:
        raise WrongUnit(f"单位编码不存在：{'、'.join(sorted(missing))}")
    return found
