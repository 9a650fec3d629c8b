"""The report's `violations` (SPEC 6, 7; 2026-12): the 黄牌预警 list of the period."""

from datetime import datetime

from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.enums import ViolationKind, ViolationOutcome
from hotline.domain.statistics import Period
from hotline.orders.models import Violation


def violation_figures(*, period: Period, made_at: datetime | None = None) -> list[dict]:
    """Each violation found in the period (recorded by ``made_at`` when given): unit,
    order number, kind and the supervisor's outcome (Chinese names; "" while
    undecided), at (local time, ISO 8601); in the order they were found, then by unit."""
    since, until = period.bounds()
    rows = Violation.objects.filter(at__gte=since, at__lt=until)
    if made_at is not None:
        rows = rows.filter(at__lte=made_at)
    found = rows.order_by("at", "unit__name", "pk").values_list(
        "unit__name", "order__number", "kind", "outcome", "at"
    )
    return [
        {
            "unit": unit,
            "number": number or "",
            "kind": ViolationKind(kind).label,
            "outcome": ViolationOutcome(outcome).label if outcome else "",
            "at": at.astimezone(LOCAL_TZ).isoformat(),
        }
        for unit, number, kind, outcome, at in found
    ]
