"""The recurrence watch (回头看): once a topic is solved, new orders of its kind at its
place mean the problem may be back. A daily job asks the miner's rule (``matches``:
place, category, text) of every order registered since, and records each match on the
topic once."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from hotline.domain.topic_mining import MinedOrder, matches
from hotline.domain.topics import keywords_of
from hotline.governance.models import Recurrence, Topic
from hotline.governance.selectors import recurrence_candidates, watched_topics
from hotline.orders.models import Order


def _mined(order: Order) -> MinedOrder:
    """What the matcher reads of an order; the miner's cluster figures (returns,
    reworks, callbacks) play no part in matching one order, so they are not read."""
    return MinedOrder(
        order_id=order.pk,
        number=order.number,
        registered_at=order.received_at,
        category_code=order.category.code if order.category_id else "",
        category_name=order.category.name if order.category_id else "",
        region_code=order.region.code if order.region_id else "",
        address=order.address,
        content=order.content,
        unit_ids=(order.lead_unit_id,) if order.lead_unit_id else (),
        caller_key=order.citizen.phone if order.citizen_id else "",
        returned=False,
        reworked=False,
        unsatisfied=False,
    )


@transaction.atomic
def topic_watch(*, topic: Topic, now: datetime) -> int:
    """One topic's look: the new matching orders recorded, the look's time kept."""
    keywords = keywords_of(topic.keywords)
    code = topic.category.code if topic.category_id else ""
    found = [
        Recurrence(topic=topic, order_id=order.pk, found_at=now)
        for order in recurrence_candidates(topic=topic).filter(received_at__lte=now)
        if matches(topic.place, code, keywords, _mined(order))
    ]
    Recurrence.objects.bulk_create(found, ignore_conflicts=True)
    Topic.objects.filter(pk=topic.pk).update(watched_at=now)
    return len(found)


def topic_recurrence_watch(*, now: datetime) -> str:
    """The job: every solved topic, each in its own transaction."""
    topics = found = 0
    for topic in watched_topics():
        topics += 1
        found += topic_watch(topic=topic, now=now)
    return f"回头看每月一题 {topics} 项，发现解决后新增工单 {found} 件"
