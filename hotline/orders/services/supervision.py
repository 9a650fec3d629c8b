"""The office pressing units and leaders' instructions (SPEC 4 and 6)."""

from django.db import transaction

from hotline.domain import events as ev
from hotline.domain.enums import SupervisionLevel
from hotline.orders.models import Violation
from hotline.orders.services.recording import authorize, perform


@transaction.atomic
def order_supervise(*, order, level: str, actor, note: str = "", at=None, expected_version=None):
    grade = SupervisionLevel(level)
    return perform(
        order,
        actor=actor,
        action="supervision",
        at=at,
        expected_version=expected_version,
        build=lambda o, s, t: ev.Supervise(at=t, level=grade, note=note),
    )


@transaction.atomic
def order_instruct(*, order, text: str, actor, at=None, expected_version=None):
    return perform(
        order,
        actor=actor,
        action="instruction",
        at=at,
        expected_version=expected_version,
        build=lambda o, s, t: ev.Instruct(at=t, text=text),
    )


@transaction.atomic
def violation_review(*, violation: Violation, actor, note: str = "") -> Violation:
    authorize(actor, "violation_review")
    violation.reviewed = True
    violation.note = note or violation.note
    violation.save(update_fields=["reviewed", "note"])
    return violation
