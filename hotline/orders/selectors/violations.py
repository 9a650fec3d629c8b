"""Reads of the violation records (SPEC 6: 黄牌预警 on a unit, reviewed by the office)."""

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet

from hotline.directory.models import Unit
from hotline.directory.selectors import unit_family_ids
from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.enums import Role
from hotline.orders.models import Violation


def violation_list(
    *,
    viewer,
    unit: Unit | None = None,
    kind: str = "",
    outcome: str = "",
    reviewed: bool | None = None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[Violation]:
    """Violations the viewer may see, newest first; a unit handler sees only their
    own unit's and its sub-units'. ``outcome`` "none": not decided yet; ``since`` and
    ``until``: the days (on the hotline's clock) they were found, both included."""
    rows = Violation.objects.select_related("unit", "order").prefetch_related("evidence")
    if viewer.role == Role.UNIT_HANDLER:
        rows = rows.filter(unit_id__in=unit_family_ids(viewer.unit))
    if unit is not None:
        rows = rows.filter(unit=unit)
    if kind:
        rows = rows.filter(kind=kind)
    if outcome:
        rows = rows.filter(outcome="" if outcome == "none" else outcome)
    if reviewed is not None:
        rows = rows.filter(reviewed=reviewed)
    if since is not None:
        rows = rows.filter(at__gte=datetime.combine(since, time.min, LOCAL_TZ))
    if until is not None:
        rows = rows.filter(at__lt=datetime.combine(until + timedelta(days=1), time.min, LOCAL_TZ))
    return rows.order_by("-at", "-pk")


def violation_get(*, pk: int, viewer) -> Violation:
    """Raises ``Violation.DoesNotExist`` for one the viewer may not see."""
    return violation_list(viewer=viewer).get(pk=pk)
