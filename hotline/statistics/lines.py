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

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from hotline.domain.enums import CallbackResult, Channel, DeputyLevel
from hotline.domain.statistics import Period, ranked, rate
from hotline.orders.models import Callback, Order
from hotline.statistics.conditions import DISPATCHED, concluded, on_time
from hotline.statistics.facts import Counts, Statement, counted
from hotline.statistics.lists import (
    CHANNELS,
    DEFAULT_TOPIC_LEVEL,
    TAGS,
    grouped,
    named_counts,
    tag_names,
    topic_names,
    unit_names,
)

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


def _figure_counts(since: datetime, made_at: datetime | None) -> dict:
    return {
        "accepted": Count("pk", distinct=True),
        "dispatched": Count("pk", filter=DISPATCHED, distinct=True),
        "concluded": Count("pk", filter=concluded(made_at), distinct=True),
        "on_time": Count("pk", filter=on_time(made_at), distinct=True),
        "reached": Count("pk", filter=satisfied(made_at, reached=True), distinct=True),
        "satisfied": Count("pk", filter=satisfied(made_at), distinct=True),
    }


def _leader_counts(since: datetime, made_at: datetime | None) -> dict:
    return {"n": Count("pk", distinct=True)}


# The lines' orders: the channels' (not the voice lines), the tags' (grouped by tag id:
# an order counts once for each of its tags), and 人大代表专席's.
_LINES = {
    "channel": (lambda: Order.objects.exclude(channel__in=VOICE), "channel"),
    "tag": (lambda: Order.objects.filter(tags__isnull=False), "tags"),
}


def _statements(kind: str) -> tuple[Statement, Statement, Statement]:
    orders, key = _LINES[kind]
    figures = Statement(
        f"lines_{kind}",
        "received_at",
        lambda since, made_at: with_latest_callback(orders(), made_at),
        _figure_counts,
        keys=(key,),
    )
    topics = Statement(
        f"lines_{kind}_topics",
        "received_at",
        lambda since, made_at: orders().filter(category__isnull=False),
        _leader_counts,
        keys=(key, "category_id"),
    )
    units = Statement(
        f"lines_{kind}_units",
        "received_at",
        lambda since, made_at: orders().filter(DISPATCHED, lead_unit__isnull=False),
        _leader_counts,
        keys=(key, "lead_unit_id"),
    )
    return figures, topics, units


BY_KIND = {kind: _statements(kind) for kind in _LINES}
LEVELS = Statement(
    "lines_levels",
    "received_at",
    lambda since, made_at: with_latest_callback(
        Order.objects.filter(channel=Channel.NPC_DEPUTY_LINE.value), made_at
    ),
    _figure_counts,
    keys=("deputy_level",),
)
LINE_STATEMENTS = (*BY_KIND["channel"], *BY_KIND["tag"], LEVELS)


def _leaders(counts: Counts, line_names: dict, names: dict, limit: int) -> dict[str, list[dict]]:
    grouped: dict[str, dict[str, int]] = {}
    for (line, leader), found in counts.items():
        counts_ = grouped.setdefault(line_names.get(line, line), {})
        name = names.get(leader)
        if name is not None:
            counts_[name] = counts_.get(name, 0) + found["n"]
    return {
        line: [{"name": n, "count": c} for n, c in ranked(counts)[:limit]]
        for line, counts in grouped.items()
    }


def _lines_of(kind: str, period: Period, made_at, level: int, tags: dict) -> dict[str, dict]:
    """``{line: figures}``: a channel's line by its code, a tag's by its name."""
    figures, topics, units = (
        counted(statement, period=period, made_at=made_at) for statement in BY_KIND[kind]
    )
    line_names = tags if kind == "tag" else {}
    found = {line_names.get(line, line): counts for (line,), counts in figures.items()}
    topic_of = _leaders(topics, line_names, topic_names(level), TOPICS_SHOWN)
    unit_of = _leaders(units, line_names, unit_names(), UNITS_SHOWN)
    for line, counts in found.items():
        counts["topics"], counts["units"] = topic_of.get(line, []), unit_of.get(line, [])
    return found


def _by_level(period: Period, made_at: datetime | None) -> list[dict]:
    """人大代表专席 by the deputies' level, in the vocabulary's order; orders registered
    before levels were recorded are 未登记级别 (SPEC 7, 2026-12)."""
    figures = {
        level: row
        for (level,), row in counted(LEVELS, period=period, made_at=made_at).items()
        if row["accepted"]
    }
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
    tags = tag_names()
    found = {kind: _lines_of(kind, period, made_at, level, tags) for kind in _LINES}
    deputies = (
        _by_level(period, made_at) if Channel.NPC_DEPUTY_LINE.value in found["channel"] else []
    )
    before = {
        "channel": {
            channel: n for channel, n in grouped(CHANNELS, previous).items() if channel not in VOICE
        },
        "tag": named_counts(grouped(TAGS, previous), tags),
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
