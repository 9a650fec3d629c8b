"""What the office's deadline watch does about an order on the clock, pass after pass.

An order in progress whose clock runs is warned yellow in the last part of its time and
red once its deadline has passed (SPEC 4); an overdue order is also supervised
automatically with a yellow card, unless it already carries a yellow or red one. Each
of these happens at most once per deadline: a granted extension or a rework gives a new
deadline, and the watch starts over for it.

Sign-for is watched the same way (SPEC 4, 2026-12): an order awaiting sign-for is
warned yellow once half its sign-for time has passed, 签收超时 is recorded at its
sign-for deadline, and an order still unsigned ``sign_for_supervision_hours`` working
hours after that deadline is supervised automatically. Each step once per sign-for
deadline (a re-dispatch gives a new one).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from hotline.domain.calendar import WorkingCalendar
from hotline.domain.deadlines import (
    DeadlinePolicy,
    Warning,
    add_working_time,
    warning_level,
    working_time_between,
)
from hotline.domain.enums import Status, SupervisionLevel, Vocabulary
from hotline.domain.lifecycle import OrderState
from hotline.domain.notification_rules import NoticeKind


class Step(Vocabulary):
    """The watch's steps, each taken at most once per order and deadline."""

    YELLOW = "yellow", "黄色预警"
    OVERDUE = "overdue", "超期标记"
    SUPERVISION = "supervision", "超期自动督办"
    # SPEC 4 (2026-12): once per supervision answer deadline (the mark's deadline).
    ESCALATION = "escalation", "督办逾期升级"
    SIGN_YELLOW = "sign_yellow", "签收预警"
    SIGN_OVERDUE = "sign_overdue", "签收超时"
    SIGN_SUPERVISION = "sign_supervise", "签收超时自动督办"


# SPEC 4 (2026-12): the sign-for warning comes at half the sign-for time.
SIGN_FOR_YELLOW_FRACTION = 0.5


AUTOMATIC_LEVEL = SupervisionLevel.YELLOW


def warning_step(
    now: datetime, *, start: datetime, deadline: datetime, yellow_fraction: float
) -> Step | None:
    """The warning the order's colour calls for now (green calls for none)."""
    level = warning_level(now, start=start, deadline=deadline, yellow_fraction=yellow_fraction)
    return {Warning.YELLOW: Step.YELLOW, Warning.RED: Step.OVERDUE}.get(level)


def notice_for(step: Step) -> NoticeKind | None:
    """What the lead unit is told when the step is taken."""
    return {
        Step.YELLOW: NoticeKind.YELLOW,
        Step.OVERDUE: NoticeKind.RED,
        Step.SIGN_YELLOW: NoticeKind.SIGN_YELLOW,
        Step.SIGN_OVERDUE: NoticeKind.SIGN_OVERDUE,
    }.get(step)


def sign_for_yellow_from(
    *,
    dispatched_at: datetime,
    sign_by: datetime,
    urgent: bool,
    policy: DeadlinePolicy,
    calendar: WorkingCalendar,
) -> datetime:
    """When half the sign-for time has passed: half the working time between dispatch
    and the sign-for deadline (urgent orders: half the wall-clock time)."""
    if urgent:
        return dispatched_at + (sign_by - dispatched_at) * SIGN_FOR_YELLOW_FRACTION
    hours = policy.office_hours
    spent = working_time_between(dispatched_at, sign_by, hours=hours, calendar=calendar)
    return add_working_time(
        dispatched_at, spent * SIGN_FOR_YELLOW_FRACTION, hours=hours, calendar=calendar
    )


def sign_for_supervision_from(
    *, sign_by: datetime, urgent: bool, policy: DeadlinePolicy, calendar: WorkingCalendar
) -> datetime:
    """When an order still unsigned is supervised: ``sign_for_supervision_hours`` working
    hours after its sign-for deadline (urgent orders: wall-clock hours)."""
    after = timedelta(hours=policy.sign_for_supervision_hours)
    if urgent:
        return sign_by + after
    return add_working_time(sign_by, after, hours=policy.office_hours, calendar=calendar)


def sign_for_step(
    now: datetime,
    *,
    dispatched_at: datetime,
    sign_by: datetime,
    urgent: bool,
    policy: DeadlinePolicy,
    calendar: WorkingCalendar,
) -> Step | None:
    """The furthest sign-for step an unsigned order has reached now (None: green).
    The sign-for deadline itself is still in time: 签收超时 is after it."""
    if now > sign_for_supervision_from(
        sign_by=sign_by, urgent=urgent, policy=policy, calendar=calendar
    ):
        return Step.SIGN_SUPERVISION
    if now > sign_by:
        return Step.SIGN_OVERDUE
    yellow = sign_for_yellow_from(
        dispatched_at=dispatched_at,
        sign_by=sign_by,
        urgent=urgent,
        policy=policy,
        calendar=calendar,
    )
    return Step.SIGN_YELLOW if now >= yellow else None


def sign_for_colour(step: Step | None) -> Warning:
    """The colour an awaiting-sign-for order shows for its furthest step."""
    if step in (Step.SIGN_OVERDUE, Step.SIGN_SUPERVISION):
        return Warning.RED
    return Warning.YELLOW if step is Step.SIGN_YELLOW else Warning.GREEN


def automatic_supervision(
    now: datetime, *, deadline: datetime, current: SupervisionLevel | None
) -> SupervisionLevel | None:
    """The card an order gets from the watch now, or None.

    Only overdue orders are supervised, and a card the office already gave (yellow or
    red) is not repeated by a weaker or equal automatic one.
    """
    if now <= deadline or current in settled_levels():
        return None
    return AUTOMATIC_LEVEL


def settled_levels() -> frozenset[SupervisionLevel]:
    """The cards that make the automatic one superfluous: itself and the stronger ones."""
    levels = list(SupervisionLevel)
    return frozenset(levels[levels.index(AUTOMATIC_LEVEL) :])


def signed_late(state: OrderState, now: datetime) -> bool:
    """签收超时 for an order's page (SPEC 4, 2026-12): signed after its sign-for deadline,
    or still awaiting sign-for past it."""
    if state.sign_by is None:
        return False
    if state.signed_at is not None:
        return state.signed_at > state.sign_by
    return state.status is Status.DISPATCHED and now > state.sign_by
