"""The office pressing units and leaders' instructions (SPEC 4 and 6)."""

from django.db import transaction
from django.utils import timezone

from hotline.domain import events as ev
from hotline.domain.enums import SupervisionLevel
from hotline.orders.models import Instruction, Supervision, Violation
from hotline.orders.services.recording import authorize, perform


@transaction.atomic
def order_supervise(*, order, level: str, actor, note: str = "", at=None, expected_version=None):
    grade = SupervisionLevel(level)
    at = at or timezone.now()
    order = perform(
        order,
        actor=actor,
        action="supervision",
        at=at,
        expected_version=expected_version,
        build=lambda o, s, t: ev.Supervise(at=t, level=grade, note=note),
    )
    Supervision.objects.create(order=order, level=grade.value, note=note, at=at, by=actor)
    return order


@transaction.atomic
def order_instruct(*, order, text: str, actor, at=None, expected_version=None):
    at = at or timezone.now()
    order = perform(
        order,
        actor=actor,
        action="instruction",
        at=at,
        expected_version=expected_version,
        build=lambda o, s, t: ev.Instruct(at=t, text=text),
    )
    Instruction.objects.create(order=order, text=text, at=at, by=actor)
    return order


@transaction.atomic
def violation_review(*, violation: Violation, actor, note: str = "") -> Violation:
    authorize(actor, "violation_review")
    violation.reviewed = True
    violation.note = note or violation.note
    violation.save(update_fields=["reviewed", "note"])
    return violation
