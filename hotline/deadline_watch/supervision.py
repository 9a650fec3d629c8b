"""The escalation of supervisions left unanswered (SPEC 4, 2026-12): normal → yellow →
red → the unit's leader told.

Like the deadline watch, each order is handled in its own transaction: the order row
is locked, the rule asked again on its state, and the step's mark (one per answer
deadline) inserted with the escalation event, whose leader's notice the notifications app
writes when it hears it on the orders' bus. A repeated or
resumed run finds the mark, or a state that calls for nothing, and does nothing more.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction

from hotline.deadline_watch import selectors
from hotline.directory.models import Unit
from hotline.domain.deadline_watch import Step
from hotline.domain.supervision import escalation_due
from hotline.jobs.models import DeadlineMark
from hotline.orders.models import Order
from hotline.orders.selectors import order_state
from hotline.orders.services.supervision import supervision_escalate


def supervision_escalation(*, now: datetime) -> str:
    done = sum(_escalate(pk, now) for pk in selectors.supervisions_unanswered(now=now))
    return f"督办逾期升级 {done} 件"


@transaction.atomic
def _escalate(pk: int, now: datetime) -> bool:
    order = Order.objects.select_for_update(of=("self",)).get(pk=pk)
    state = order_state(order)
    step = escalation_due(state, now)
    if step is None:
        return False
    unit = Unit.objects.get(code=state.supervision_unit)
    due = state.supervision_due
    try:
        with transaction.atomic():
            DeadlineMark.objects.create(
                order=order, deadline=due, step=Step.ESCALATION, unit=unit, at=now
            )
    except IntegrityError:
        return False
    # Someone may have acted on the order since this run read the clock.
    at = max(now, order.updated_at)
    # Past red, the notifications app tells the unit's leader when it hears the event.
    supervision_escalate(order=order, escalation=step, unit=unit.code, at=at)
    return True
