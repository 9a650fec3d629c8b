"""Reads of reply attachments, always through the viewer's orders: a file can be seen
by exactly those who may see its order."""

from django.db.models import QuerySet

from hotline.attachments.models import Attachment
from hotline.orders.models import Order
from hotline.orders.selectors import order_get


def attachments_of(*, order) -> QuerySet[Attachment]:
    """The order's files, oldest first; ``order`` comes from the viewer's selector."""
    return (
        Attachment.objects.filter(order=order).select_related("unit").order_by("uploaded_at", "id")
    )


def attachment_get(*, number: str, pk: int, viewer) -> Attachment:
    """Raises ``Attachment.DoesNotExist`` for a file of an order the viewer may not see
    (or of another order than the one named)."""
    try:
        order = order_get(number=number, viewer=viewer)
    except Order.DoesNotExist:
        raise Attachment.DoesNotExist from None
    return Attachment.objects.select_related("order").get(order=order, pk=pk)
