"""The sign-for clock of the orders a page shows (SPEC 4, 2026-12: the unit's inbox
and the office's queues show the sign-for colour and 签收超时)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from hotline.configuration.selectors import deadline_policy, working_calendar
from hotline.domain.deadline_watch import Step, sign_for_colour, sign_for_step
from hotline.domain.enums import AssignmentRole, Status
from hotline.orders.models import Assignment, Order


@dataclass(frozen=True)
class SignForClock:
    step: Step | None  # the furthest sign-for step reached now
    colour: str  # green / yellow / red

    @property
    def overdue(self) -> bool:
        """签收超时: the sign-for deadline has passed unsigned."""
        return self.step in (Step.SIGN_OVERDUE, Step.SIGN_SUPERVISION)


def with_sign_for(orders: Sequence[Order], *, now: datetime) -> Sequence[Order]:
    """Gives each order of a page awaiting sign-for its ``sign_for`` clock (others get
    None). One query for the times the leads got them, the office's policy and
    calendar read once."""
    waiting = [o for o in orders if o.status == Status.DISPATCHED and o.sign_by is not None]
    for order in orders:
        order.sign_for = None
    if not waiting:
        return orders
    since = dict(
        Assignment.objects.filter(
            order_id__in=[o.pk for o in waiting],
            role=AssignmentRole.LEAD.value,
            ended_at__isnull=True,
        ).values_list("order_id", "assigned_at")
    )
    policy, calendar = deadline_policy(), working_calendar()
    for order in waiting:
        dispatched_at = since.get(order.pk)
        if dispatched_at is None or order.paused:
            continue
        step = sign_for_step(
            now,
            dispatched_at=dispatched_at,
            sign_by=order.sign_by,
            urgent=order.urgent,
            policy=policy,
            calendar=calendar,
        )
        order.sign_for = SignForClock(step, sign_for_colour(step).value)
    return orders
