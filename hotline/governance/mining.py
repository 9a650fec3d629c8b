"""The month's candidate topics (每月一题): the orders of the month and the months
before it, read in a few bounded queries and handed to the miner
(``domain.topic_mining``).

Reading every order's text over half a year would not scale to a city taking 300 000
orders a month, so the selector reads in two passes:

1. the narrow columns of every order of the window (no text): month, place, category,
   caller, and the sets of orders returned, reworked or called back unsatisfied (each
   one query on an index holding it). Orders are grouped by district, place and
   mid-level category; the groups of ``MIN_ORDERS`` orders or more at a place with an
   order of the month are ranked by the miner's own weight of those facts;
2. the texts and assigned units of every order at the places of the best
   ``limit × PRESELECTED_PER_TOPIC`` groups (all categories there, so that the miner can
   join a problem registered under two categories), in chunks of ``CHUNK`` ids.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import date, datetime

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.db.models.functions import ExtractMonth, ExtractYear

from hotline.directory.models import Category, Region
from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.enums import CallbackResult, Disposition, ReviewDecision
from hotline.domain.statistics import Period
from hotline.domain.topic_mining import (
    MinedOrder,
    TopicCandidate,
    category_group,
    chronic_weight,
    concentration,
    district_of,
    mine,
    normalise_place,
)
from hotline.orders.models import Assignment, Callback, Event, Order, Reply

MIN_ORDERS = 3
PRESELECTED_PER_TOPIC = 10
CHUNK = 900  # ids per IN (…): under SQLite's bound on a statement's parameters
# Matching one order to a topic asks only whether it is of the topic's kind; the facts the
# miner weighs a cluster by (returns, reworks, unsatisfied callbacks) play no part.
NO_FAILURES: dict[str, set[int]] = {"returned": set(), "reworked": set(), "unsatisfied": set()}
# Orders that are a citizen's matter: not rejected, nuisance, merged away or handed to 110.
MINED_DISPOSITIONS = (Disposition.ANSWERED.value, Disposition.DISPATCHED.value)


def propose_topics(
    *, month_start: date, month_end: date, lookback_months: int = 6, limit: int = 20
) -> list[TopicCandidate]:
    """The month's candidate topics, best first: clusters of orders of the month and of
    the ``lookback_months`` months before it, each with an order registered in
    [``month_start``, ``month_end``]."""
    first = month_start.year * 12 + month_start.month - 1 - lookback_months
    window = Period(date(first // 12, first % 12 + 1, 1), month_end)
    since, until = window.bounds()
    recent = Period(month_start, month_end).bounds()[0]
    failed = _failed_orders(since)
    chosen = _preselected(since, until, recent, failed, limit * PRESELECTED_PER_TOPIC)
    return mine(
        mined_orders(chosen, failed), min_orders=MIN_ORDERS, limit=limit, recent_from=recent
    )


def _failed_orders(since: datetime) -> dict[str, set[int]]:
    """The orders returned, reworked and called back unsatisfied since the window began
    (a fact recorded after its order's registration, so never before the window)."""
    returned = Event.objects.filter(type="return", at__gte=since).values_list("order_id", flat=True)
    replies = Reply.objects.filter(decision=ReviewDecision.REWORK.value, at__gte=since)
    callbacks = Callback.objects.filter(rework=True, at__gte=since)
    unsatisfied = Callback.objects.filter(
        result=CallbackResult.UNSATISFIED.value, at__gte=since
    ).values_list("order_id", flat=True)
    return {
        "returned": set(returned),
        "reworked": set(replies.values_list("order_id", flat=True))
        | set(callbacks.values_list("order_id", flat=True)),
        "unsatisfied": set(unsatisfied),
    }


def _preselected(
    since: datetime, until: datetime, recent: datetime, failed: dict[str, set[int]], keep: int
) -> list[int]:
    """The ids of the window's orders at the places of the ``keep`` groups that weigh
    most on their narrow columns."""
    categories = dict(Category.objects.values_list("id", "code"))
    regions = dict(Region.objects.values_list("id", "code"))
    # The month and whether the order is of the month, computed by the database: cheaper
    # to read than an instant per row.
    month = ExtractYear("received_at", tzinfo=LOCAL_TZ) * 12 + ExtractMonth(
        "received_at", tzinfo=LOCAL_TZ
    )
    rows = (
        Order.objects.filter(
            received_at__gte=since,
            received_at__lt=until,
            disposition__in=MINED_DISPOSITIONS,
            category__isnull=False,
            region__isnull=False,
        )
        .exclude(address="")
        .annotate(
            month=month,
            recent=ExpressionWrapper(Q(received_at__gte=recent), output_field=BooleanField()),
        )
        .values_list("id", "month", "recent", "category_id", "region_id", "address", "citizen_id")
        .order_by()
    )
    groups: dict[tuple[str, str, str], list[tuple]] = defaultdict(list)
    at_place: dict[tuple[str, str], list[int]] = defaultdict(list)
    recent_places = set()
    for order_id, in_month, of_month, category_id, region_id, address, citizen_id in rows.iterator(
        chunk_size=20000
    ):
        place = normalise_place(address)
        if not place:
            continue
        where = (district_of(regions[region_id]), place)
        at_place[where].append(order_id)
        if of_month:
            # A group with no order of the month still counts when its place has one:
            # the miner may join it by text with the month's order of another category.
            recent_places.add(where)
        group = (*where, category_group(categories[category_id]))
        groups[group].append((order_id, in_month, citizen_id))
    weighed = []
    for group, members in groups.items():
        if len(members) < MIN_ORDERS or group[:2] not in recent_places:
            continue
        share = concentration(len(members), len(at_place[group[:2]]))
        weighed.append((-_weight(members, failed) * share, group))
    weighed.sort()
    chosen_places = dict.fromkeys(group[:2] for _, group in weighed[:keep])
    return sorted(order_id for where in chosen_places for order_id in at_place[where])


def _weight(members: list[tuple], failed: dict[str, set[int]]) -> float:
    ids = [order_id for order_id, _, _ in members]
    callers: dict[int, int] = defaultdict(int)
    for _, _, citizen_id in members:
        if citizen_id is not None:
            callers[citizen_id] += 1
    months = {month for _, month, _ in members}
    return chronic_weight(
        orders=len(ids),
        months=len(months),
        units=1,
        repeat_callers=sum(1 for count in callers.values() if count >= 2),
        returns=sum(1 for i in ids if i in failed["returned"]),
        reworks=sum(1 for i in ids if i in failed["reworked"]),
        unsatisfied=sum(1 for i in ids if i in failed["unsatisfied"]),
    )


def mined_orders(ids: list[int], failed: dict[str, set[int]] | None = None) -> list[MinedOrder]:
    """The orders ``ids`` in the miner's form; ``failed`` names the returned, reworked and
    unsatisfied ones (none when it is not given: matching one order to a topic does not
    weigh them)."""
    failed = failed or NO_FAILURES
    mined = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        units: dict[int, set[int]] = defaultdict(set)
        for order_id, unit_id in Assignment.objects.filter(order_id__in=chunk).values_list(
            "order_id", "unit_id"
        ):
            units[order_id].add(unit_id)
        rows = (
            Order.objects.filter(id__in=chunk)
            .values_list(
                "id",
                "number",
                "received_at",
                "category__code",
                "category__name",
                "region__code",
                "address",
                "content",
                "citizen_id",
                "citizen__phone",
            )
            .order_by("id")
        )
        for order_id, number, at, code, name, region, address, content, citizen, phone in rows:
            mined.append(
                MinedOrder(
                    order_id=order_id,
                    number=number,
                    registered_at=at.astimezone(LOCAL_TZ),
                    category_code=code,
                    category_name=name,
                    region_code=region,
                    address=address,
                    content=content,
                    unit_ids=tuple(sorted(units[order_id])),
                    caller_key=_caller_key(citizen, phone),
                    returned=order_id in failed["returned"],
                    reworked=order_id in failed["reworked"],
                    unsatisfied=order_id in failed["unsatisfied"],
                )
            )
    return mined


def _caller_key(citizen_id: int | None, phone: str | None) -> str:
    """The same caller, without carrying the number: a digest of the phone (callers are
    recognised by phone, SPEC 3), else the citizen record."""
    if phone:
        return hashlib.sha256(phone.encode()).hexdigest()[:16]
    return f"citizen:{citizen_id}" if citizen_id is not None else ""
