"""The deadline watch's three jobs (SPEC 4: warnings, overdue orders, supervision).

Each order is handled in its own transaction: the order row is locked, the rule asked
again on what the row holds now, and the step's mark inserted together with its
effects (the warning, published on the orders' bus for the outbox; the supervision
event). A repeated or resumed run finds the mark and does nothing more for that order;
a run cut off midway has committed the orders it finished and nothing of the one it
was on.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction

from hotline.configuration.selectors import deadline_policy
from hotline.deadline_watch import selectors
from hotline.domain.deadline_watch import (
    Step,
    automatic_supervision,
    notice_for,
    warning_step,
)
from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.enums import Status, SupervisionLevel
from hotline.jobs.models import DeadlineMark
from hotline.orders.bus import DeadlineReached, publish
from hotline.orders.models import Order
from hotline.orders.services.supervision import order_supervise


def deadline_warnings(*, now: datetime) -> str:
    fraction = deadline_policy().yellow_fraction
    ids = selectors.yellow_unwarned(now=now, yellow_fraction=fraction)
    done = sum(_warn(pk, Step.YELLOW, now, fraction) for pk in ids)
    return f"黄色预警 {done} 件"


def overdue_marking(*, now: datetime) -> str:
    fraction = deadline_policy().yellow_fraction
    done = sum(_warn(pk, Step.OVERDUE, now, fraction) for pk in selectors.overdue_unmarked(now=now))
    return f"新超期 {done} 件"


def overdue_supervision(*, now: datetime) -> str:
    done = sum(_supervise(pk, now) for pk in selectors.overdue_unsupervised(now=now))
    return f"超期自动督办 {done} 件"


def _locked_on_the_clock(pk: int) -> Order | None:
    order = Order.objects.select_for_update(of=("self",)).select_related("lead_unit").get(pk=pk)
    if order.status != Status.IN_PROGRESS or order.paused or order.deadline is None:
        return None
    return order


def mark_step(order: Order, step: Step, now: datetime, *, deadline: datetime) -> bool:
    """Takes ``step`` for ``deadline`` (the order's deadline, or its sign-for deadline);
    False when it was taken already."""
    try:
        with transaction.atomic():
            DeadlineMark.objects.create(
                order=order, deadline=deadline, step=step, unit=order.lead_unit, at=now
            )
    except IntegrityError:
        return False
    return True


@transaction.atomic
def _warn(pk: int, step: Step, now: datetime, fraction: float) -> bool:
    order = _locked_on_the_clock(pk)
    if order is None or order.lead_unit is None:
        return False
    due = warning_step(
        now, start=order.received_at, deadline=order.deadline, yellow_fraction=fraction
    )
    if due is not step or not mark_step(order, step, now, deadline=order.deadline):
        return False
    warn(order, step, now, deadline=order.deadline)
    return True


def warn(order: Order, step: Step, now: datetime, *, deadline: datetime) -> None:
    """The step's warning to the lead unit, published on the orders' bus for the outbox."""
    publish(
        DeadlineReached(
            order=order, kind=notice_for(step), unit=order.lead_unit.code, deadline=deadline, at=now
        )
    )


@transaction.atomic
def _supervise(pk: int, now: datetime) -> bool:
    order = _locked_on_the_clock(pk)
    if order is None:
        return False
    return supervise_automatically(
        order,
        now,
        step=Step.SUPERVISION,
        deadline=order.deadline,
        note="超期自动督办：办理时限 {passed} 已过，请立即办理并答复。",
    )


def supervise_automatically(
    order: Order, now: datetime, *, step: Step, deadline: datetime, note: str
) -> bool:
    """The system's supervision of a locked order whose ``deadline`` passed, once per
    deadline (the step's mark); ``note`` names the passed deadline as ``{passed}``."""
    current = SupervisionLevel(order.supervision) if order.supervision else None
    level = automatic_supervision(now, deadline=deadline, current=current)
    if level is None or not mark_step(order, step, now, deadline=deadline):
        return False
    passed = deadline.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
    order_supervise(
        order=order,
        level=level.value,
        actor=None,
        note=note.format(passed=passed),
        # Someone may have acted on the order since this run read the clock.
        at=max(now, order.updated_at),
    )
    return True
