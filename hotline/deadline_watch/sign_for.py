"""The sign-for watch (SPEC 4, 2026-12): orders awaiting sign-for are warned at half
their sign-for time, marked 签收超时 once it has passed, and supervised automatically
when still unsigned ``sign_for_supervision_hours`` working hours later.

Like the deadline watch, each order is handled in its own transaction: the row is
locked, the rule asked again on what it holds now, and the step's ``DeadlineMark``
(order, sign-for deadline, step) inserted with its effects, so a repeated or resumed
run takes no step twice. A late first run takes every step the order has reached
(yellow, then 签收超时, then supervision), so the record is complete.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from hotline.configuration.selectors import deadline_policy, working_calendar
from hotline.deadline_watch import selectors
from hotline.deadline_watch.deadlines import mark_step, supervise_automatically, warn
from hotline.domain.deadline_watch import (
    Step,
    settled_levels,
    sign_for_step,
)
from hotline.domain.enums import Status
from hotline.orders.models import Order

# In the order an unsigned order reaches them.
_STEPS = (Step.SIGN_YELLOW, Step.SIGN_OVERDUE, Step.SIGN_SUPERVISION)


def sign_for_watch(*, now: datetime) -> str:
    policy, calendar = deadline_policy(), working_calendar()
    taken = dict.fromkeys(_STEPS, 0)
    for candidate in selectors.awaiting_sign_for(now=now):
        reached = sign_for_step(
            now,
            dispatched_at=candidate.dispatched_at,
            sign_by=candidate.sign_by,
            urgent=candidate.urgent,
            policy=policy,
            calendar=calendar,
        )
        for step in _STEPS[: _STEPS.index(reached) + 1] if reached else ():
            if step in candidate.marked:
                continue
            if step is Step.SIGN_SUPERVISION and candidate.supervision in settled_levels():
                continue  # the office's own card is there already
            taken[step] += _take(candidate.pk, step, reached, now)
    return (
        f"签收预警 {taken[Step.SIGN_YELLOW]} 件，签收超时 {taken[Step.SIGN_OVERDUE]} 件，"
        f"签收超时自动督办 {taken[Step.SIGN_SUPERVISION]} 件"
    )


@transaction.atomic
def _take(pk: int, step: Step, reached: Step, now: datetime) -> bool:
    order = Order.objects.select_for_update(of=("self",)).select_related("lead_unit").get(pk=pk)
    # Signed, returned, re-dispatched or paused since the candidates were read: the
    # step belongs to a sign-for deadline no longer running.
    if order.status != Status.DISPATCHED or order.paused or order.lead_unit is None:
        return False
    if step is Step.SIGN_SUPERVISION:
        return supervise_automatically(
            order,
            now,
            step=Step.SIGN_SUPERVISION,
            deadline=order.sign_by,
            note="签收超时自动督办：签收时限 {passed} 已过仍未签收，请立即签收办理。",
        )
    if not mark_step(order, step, now, deadline=order.sign_by):
        return False
    # A run that finds the order already past its sign-for deadline records the yellow
    # step for completeness but no longer warns of what has already happened.
    if step is reached or step is not Step.SIGN_YELLOW:
        warn(order, step, now, deadline=order.sign_by)
    return True
