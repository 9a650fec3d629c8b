"""The order search's index (``OrderText``): kept by the orders' own bus subscriber as
orders are registered and replied to, and caught up by a background job for orders
that came in without events (a history import publishes nothing). The job walks up
from a stored mark (``OrderTextMark``), so each run reads only the orders added since
the last, not every order id in the history."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import Max

from hotline.domain.text_search import index_terms
from hotline.orders.bus import EventRecorded
from hotline.orders.models import Order, OrderText, OrderTextMark, Reply
from hotline.orders.rows import insert

CATCH_UP_BATCH = 2000
MARK = 1  # the mark's one row


def order_texts_write(*, order_ids: Iterable[int]) -> int:
    """(Re)writes the terms of the orders: content and every reply. Returns how many."""
    ids = list(order_ids)
    if not ids:
        return 0
    replies: dict[int, list[str]] = defaultdict(list)
    for order_id, text in (
        Reply.objects.filter(order_id__in=ids).order_by("at", "pk").values_list("order_id", "text")
    ):
        replies[order_id].append(text)
    rows = [
        OrderText(order_id=pk, terms=index_terms(content, *replies[pk]))
        for pk, content in Order.objects.filter(pk__in=ids).values_list("pk", "content")
    ]
    OrderText.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["order"], update_fields=["terms"]
    )
    return len(rows)


def index_order_text(message: EventRecorded) -> None:
    """Bus subscriber: inside the write's transaction, so the index never lags a page.
    The words of an order change when it is registered (its content) and replied to."""
    if message.event.type == "register":
        # A new order has no reply yet: its words are its content, in hand.
        order = message.order
        insert(OrderText(order=order, terms=index_terms(order.content)))
    elif message.event.type == "reply":
        order_texts_write(order_ids=[message.order.pk])


def order_texts_catch_up(*, now: datetime | None = None, batch: int = CATCH_UP_BATCH) -> str:
    """Gives terms to the orders above the mark that have none, a batch per transaction,
    moving the mark up past each batch. While an import holds the mark, waits for the
    next run."""
    OrderTextMark.objects.get_or_create(pk=MARK)
    done = 0
    while True:
        with transaction.atomic():
            held = OrderTextMark.objects.select_for_update(skip_locked=True).filter(pk=MARK)
            mark = held.first()
            if mark is None:
                return f"工单导入进行中，已为 {done} 件工单建立检索词，其余下次建立"
            above = Order.objects.filter(pk__gt=mark.through).order_by("pk")
            ids = list(above.values_list("pk", flat=True)[:batch])
            if not ids:
                break
            indexed = set(
                OrderText.objects.filter(order_id__in=ids).values_list("order", flat=True)
            )
            done += order_texts_write(order_ids=[pk for pk in ids if pk not in indexed])
            mark.through = ids[-1]
            mark.save(update_fields=["through"])
    return f"为 {done} 件工单建立检索词" if done else "没有待建立检索词的工单"


def order_text_mark_hold() -> None:
    """For an import, inside its transaction: the catch-up is to look again above the
    orders there now (the import's own get higher ids from the sequence), and waits for
    the import's commit to do so."""
    OrderTextMark.objects.get_or_create(pk=MARK)
    mark = OrderTextMark.objects.select_for_update().get(pk=MARK)
    there = Order.objects.aggregate(last=Max("pk"))["last"] or 0
    if mark.through > there:
        mark.through = there
        mark.save(update_fields=["through"])
