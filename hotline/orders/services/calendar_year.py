"""Entering a year's official holiday schedule (SPEC 4, 2026-12).

The schedule replaces the year's rows of the holiday table, and every open order whose
deadline was counted on that year's provisional calendar is counted again, in the same
transaction: a deadline that moves gets a ``recalendar`` event on the order's timeline
(system actor, old → new), one that does not move gets nothing.

How a deadline is counted again. A reply deadline keeps as many working days after
the moment its count started (the sign-for, or the rework) as it had on the provisional
calendar, laid out on the entered one (``deadlines.relaid``): the working days that
pauses and consultations added stay added, as they were counted when the clock ran
again. A sign-for deadline (a few working hours) is computed again from its
(re-)dispatch. A deadline the supervisor granted as a date (an extension) is the
supervisor's and does not move.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hotline.accounts.models import User
from hotline.configuration.models import Holiday
from hotline.configuration.selectors import deadline_policy, working_calendar
from hotline.configuration.services import holiday_set, holiday_year_replace
from hotline.domain import deadlines
from hotline.domain import events as ev
from hotline.domain.calendar import WorkingCalendar
from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.enums import ExtensionDecision, Status
from hotline.domain.holiday_notice import YearSchedule
from hotline.domain.lifecycle import OrderState
from hotline.orders.models import Order
from hotline.orders.selectors import order_state
from hotline.orders.services.recording import lock, record

# Statuses in which a deadline still runs: the sign-for one while dispatched, the reply
# one until the reply is accepted.
_ON_THE_CLOCK = (Status.DISPATCHED, Status.IN_PROGRESS, Status.REPLIED)
_SIGN_BY_SET = frozenset({"dispatch", "redispatch", "designate", "return_review"})
_DEADLINE_SET = frozenset({"sign", "review", "callback"})


@dataclass(frozen=True)
class YearEntered:
    year: int
    rows: int
    moved: tuple[str, ...]  # the numbers of the orders whose deadline moved


@transaction.atomic
def holiday_year_enter(
    *, schedule: YearSchedule, actor: User | None, now: datetime | None = None
) -> YearEntered:
    now = now or timezone.now()
    before = working_calendar()
    rows = holiday_year_replace(schedule=schedule, actor=actor)
    moved: tuple[str, ...] = ()
    # Only a year that was provisional had deadlines counted provisionally; correcting
    # a year already entered changes the days from now on, not the deadlines set.
    if not before.covers(schedule.year):
        moved = deadlines_recount(
            year=schedule.year, before=before, after=working_calendar(), now=now
        )
    return YearEntered(year=schedule.year, rows=rows, moved=moved)


@transaction.atomic
def holiday_day_enter(
    *,
    day: date,
    workday: bool,
    name: str = "",
    actor: User | None = None,
    now: datetime | None = None,
) -> Holiday:
    """One day of the table. The first row of a provisional year makes the year official
    (its other days then follow the weekday rule), so its provisional deadlines are
    counted again as when the whole year is entered."""
    before = working_calendar()
    holiday = holiday_set(day=day, workday=workday, name=name, actor=actor)
    if not before.covers(day.year):
        deadlines_recount(
            year=day.year, before=before, after=working_calendar(), now=now or timezone.now()
        )
    return holiday


def provisional_orders(*, year: int):
    """The open orders whose running deadline falls in ``year`` or later: those whose
    count went through the year (one query on the status and deadline index)."""
    start = datetime(year, 1, 1, tzinfo=LOCAL_TZ)
    return Order.objects.filter(status__in=_ON_THE_CLOCK, urgent=False).filter(
        Q(status=Status.DISPATCHED, sign_by__gte=start) | Q(deadline__gte=start)
    )


def deadlines_recount(
    *, year: int, before: WorkingCalendar, after: WorkingCalendar, now: datetime
) -> tuple[str, ...]:
    moved = []
    for order in provisional_orders(year=year).order_by("pk"):
        order = lock(order, None)
        state = order_state(order)
        event = _recount(order, state, year=year, before=before, after=after)
        if event is not None:
            record(order, event(max(now, state.last_at)), actor=None)
            moved.append(order.number)
    return tuple(moved)


def _recount(order: Order, state: OrderState, *, year, before, after):
    sign_from = deadline_from = None
    for row in order.events.order_by("seq").only("type", "at", "data"):
        data = row.data or {}
        if row.type in _SIGN_BY_SET and data.get("sign_by"):
            sign_from = row.at
        elif row.type in _DEADLINE_SET and data.get("deadline"):
            deadline_from = row.at
        elif row.type == "extension_decision" and data.get("decision") == ExtensionDecision.GRANTED:
            deadline_from = None  # a granted date, not a count
    changes = {}
    if state.status is Status.DISPATCHED and state.sign_by and sign_from:
        new = deadlines.sign_by(sign_from, urgent=False, policy=deadline_policy(), calendar=after)
        if new != state.sign_by:
            changes.update(old_sign_by=state.sign_by, sign_by=new)
    if state.status is not Status.DISPATCHED and state.deadline and deadline_from:
        new = deadlines.relaid(
            state.deadline, counted_from=deadline_from, before=before, after=after
        )
        if new != state.deadline:
            changes.update(old_deadline=state.deadline, deadline=new)
    if not changes:
        return None
    return lambda at: ev.Recalendar(at=at, year=year, **changes)
