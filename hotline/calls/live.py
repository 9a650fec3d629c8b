"""Live telephony use cases (SPEC 8, 2026-12): the switch's call events, the switches'
tokens, operators at their seats, and calling back missed calls.

Every event is kept once per (call, kind) in ``CallEvent``; the call's ``Call`` row is
then recomputed from all of its kept events by ``domain.telephony.fold``, so a repeat or
an event arriving late changes nothing it should not. The call rows are locked before
the events are read, so two requests about one call never lose each other's event.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from hotline.calls.models import Call, CallEvent, MissedCallCallback, Seat, Switch
from hotline.domain.enums import Role
from hotline.domain.errors import DomainError
from hotline.domain.permissions import NotPermitted
from hotline.domain.telephony import (
    CallbackResult,
    CallEventKind,
    CallRecord,
    check_event,
    keep,
    record_of,
)
from hotline.domain.telephony import CallEvent as Event
from hotline.orders.models import Order
from hotline.security.tokens import new_token

BATCH = 2000
# Rows per statement: 13 columns each stays under SQLite's limit of variables.
WRITE_BATCH = 500
SEAT_ROLES = frozenset({Role.OPERATOR, Role.SUPERVISOR})
CALLBACK_ROLES = frozenset({Role.OPERATOR, Role.SUPERVISOR})


class SeatTaken(DomainError):
    code = "seat_taken"


class InvalidSeat(DomainError):
    code = "invalid_seat"


class InvalidCallback(DomainError):
    code = "invalid_callback"


# --- switches and their tokens ---------------------------------------------------------


@dataclass(frozen=True)
class IssuedToken:
    switch: Switch
    token: str  # shown once; only its digest is stored


@transaction.atomic
def switch_create(*, name: str) -> IssuedToken:
    issued = new_token()
    switch = Switch(name=name.strip(), token_hash=issued.digest, token_hint=issued.hint)
    switch.full_clean(exclude=["token_hash", "token_hint"])
    switch.save()
    return IssuedToken(switch, issued.token)


@transaction.atomic
def switch_token_renew(*, switch: Switch) -> IssuedToken:
    issued = new_token()
    switch.token_hash, switch.token_hint = issued.digest, issued.hint
    switch.save(update_fields=["token_hash", "token_hint"])
    return IssuedToken(switch, issued.token)


# --- call events ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EventOutcome:
    call: Call
    duplicate: bool  # this (call, kind) had been reported before


def call_event_record(*, switch: Switch | None, event: Event) -> EventOutcome:
    """One event from the switch (the HTTP interface)."""
    outcomes = call_events_record(switch=switch, events=[event])
    return outcomes[0]


@transaction.atomic(durable=True)
def call_events_record(*, switch: Switch | None, events: list[Event]) -> list[EventOutcome]:
    """A batch of events (the AMI adapter's bursts), each as if sent alone: one
    outcome per event, in order. Events are checked first; one bad event refuses all."""
    for event in events:
        check_event(event)
    call_ids = sorted({e.call_id for e in events})
    seen_before: set[tuple[str, str]] = set()
    calls: dict[str, Call] = {}
    for start in range(0, len(call_ids), BATCH):
        chunk = set(call_ids[start : start + BATCH])
        seen_before |= _record_chunk(switch, [e for e in events if e.call_id in chunk])
        calls.update((c.external_id, c) for c in Call.objects.filter(external_id__in=chunk))
    outcomes, counted = [], set()
    for event in events:
        key = (event.call_id, event.kind.value)
        outcomes.append(EventOutcome(calls[event.call_id], key in seen_before or key in counted))
        counted.add(key)
    if switch is not None:
        Switch.objects.filter(pk=switch.pk).update(last_event_at=timezone.now())
    return outcomes


def _record_chunk(switch: Switch | None, events: list[Event]) -> set[tuple[str, str]]:
    """Stores the chunk's events and recomputes its calls; returns the (call, kind)
    pairs that were already stored."""
    ids = sorted({e.call_id for e in events})
    # A row for every call first, then the rows locked in one order: a concurrent
    # request about the same call waits here and then reads this one's events.
    first = {}
    for e in events:
        first[e.call_id] = keep(first.get(e.call_id), e)
    Call.objects.bulk_create(
        [
            Call(
                external_id=e.call_id,
                started_at=e.at,
                caller=e.caller,
                answered=False,
                status=Call.Status.RINGING,
            )
            for e in first.values()
        ],
        ignore_conflicts=True,
    )
    list(Call.objects.select_for_update().filter(external_id__in=ids).order_by("external_id"))
    stored: dict[tuple[str, str], CallEvent] = {
        (row.call_id, row.kind): row for row in CallEvent.objects.filter(call_id__in=ids)
    }
    seen = set(stored)
    incoming: dict[tuple[str, str], Event] = {}
    for e in events:
        key = (e.call_id, e.kind.value)
        incoming[key] = keep(incoming.get(key), e)
    new_rows, replaced = [], []
    for key, e in incoming.items():
        row = stored.get(key)
        if row is not None and (_event_of(row) == e or keep(_event_of(row), e) != e):
            continue
        if row is not None:
            # The same kind reported again with other facts: the earliest report stands,
            # whichever arrived first. Written as a new row (a new id), so that the
            # per-day call counts see its call changed (``statistics/day_facts.py``).
            replaced.append(row.pk)
        row = CallEvent(switch=switch, **_event_fields(e))
        new_rows.append(row)
        stored[key] = row
    if replaced:
        CallEvent.objects.filter(pk__in=replaced).delete()
    CallEvent.objects.bulk_create(new_rows, batch_size=WRITE_BATCH)
    by_call: dict[str, dict[CallEventKind, Event]] = {}
    for (call_id, kind), row in stored.items():
        by_call.setdefault(call_id, {})[CallEventKind(kind)] = _event_of(row)
    records = [record_of(call_id, kept) for call_id, kept in by_call.items()]
    Call.objects.bulk_create(
        [_call_row(r) for r in records],
        update_conflicts=True,
        unique_fields=["external_id"],
        update_fields=_CALL_FIELDS,
        batch_size=WRITE_BATCH,
    )
    return seen


_CALL_FIELDS = [
    "started_at",
    "caller",
    "answered",
    "agent",
    "wait_seconds",
    "talk_seconds",
    "status",
    "callee",
    "queue",
    "recording",
    "answered_at",
    "ended_at",
]


def _call_row(r: CallRecord) -> Call:
    return Call(
        external_id=r.call_id,
        started_at=r.started_at,
        caller=r.caller[:20],
        answered=r.answered,
        agent=r.seat,
        wait_seconds=r.wait_seconds,
        talk_seconds=r.talk_seconds,
        status=r.status.value,
        callee=r.callee[:20],
        queue=r.queue,
        recording=r.recording,
        answered_at=r.answered_at,
        ended_at=r.ended_at,
    )


def _event_fields(e: Event) -> dict:
    return {
        "call_id": e.call_id,
        "kind": e.kind.value,
        "at": e.at,
        "caller": e.caller,
        "callee": e.callee,
        "queue": e.queue,
        "seat": e.seat,
        "recording": e.recording,
    }


def _event_of(row: CallEvent) -> Event:
    return Event(
        call_id=row.call_id,
        kind=CallEventKind(row.kind),
        at=row.at,
        caller=row.caller,
        callee=row.callee,
        queue=row.queue,
        seat=row.seat,
        recording=row.recording,
    )


# --- seats ---------------------------------------------------------------------------------


@transaction.atomic
def seat_sign_in(*, actor, extension: str, at: datetime | None = None) -> Seat:
    """The operator takes a seat; the switch's "answered" events at that extension pop
    the caller on their intake page from now on."""
    if actor.role not in SEAT_ROLES:
        raise NotPermitted("只有话务员和热线办可以签入坐席")
    extension = extension.strip()
    if not extension or len(extension) > 40 or not extension.isascii() or " " in extension:
        raise InvalidSeat("坐席号须为 1–40 位的分机号，如 8001")
    holder = Seat.objects.select_for_update().filter(extension=extension).first()
    if holder is not None and holder.user_id != actor.pk:
        raise SeatTaken(f"坐席 {extension} 已由 {holder.user} 签入，请先由其签出")
    Seat.objects.filter(user=actor).delete()
    return Seat.objects.create(extension=extension, user=actor, signed_in_at=at or timezone.now())


@transaction.atomic
def seat_sign_out(*, actor) -> None:
    Seat.objects.filter(user=actor).delete()


# --- the missed-call list ----------------------------------------------------------------


@transaction.atomic
def missed_call_callback_record(
    *,
    actor,
    call: Call,
    result: str,
    note: str = "",
    order_number: str = "",
    at: datetime | None = None,
) -> MissedCallCallback:
    """The operator called the number back; whatever the result, the number leaves the
    list (a new missed call puts it back)."""
    if actor.role not in CALLBACK_ROLES:
        raise NotPermitted("只有话务员和热线办可以登记漏接回拨")
    if call.answered:
        raise InvalidCallback(f"来电 {call.external_id} 已接通，不在漏接回拨名单上")
    try:
        outcome = CallbackResult(result)
    except ValueError:
        raise InvalidCallback("请选择回拨结果：已联系上、未联系上或已登记工单") from None
    order_number = order_number.strip()
    if outcome is CallbackResult.ORDER_CREATED and not order_number:
        raise InvalidCallback("结果为已登记工单时请填写工单编号")
    if order_number and not Order.objects.filter(number=order_number).exists():
        raise InvalidCallback(f"没有编号为 {order_number} 的工单")
    callback = MissedCallCallback(
        caller=call.caller,
        call=call,
        at=at or timezone.now(),
        agent=actor,
        result=outcome.value,
        note=note.strip()[:200],
        order_number=order_number,
    )
    callback.full_clean()
    callback.save()
    return callback
