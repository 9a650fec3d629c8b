"""Reads of reply attachments, always through the viewer's orders: a file can be seen
by exactly those who may see its order."""

from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery

from hotline.attachments.models import Attachment
from hotline.orders.models import Contact, Order, Reply
from hotline.orders.selectors import order_get


def attachments_of(*, order) -> QuerySet[Attachment]:
    """The order's files, oldest first; ``order`` comes from the viewer's selector."""
    return (
        Attachment.objects.filter(order=order).select_related("unit").order_by("uploaded_at", "id")
    )


@dataclass(frozen=True)
class ReplyFiles:
    """An order's files by the reply they came with, the citizen's photos sent with an
    online request, and the files tied to no one reply (appeals, violations)."""

    by_reply: dict[int, list[Attachment]]
    loose: list[Attachment]
    citizen: list[Attachment]


def reply_files(*, order) -> ReplyFiles:
    """``order`` comes from the viewer's selector."""
    by_reply: dict[int | None, list[Attachment]] = {}
    citizen = []
    for item in attachments_of(order=order):
        if item.unit_id is None:
            citizen.append(item)
        else:
            by_reply.setdefault(item.reply_id, []).append(item)
    loose = by_reply.pop(None, [])
    return ReplyFiles(by_reply=by_reply, loose=loose, citizen=citizen)


@dataclass(frozen=True)
class ReplyEvidence:
    """What backs a reply, for whoever reviews it or calls the citizen back: the files
    sent with the order's latest reply and the unit's contacts with the citizen."""

    files: list[Attachment]
    contacts: list[Contact]


def reply_evidence(*, orders) -> dict[int, ReplyEvidence]:
    """By order pk, for a page of orders from the viewer's selector; two queries."""
    pks = [order.pk for order in orders]
    latest_reply = Reply.objects.filter(order=OuterRef("order")).order_by("-at", "-id")
    files = (
        Attachment.objects.filter(order__in=pks, reply=Subquery(latest_reply.values("id")[:1]))
        .only("pk", "order_id", "name", "size")
        .order_by("uploaded_at", "id")
    )
    contacts = Contact.objects.filter(order__in=pks).select_related("unit").order_by("at", "id")
    found = {pk: ReplyEvidence(files=[], contacts=[]) for pk in pks}
    for item in files:
        found[item.order_id].files.append(item)
    for contact in contacts:
        found[contact.order_id].contacts.append(contact)
    return found


def attachment_get(*, number: str, pk: int, viewer) -> Attachment:
    """Raises ``Attachment.DoesNotExist`` for a file of an order the viewer may not see
    (or of another order than the one named)."""
    try:
        order = order_get(number=number, viewer=viewer)
    except Order.DoesNotExist:
        raise Attachment.DoesNotExist from None
    return Attachment.objects.select_related("order").get(order=order, pk=pk)
