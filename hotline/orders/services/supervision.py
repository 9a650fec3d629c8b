"""The office pressing units and leaders' instructions (SPEC 4 and 6); (2026-12) the
supervised unit's answer and the escalation of one left unanswered."""

from datetime import date, datetime
from typing import Unpack

from django.db import transaction

from hotline.configuration.selectors import supervision_rule, working_calendar
from hotline.domain import events as ev
from hotline.domain.actions import Action
from hotline.domain.enums import SupervisionLevel
from hotline.domain.lifecycle import OrderState
from hotline.domain.supervision import Escalation
from hotline.orders.models import Order, Violation
from hotline.orders.services import clock
from hotline.orders.services.recording import (
    Actor,
    Occasion,
    UnitOccasion,
    authorize,
    perform,
    perform_for_unit,
    record,
)


def answer_deadline(at: datetime, level: SupervisionLevel) -> datetime:
    """SPEC 4 (2026-12): the office's working days for the level, from the supervision."""
    return supervision_rule().answer_deadline(at, level, working_calendar())


@transaction.atomic
def order_supervise(
    *,
    order: Order,
    level: str,
    actor: Actor,
    note: str = "",
    deadline: date | None = None,
    **occasion: Unpack[Occasion],
) -> Order:
    """``deadline``: the day the supervisor gives for the answer (to its end); without
    it the office's setting for the level."""
    grade = SupervisionLevel(level)

    def build(order: Order, state: OrderState, at: datetime) -> ev.Event:
        due = clock.end_of_day(deadline) if deadline else answer_deadline(at, grade)
        return ev.Supervise(at=at, level=grade, note=note, deadline=due)

    return perform(
        order,
        actor=actor,
        action=Action.SUPERVISE,
        build=build,
        **occasion,
    )


@transaction.atomic
def order_supervision_reply(
    *, order: Order, text: str, actor: Actor, **occasion: Unpack[UnitOccasion]
) -> Order:
    """督办回复: only the supervised unit; the state machine refuses anyone else."""
    return perform_for_unit(
        order,
        actor=actor,
        action=Action.SUPERVISION_REPLY,
        build=lambda order, state, at, unit: ev.SupervisionReply(at=at, unit=unit.code, text=text),
        **occasion,
    )


def supervision_escalate(*, order: Order, escalation: Escalation, unit: str, at: datetime) -> None:
    """The system's escalation of an unanswered supervision (SPEC 4, 2026-12). ``order``
    must be locked by the caller, inside its transaction."""
    deadline = None if escalation.leader else answer_deadline(at, escalation.level)
    event = ev.SupervisionEscalate(
        at=at, level=escalation.level, leader=escalation.leader, unit=unit, deadline=deadline
    )
    record(order, event, actor=None)


@transaction.atomic
def order_instruct(*, order: Order, text: str, actor: Actor, **occasion: Unpack[Occasion]) -> Order:
    return perform(
        order,
        actor=actor,
        action=Action.INSTRUCT,
        build=lambda order, state, at: ev.Instruct(at=at, text=text),
        **occasion,
    )


@transaction.atomic
def violation_review(*, violation: Violation, actor: Actor, note: str = "") -> Violation:
    authorize(actor, "violation_review")
    violation.reviewed = True
    violation.note = note or violation.note
    violation.save(update_fields=["reviewed", "note"])
    return violation
