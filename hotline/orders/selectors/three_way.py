"""The operators' list of three-way calls to make (SPEC 4, 2026-12): units' requests to
be connected with the citizen of a confidential order, oldest first."""

from django.db.models import QuerySet

from hotline.orders.models import ThreeWayCall
from hotline.orders.selectors import visible_orders


def three_way_waiting(*, viewer) -> QuerySet[ThreeWayCall]:
    return (
        ThreeWayCall.objects.filter(called_at__isnull=True, order__in=visible_orders(viewer=viewer))
        .select_related("order", "order__citizen", "order__category", "unit")
        .order_by("requested_at", "id")
    )
