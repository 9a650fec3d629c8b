"""The appeals units filed (SPEC 4, 2026-12): the office's queue of pending ones."""

from django.db.models import QuerySet

from hotline.domain.enums import Role
from hotline.orders.models import AppealFiling


def pending_appeals(*, viewer) -> QuerySet[AppealFiling]:
    """Appeals awaiting the office's decision, oldest first (a unit sees none here: its
    own appeals are on its orders)."""
    if viewer.role == Role.UNIT_HANDLER:
        return AppealFiling.objects.none()
    return (
        AppealFiling.objects.filter(decision="")
        .select_related("order", "unit")
        .prefetch_related("attachments")
        .order_by("filed_at", "id")
    )
