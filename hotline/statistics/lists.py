"""The ranked lists of SPEC 7: appeal types, top categories, top units, channels, tags.

Each list is one GROUP BY query; the groups (a handful of appeal types, channels and
tags, at most one row per unit or category) are ranked by ``domain.statistics`` so that
ties fall the same way on every database, whatever its collation.
"""

from django.db.models import Case, Count, F, When

from hotline.domain.enums import AppealType, Channel
from hotline.domain.statistics import TOP, Period, count_list, share_list, top_share
from hotline.orders.models import Order
from hotline.statistics.conditions import DISPATCHED, registered_in

# 十大热点事项 are named at one level of the catalogue (SPEC 7, 2026-12: a setting, by
# default the middle level: 消费维权, 社会保险, 物业管理): an order filed deeper counts for
# its ancestor at that level, one filed higher for its own category.
DEFAULT_TOPIC_LEVEL = 2
LEAF_LEVEL = 3


def topic(level: int, field: str, prefix: str = "") -> Case:
    """The order's category at ``level`` of the catalogue (its ``field``)."""
    category = f"{prefix}category"
    steps = [
        When(**{f"{category}__level": level + up}, then=F(f"{category}{'__parent' * up}__{field}"))
        for up in range(LEAF_LEVEL - level, 0, -1)
    ]
    return Case(*steps, default=F(f"{category}__{field}"))


def _grouped(queryset, key: str) -> dict:
    rows = queryset.order_by().values(key).annotate(n=Count("pk")).values_list(key, "n")
    return dict(rows)


def appeal_type_shares(*, period: Period, accepted: int) -> list[dict]:
    counts = _grouped(Order.objects.filter(registered_in(period)), "appeal_type")
    labelled = {AppealType(code).label: n for code, n in counts.items()}
    return share_list(labelled, accepted)


def top_categories(
    *, period: Period, accepted: int, level: int = DEFAULT_TOPIC_LEVEL
) -> list[dict]:
    rows = (
        Order.objects.filter(registered_in(period), category__isnull=False)
        .annotate(topic=topic(level, "id"), topic_name=topic(level, "name"))
        .order_by()
        .values("topic", "topic_name")
        .annotate(n=Count("pk"))
        .values_list("topic_name", "n")
    )
    counts: dict[str, int] = {}
    for name, n in rows:  # two catalogue entries of one name are one topic
        counts[name] = counts.get(name, 0) + n
    return share_list(counts, accepted, limit=TOP)


def top_units(*, period: Period, dispatched: int) -> dict:
    counts = _grouped(
        Order.objects.filter(registered_in(period), DISPATCHED, lead_unit__isnull=False),
        "lead_unit__name",
    )
    units = share_list(counts, dispatched, limit=TOP)
    return {"units": units, "top10_share": top_share(units, dispatched)}


def channel_counts(*, period: Period) -> list[dict]:
    counts = _grouped(Order.objects.filter(registered_in(period)), "channel")
    return count_list({Channel(code).label: n for code, n in counts.items()})


def tag_counts(*, period: Period) -> list[dict]:
    through = Order.tags.through.objects.filter(registered_in(period, prefix="order__"))
    rows = through.order_by().values("tag__name").annotate(n=Count("order_id"))
    return count_list({row["tag__name"]: row["n"] for row in rows})
