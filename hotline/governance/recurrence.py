"""The recurrence watch (回头看): once a topic is solved, new orders of its kind at its
place mean the problem may be back. A daily job asks the miner's rule (``matches``:
place, category, text) of every order registered since, and records each match on the
topic once."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from hotline.governance.matching import of_the_kind
from hotline.governance.models import Recurrence, Topic
from hotline.governance.selectors import recurrence_candidates, watched_topics


@transaction.atomic
def topic_watch(*, topic: Topic, now: datetime) -> int:
    """One topic's look: the new matching orders recorded, the look's time kept."""
    ids = list(
        recurrence_candidates(topic=topic).filter(received_at__lte=now).values_list("pk", flat=True)
    )
    found = [
        Recurrence(topic=topic, order_id=order_id, found_at=now)
        for order_id in of_the_kind(topic=topic, ids=ids)
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
