"""Live telephony (SPEC 8, 2026-12): one call's events folded into its record, the
missed-call callback rule and the GB/T 33358 call figures.

The switch reports each call as a few events — ringing, answered (at an agent's seat),
ended, missed — and may send one twice or out of order. Each kind is kept once per call
(the earliest report of it wins), and the record is computed from the kinds present, so
any order or repetition of the same events gives the same record.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from hotline.domain.errors import DomainError
from hotline.domain.statistics import rate


class CallEventKind(StrEnum):
    RINGING = "ringing"
    ANSWERED = "answered"
    ENDED = "ended"
    MISSED = "missed"


class CallStatus(StrEnum):
    RINGING = "ringing"  # waiting in the queue or ringing a seat
    ANSWERED = "answered"  # talking with an operator
    ENDED = "ended"  # answered and finished
    MISSED = "missed"  # the caller hung up (or was dropped) before anyone answered


CALL_STATUS_LABELS = {
    CallStatus.RINGING: "振铃/排队",
    CallStatus.ANSWERED: "通话中",
    CallStatus.ENDED: "已结束",
    CallStatus.MISSED: "未接通",
}


class CallbackResult(StrEnum):
    REACHED = "reached"
    UNREACHABLE = "unreachable"
    ORDER_CREATED = "order_created"


CALLBACK_RESULT_LABELS = {
    CallbackResult.REACHED: "已联系上",
    CallbackResult.UNREACHABLE: "未联系上",
    CallbackResult.ORDER_CREATED: "已登记工单",
}


class InvalidCallEvent(DomainError):
    code = "invalid_call_event"

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class CallEvent:
    """One report of the switch about one call."""

    call_id: str
    kind: CallEventKind
    at: datetime
    caller: str = ""
    callee: str = ""
    queue: str = ""
    seat: str = ""
    recording: str = ""

    def sort_key(self) -> tuple:
        return (self.at, self.caller, self.callee, self.queue, self.seat, self.recording)


@dataclass(frozen=True)
class CallRecord:
    """What the product keeps of one call (the ``Call`` row)."""

    call_id: str
    status: CallStatus
    started_at: datetime
    caller: str
    callee: str
    queue: str
    seat: str
    recording: str
    answered_at: datetime | None
    ended_at: datetime | None
    wait_seconds: int | None
    talk_seconds: int | None

    @property
    def answered(self) -> bool:
        return self.answered_at is not None


def check_event(event: CallEvent) -> CallEvent:
    """The refusals that do not depend on the call's other events."""
    if not event.call_id.strip():
        raise InvalidCallEvent("缺少来电编号（call_id）", field="call_id")
    if event.at.tzinfo is None:
        raise InvalidCallEvent("事件时间须带时区偏移，如 2026-12-06T09:30:00+08:00", field="at")
    if event.kind is CallEventKind.ANSWERED and not event.seat.strip():
        raise InvalidCallEvent("接听事件须注明坐席（seat）", field="seat")
    return event


def keep(current: CallEvent | None, new: CallEvent) -> CallEvent:
    """Of two reports of the same kind, the one kept: the earliest, ties broken by content,
    so that which arrived first never matters."""
    if current is None:
        return new
    return min(current, new, key=CallEvent.sort_key)


def fold(events: Iterable[CallEvent]) -> CallRecord:
    """The record of one call from its events, in any order, repeated or not."""
    kept: dict[CallEventKind, CallEvent] = {}
    call_id = None
    for event in events:
        if call_id is None:
            call_id = event.call_id
        elif event.call_id != call_id:
            raise InvalidCallEvent(f"事件属于不同的来电：{call_id} 与 {event.call_id}")
        kept[event.kind] = keep(kept.get(event.kind), event)
    if call_id is None:
        raise InvalidCallEvent("没有事件")
    return record_of(call_id, kept)


def record_of(call_id: str, kept: Mapping[CallEventKind, CallEvent]) -> CallRecord:
    ringing = kept.get(CallEventKind.RINGING)
    answered = kept.get(CallEventKind.ANSWERED)
    ended = kept.get(CallEventKind.ENDED)
    missed = kept.get(CallEventKind.MISSED)
    ordered = sorted(kept.values(), key=CallEvent.sort_key)
    # The call began when it rang; without that report, at its earliest event.
    started_at = ringing.at if ringing else ordered[0].at

    def first(name: str) -> str:
        # The first event (in time) that names it; the ringing event is the switch's own
        # account of the caller and comes first.
        return next((getattr(e, name) for e in ordered if getattr(e, name)), "")

    answered_at = max(answered.at, started_at) if answered else None
    if answered_at is not None:
        status = CallStatus.ENDED if ended else CallStatus.ANSWERED
        finish = ended.at if ended else None
    elif missed or ended:
        status = CallStatus.MISSED
        finish = min(e.at for e in (missed, ended) if e)
    else:
        status, finish = CallStatus.RINGING, None
    if answered_at is not None:
        wait = _seconds(started_at, answered_at)
        talk = _seconds(answered_at, finish) if finish else None
    else:
        wait = _seconds(started_at, finish) if finish else None
        talk = None
    return CallRecord(
        call_id=call_id,
        status=status,
        started_at=started_at,
        caller=first("caller"),
        callee=first("callee"),
        queue=first("queue"),
        seat=answered.seat if answered else "",
        recording=first("recording"),
        answered_at=answered_at,
        ended_at=max(finish, started_at) if finish else None,
        wait_seconds=wait,
        talk_seconds=talk,
    )


def _seconds(start: datetime, end: datetime) -> int:
    return max(0, round((end - start).total_seconds()))


# --- the missed-call callback list (漏接回拨) ----------------------------------------------

DEFAULT_MISSED_CALL_MINUTES = 30


def on_callback_list(
    *,
    missed_at: datetime,
    now: datetime,
    minutes: int,
    contacts: Iterable[datetime],
    callbacks: Iterable[datetime],
) -> bool:
    """SPEC 8: a missed call lands on the list when, ``minutes`` after it, its number has
    neither reached an operator (an answered call) nor produced an order; it leaves the
    list when the number reaches an operator, produces an order or is called back
    (whatever the result) at any time after the missed call."""
    if now < missed_at + timedelta(minutes=minutes):
        return False
    return not any(at >= missed_at for at in (*contacts, *callbacks))


# --- GB/T 33358 figures --------------------------------------------------------------------

ANSWER_WITHIN_SECONDS = 15


@dataclass(frozen=True)
class CallFigures:
    """The call figures of a period, from the aggregate counts of its calls.

    GB/T 33358-2016 (呼叫中心服务质量要求): the 15-second answer rate is the calls answered
    within 15 seconds of entering over the calls offered; the average wait is over the
    answered calls (average speed of answer); abandoned calls are those that ended
    before an operator answered. Calls still ringing are waiting, in none of these.
    Records imported without a wait (older switches' files) count in the offered and
    answered calls but not in the two wait figures: ``timed`` and ``answered_timed`` are
    the calls whose wait is known, the denominators of those two."""

    offered: int
    answered: int
    answered_within_15s: int
    wait_seconds_answered: int
    abandoned: int
    timed: int
    answered_timed: int

    @property
    def answer_rate(self) -> float | None:
        return rate(self.answered, self.offered)

    @property
    def answered_within_15s_rate(self) -> float | None:
        return rate(self.answered_within_15s, self.timed)

    @property
    def average_wait_seconds(self) -> float | None:
        if not self.answered_timed:
            return None
        return round(self.wait_seconds_answered / self.answered_timed, 1)


def call_figures(records: Iterable[CallRecord]) -> CallFigures:
    """The same figures from the records themselves (the SQL aggregate's reference)."""
    offered = answered = within = wait = abandoned = timed = answered_timed = 0
    for r in records:
        if r.status is CallStatus.RINGING:
            continue
        offered += 1
        timed += r.wait_seconds is not None
        if r.answered:
            answered += 1
            if r.wait_seconds is not None:
                answered_timed += 1
                wait += r.wait_seconds
                within += r.wait_seconds <= ANSWER_WITHIN_SECONDS
        else:
            abandoned += 1
    return CallFigures(offered, answered, within, wait, abandoned, timed, answered_timed)


# --- seats ---------------------------------------------------------------------------------


class SeatState(StrEnum):
    IDLE = "idle"
    TALKING = "talking"


SEAT_STATE_LABELS = {SeatState.IDLE: "空闲", SeatState.TALKING: "通话中"}
