"""Discipline (SPEC 6, 2026-12): violations the office records by hand, the 二传手
flag confirmed at review, and the supervisor's outcome of each violation."""

from datetime import datetime
from typing import Unpack

from django.db import transaction
from django.utils import timezone

from hotline.directory.models import Unit
from hotline.domain import events as ev
from hotline.domain.actions import Action
from hotline.domain.enums import ViolationKind, ViolationOutcome
from hotline.domain.errors import DomainError
from hotline.orders.models import Order, Reply, Violation
from hotline.orders.services.recording import (
    Actor,
    Occasion,
    When,
    authorize,
    lock,
    perform,
    record,
)


class EvidenceRequired(DomainError):
    code = "evidence_required"


class OutcomeAlreadySet(DomainError):
    code = "outcome_already_set"


@transaction.atomic
def violation_record(
    *,
    order: Order,
    unit: Unit,
    kind: str,
    note: str,
    actor: Actor,
    outcome: str = "",
    **occasion: Unpack[Occasion],
) -> Violation:
    """A violation recorded by the office on ``unit`` for ``order``, with what was found
    (the evidence files come with it: ``attachments.services.violation_with_evidence``)."""
    authorize(actor, "violation_record")
    if not note or not note.strip():
        raise EvidenceRequired("请写明违规情况（证据）")
    grade = ViolationKind(kind)
    decided = ViolationOutcome(outcome) if outcome else None
    order = perform(
        order,
        actor=actor,
        action=Action.VIOLATION_RECORD,
        build=lambda order, state, at: ev.RecordViolation(
            at=at, kind=grade, unit=unit.code, outcome=decided, note=note.strip()
        ),
        **occasion,
    )
    return Violation.objects.filter(order=order).latest("pk")


def forwarding_confirm(*, order: Order, actor: Actor, at: datetime) -> Violation:
    """SPEC 6 (2026-12): the reviewer confirms the 二传手 flag on the reply under
    review; the violation is on the unit that replied. Runs in the review's transaction."""
    reply = Reply.objects.filter(order=order).select_related("unit").latest("at", "pk")
    return violation_record(
        order=order,
        unit=reply.unit,
        kind=ViolationKind.FORWARDING.value,
        note=f"答复仅转交他人办理：{reply.text[:200]}",
        actor=actor,
        at=at,
    )


@transaction.atomic
def violation_decide(
    *, violation: Violation, outcome: str, actor: Actor, at: When = None
) -> Violation:
    """The supervisor's outcome (批评教育, 通报批评, 约谈, 移送纪检监察机关), once."""
    authorize(actor, "violation_outcome")
    decided = ViolationOutcome(outcome)
    if violation.outcome:
        label = ViolationOutcome(violation.outcome).label
        raise OutcomeAlreadySet(f"该违规记录已处理为「{label}」，不能重复处理")
    at = at or timezone.now()
    if violation.order_id is None:  # a record from before violations were order events
        violation.outcome, violation.outcome_at, violation.reviewed = decided.value, at, True
        violation.save(update_fields=["outcome", "outcome_at", "reviewed"])
        return violation
    order = lock(violation.order, None)
    event = ev.DecideViolation(
        at=max(at, order.updated_at),
        kind=ViolationKind(violation.kind),
        unit=violation.unit.code,
        outcome=decided,
    )
    record(order, event, actor=actor)
    violation.refresh_from_db()
    return violation
