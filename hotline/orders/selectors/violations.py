"""Reads of the violation records (SPEC 6: 黄牌预警 on a unit, reviewed by the office)."""

from django.db.models import QuerySet

from hotline.directory.models import Unit
from hotline.directory.selectors import unit_family_ids
from hotline.domain.enums import Role
from hotline.orders.models import Violation


def violation_list(
    *, viewer, unit: Unit | None = None, kind: str = "", reviewed: bool | None = None
) -> QuerySet[Violation]:
    """Violations the viewer may see, newest first; a unit handler sees only their
    own unit's and its sub-units'."""
    rows = Violation.objects.select_related("unit", "order")
    if viewer.role == Role.UNIT_HANDLER:
        rows = rows.filter(unit_id__in=unit_family_ids(viewer.unit))
    if unit is not None:
        rows = rows.filter(unit=unit)
    if kind:
        rows = rows.filter(kind=kind)
    if reviewed is not None:
        rows = rows.filter(reviewed=reviewed)
    return rows.order_by("-at", "-pk")


def violation_get(*, pk: int, viewer) -> Violation:
    """Raises ``Violation.DoesNotExist`` for one the viewer may not see."""
    return violation_list(viewer=viewer).get(pk=pk)
