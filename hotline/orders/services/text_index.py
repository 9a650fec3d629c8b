"""The order search's index (``OrderText``): kept by the orders' own bus subscriber as
orders are registered and replied to, and caught up by a background job for orders
that came in without events (a history import publishes nothing)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction

from hotline.domain.text_search import index_terms
from hotline.orders.bus import EventRecorded
from hotline.orders.models import Order, OrderText, Reply

CATCH_UP_BATCH = 2000


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
        OrderText.objects.create(order_id=order.pk, terms=index_terms(order.content))
    elif message.event.type == "reply":
        order_texts_write(order_ids=[message.order.pk])


def order_texts_catch_up(*, now: datetime | None = None, batch: int = CATCH_UP_BATCH) -> str:
    """Indexes every order without terms yet, newest first, a batch per transaction;
    each batch starts below the last, so the orders are walked once."""
    done, below = 0, None
    while True:
        missing = Order.objects.filter(text__isnull=True)
        if below is not None:
            missing = missing.filter(pk__lt=below)
        ids = list(missing.order_by("-pk").values_list("pk", flat=True)[:batch])
        if not ids:
            break
        with transaction.atomic():
            done += order_texts_write(order_ids=ids)
        below = ids[-1]
    return f"为 {done} 件工单建立检索词" if done else "没有待建立检索词的工单"
