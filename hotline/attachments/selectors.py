"""Reads of reply attachments, always through the viewer's orders: a file can be seen
by exactly those who may see its order."""

from dataclasses import dataclass

from django.db.models import QuerySet

from hotline.attachments.models import Attachment
from hotline.orders.models import Order
from hotline.orders.selectors import order_get


def attachments_of(*, order) -> QuerySet[Attachment]:
    """The order's files, oldest first; ``order`` comes from the viewer's selector."""
    return (
        Attachment.objects.filter(order=order).select_related("unit").order_by("uploaded_at", "id")
    )


@dataclass(frozen=True)
class ReplyFiles:
    """An order's files by the reply they came with, and those tied to no one reply."""

    by_reply: dict[int, list[Attachment]]
    loose: list[Attachment]


def reply_files(*, order) -> ReplyFiles:
    """``order`` comes from the viewer's selector."""
    by_reply: dict[int | None, list[Attachment]] = {}
    for item in attachments_of(order=order):
        by_reply.setdefault(item.reply_id, []).append(item)
    loose = by_reply.pop(None, [])
    return ReplyFiles(by_reply=by_reply, loose=loose)


def attachment_get(*, number: str, pk: int, viewer) -> Attachment:
    """Raises ``Attachment.DoesNotExist`` for a file of an order the viewer may not see
    (or of another order than the one named)."""
    try:
        order = order_get(number=number, viewer=viewer)
    except Order.DoesNotExist:
        raise Attachment.DoesNotExist from None
    return Attachment.objects.select_related("order").get(order=order, pk=pk)
