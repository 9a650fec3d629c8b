"""Each special line, online channel and tag (SPEC 7, 2026-12 ``lines``), as the seeds
publish 人大代表专席, 政协微建议, 政企通, 市长信箱, 蓝天保卫战…: accepted, concluded, on
time, satisfied, the year before's accepted, the leading topics and units; 人大代表专席
also by the deputies' level.

A channel is a line unless it is a voice line (phone, SMS); each tag is a line. The
figures are one GROUP BY over the channels and one over the tags, the leading topics
and units one GROUP BY each, the year before one more, the deputies' levels one more.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery

from hotline.domain.enums import CallbackResult, Channel, DeputyLevel
from hotline.domain.statistics import Period, ranked, rate
from hotline.orders.models import Callback, Order
from hotline.statistics.conditions import DISPATCHED, concluded, on_time, registered_in
from hotline.statistics.lists import DEFAULT_TOPIC_LEVEL, topic

VOICE = (Channel.PHONE, Channel.SMS)
# The seeds name three topics and five units of a line (市长信箱: 前5位的相关部门).
TOPICS_SHOWN, UNITS_SHOWN = 3, 5
SATISFIED = (CallbackResult.SATISFIED, CallbackResult.BASICALLY_SATISFIED)
UNRECORDED = "未登记级别"


def with_latest_callback(orders: QuerySet, made_at: datetime | None, field="pk") -> QuerySet:
    """The orders with ``latest_callback``: the result of the latest callback each had by
    ``made_at`` (spot checks are not callbacks)."""
    latest = Callback.objects.filter(order=OuterRef(field), kind=Callback.Kind.CALLBACK)
    if made_at is not None:
        latest = latest.filter(at__lte=made_at)
    return orders.annotate(
        latest_callback=Subquery(latest.order_by("-at", "-pk").values("result")[:1])
    )


def satisfied(made_at: datetime | None, *, reached: bool = False) -> Q:
    """On orders ``with_latest_callback``: the latest callback found the citizen satisfied
    or basically satisfied (``reached``: reached the citizen at all)."""
    if reached:
        return Q(latest_callback__isnull=False) & ~Q(
            latest_callback=CallbackResult.UNREACHABLE.value
        )
    return Q(latest_callback__in=[r.value for r in SATISFIED])


def _figures(orders: QuerySet, key: str, made_at: datetime | None) -> dict[str, dict]:
    rows = (
        with_latest_callback(orders, made_at, field="pk")
        .order_by()
        .values(key)
        .annotate(
            accepted=Count("pk", distinct=True),
            dispatched=Count("pk", filter=DISPATCHED, distinct=True),
            concluded=Count("pk", filter=concluded(made_at), distinct=True),
            on_time=Count("pk", filter=on_time(made_at), distinct=True),
            reached=Count("pk", filter=satisfied(made_at, reached=True), distinct=True),
            satisfied=Count("pk", filter=satisfied(made_at), distinct=True),
        )
    )
    return {row.pop(key): row for row in rows}


def _leaders(orders: QuerySet, key: str, name, limit: int) -> dict[str, list[dict]]:
    rows = (
        orders.annotate(leader=name)
        .exclude(leader=None)
        .order_by()
        .values(key, "leader")
        .annotate(n=Count("pk", distinct=True))
        .values_list(key, "leader", "n")
    )
    grouped: dict[str, dict[str, int]] = {}
    for line, leader, n in rows:
        counts = grouped.setdefault(line, {})
        counts[leader] = counts.get(leader, 0) + n
    return {
        line: [{"name": n, "count": c} for n, c in ranked(counts)[:limit]]
        for line, counts in grouped.items()
    }


def _lines_of(orders: QuerySet, key: str, made_at, level: int) -> dict[str, dict]:
    figures = _figures(orders, key, made_at)
    topics = _leaders(
        orders.filter(category__isnull=False), key, topic(level, "name"), TOPICS_SHOWN
    )
    units = _leaders(orders.filter(DISPATCHED), key, F("lead_unit__name"), UNITS_SHOWN)
    return {
        line: row | {"topics": topics.get(line, []), "units": units.get(line, [])}
        for line, row in figures.items()
    }


def _by_level(orders: QuerySet, made_at: datetime | None) -> list[dict]:
    """人大代表专席 by the deputies' level, in the vocabulary's order; orders registered
    before levels were recorded are 未登记级别 (SPEC 7, 2026-12)."""
    figures = _figures(
        orders.filter(channel=Channel.NPC_DEPUTY_LINE.value), "deputy_level", made_at
    )
    levels = [(level.value, level.label) for level in DeputyLevel] + [("", UNRECORDED)]
    return [
        {
            "level": value,
            "name": name,
            "accepted": row["accepted"],
            "concluded": row["concluded"],
            "on_time": row["on_time"],
            "on_time_rate": rate(row["on_time"], row["concluded"]),
            "satisfied": row["satisfied"],
            "satisfaction_rate": rate(row["satisfied"], row["reached"]),
        }
        for value, name in levels
        if (row := figures.get(value))
    ]


def line_figures(
    *,
    period: Period,
    previous: Period,
    made_at: datetime | None = None,
    level: int = DEFAULT_TOPIC_LEVEL,
) -> list[dict]:
    """``[{name, kind, accepted, dispatched, concluded, concluded_rate, on_time,
    on_time_rate, satisfied, satisfaction_rate, previous_accepted, change_rate, topics,
    units}]``, the channels' lines first, then the tags', each most accepted first;
    人大代表专席 has ``levels``: ``[{level, name, accepted, concluded, on_time,
    on_time_rate, satisfied, satisfaction_rate}]``. ``previous`` is the period compared
    with (the same days a year earlier)."""
    channels = Order.objects.filter(registered_in(period)).exclude(channel__in=VOICE)
    tags = Order.objects.filter(registered_in(period), tags__isnull=False)
    found = {
        "channel": _lines_of(channels, "channel", made_at, level),
        "tag": _lines_of(tags, "tags__name", made_at, level),
    }
    deputies = (
        _by_level(channels, made_at) if Channel.NPC_DEPUTY_LINE.value in found["channel"] else []
    )
    before = {
        "channel": dict(
            Order.objects.filter(registered_in(previous))
            .exclude(channel__in=VOICE)
            .order_by()
            .values("channel")
            .annotate(n=Count("pk"))
            .values_list("channel", "n")
        ),
        "tag": dict(
            Order.tags.through.objects.filter(registered_in(previous, prefix="order__"))
            .order_by()
            .values("tag__name")
            .annotate(n=Count("order_id"))
            .values_list("tag__name", "n")
        ),
    }
    result = []
    for kind, lines in found.items():
        ranked_lines = ranked((line, row["accepted"]) for line, row in lines.items())
        for line, _ in ranked_lines:
            row = lines[line]
            earlier = before[kind].get(line, 0)
            result.append(
                {
                    "name": Channel(line).label if kind == "channel" else line,
                    "kind": kind,
                    "accepted": row["accepted"],
                    "dispatched": row["dispatched"],
                    "concluded": row["concluded"],
                    "concluded_rate": rate(row["concluded"], row["dispatched"]),
                    "on_time": row["on_time"],
                    "on_time_rate": rate(row["on_time"], row["concluded"]),
                    "satisfied": row["satisfied"],
                    "satisfaction_rate": rate(row["satisfied"], row["reached"]),
                    "previous_accepted": earlier,
                    # SPEC 7 (2026-12): nothing a year before is no comparison (无可比数据).
                    "change_rate": rate(row["accepted"] - earlier, earlier),
                    "topics": row["topics"],
                    "units": row["units"],
                }
            )
            if kind == "channel" and line == Channel.NPC_DEPUTY_LINE.value:
                result[-1]["levels"] = deputies
    return result
