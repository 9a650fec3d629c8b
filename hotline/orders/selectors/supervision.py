"""Reads of supervisions (SPEC 4, 2026-12): the unit's supervisions awaiting its answer,
the office's queue by answer state, and the facts one 督办单 prints."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

from hotline.directory.selectors import unit_family_ids
from hotline.domain.enums import SupervisionLevel
from hotline.domain.masking import Identity, shown_name, shown_phone
from hotline.domain.redaction import redact
from hotline.orders.models import Supervision
from hotline.orders.selectors import visible_orders

# The office's queue: supervisions still owed an answer, answered, and those that
# escalated (came from an escalation, or went to the unit's leader).
STATES = {
    "awaiting": ("待回复", Q(answered_at__isnull=True, superseded_at__isnull=True)),
    "answered": ("已回复", Q(answered_at__isnull=False)),
    "escalated": ("逾期升级", Q(escalated=True) | Q(leader_told_at__isnull=False)),
}


def supervision_list(*, viewer, state: str = "") -> QuerySet[Supervision]:
    """Supervisions that ask an answer, on orders the viewer sees; latest first."""
    rows = Supervision.objects.filter(
        unit__isnull=False, order__in=visible_orders(viewer=viewer)
    ).select_related("order", "unit", "by")
    if state:
        rows = rows.filter(STATES[state][1])
    return rows.order_by("-at", "-pk")


def supervisions_awaiting(*, viewer) -> QuerySet[Supervision]:
    """The unit handler's supervisions still owed an answer by their unit (or one of
    its sub-units), the nearest deadline first."""
    rows = Supervision.objects.filter(
        STATES["awaiting"][1], unit_id__in=unit_family_ids(viewer.unit)
    ).select_related("order", "unit")
    return rows.order_by("deadline", "pk")


@dataclass(frozen=True)
class SheetFacts:
    """What a 督办单 prints; the citizen's identity is masked whoever prints it."""

    number: str
    unit: str
    level: str
    note: str
    at: datetime
    deadline: datetime | None
    escalated: bool
    received_at: datetime
    appeal_type: str
    category: str
    address: str
    citizen: str
    content: str
    answer: str
    answered_at: datetime | None


def supervision_sheet(*, number: str, pk: int, viewer) -> SheetFacts:
    """Raises ``Supervision.DoesNotExist`` for one on an order the viewer may not see."""
    row = Supervision.objects.select_related(
        "order__category", "order__citizen", "order__lead_unit", "unit"
    ).get(pk=pk, order__number=number, order__in=visible_orders(viewer=viewer))
    order = row.order
    # SPEC 6: a confidential order's citizen is never shown; the others are masked.
    identity = Identity.HIDDEN if order.confidential else Identity.MASKED
    citizen = order.citizen
    who = ""  # printed as （保密）
    if citizen is not None and identity is not Identity.HIDDEN:
        who = " ".join(
            part
            for part in (shown_name(citizen.name, identity), shown_phone(citizen.phone, identity))
            if part
        )
    unit = row.unit or order.lead_unit
    return SheetFacts(
        number=order.number,
        unit=unit.name if unit else "",
        level=SupervisionLevel(row.level).label,
        note=row.note,
        at=row.at,
        deadline=row.deadline,
        escalated=row.escalated,
        received_at=order.received_at,
        appeal_type=order.get_appeal_type_display(),
        category=order.category.name if order.category else "",
        address=redact(order.address),
        citizen=who,
        content=redact(order.content),
        answer=row.answer,
        answered_at=row.answered_at,
    )
