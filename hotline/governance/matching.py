"""Which orders are of a topic's kind, by the miner's rule (``topic_mining.matches``:
the place, the mid-level category or the keywords, the text): for the recurrence watch
and for the orders the topic page suggests linking."""

from __future__ import annotations

from hotline.domain.topic_mining import matches
from hotline.domain.topics import keywords_of
from hotline.governance.mining import mined_orders
from hotline.governance.models import Topic
from hotline.governance.selectors import orders_by_ids, suggestion_candidates
from hotline.orders.models import Order

SUGGESTIONS_SHOWN = 10


def of_the_kind(*, topic: Topic, ids: list[int]) -> list[int]:
    """Of the orders ``ids``, in that order, those the miner's rule puts in the topic."""
    keywords = keywords_of(topic.keywords)
    code = topic.category.code if topic.category_id else ""
    kept = {
        order.order_id for order in mined_orders(ids) if matches(topic.place, code, keywords, order)
    }
    return [i for i in ids if i in kept]


def topic_suggestions(*, topic: Topic) -> list[Order]:
    """The newest orders of the topic's kind not linked yet (系统推荐), at most ten."""
    if not topic.place and not topic.keywords:
        return []  # nothing to match a place or a text against
    found = of_the_kind(topic=topic, ids=suggestion_candidates(topic=topic))
    return orders_by_ids(ids=found[:SUGGESTIONS_SHOWN])
