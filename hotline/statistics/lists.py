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

# 十大热点事项 are named at the catalogue's middle level (消费维权, 社会保险, 物业管理): an
# order filed under a third-level item counts for its parent.
LEAF_LEVEL = 3


def _grouped(queryset, key: str) -> dict:
    rows = queryset.order_by().values(key).annotate(n=Count("pk")).values_list(key, "n")
    return dict(rows)


def appeal_type_shares(*, period: Period, accepted: int) -> list[dict]:
    counts = _grouped(Order.objects.filter(registered_in(period)), "appeal_type")
    labelled = {AppealType(code).label: n for code, n in counts.items()}
    return share_list(labelled, accepted)


def top_categories(*, period: Period, accepted: int) -> list[dict]:
    leaf = When(category__level=LEAF_LEVEL, then=F("category__parent__name"))
    rows = (
        Order.objects.filter(registered_in(period), category__isnull=False)
        .annotate(
            topic=Case(
                When(category__level=LEAF_LEVEL, then=F("category__parent_id")),
                default=F("category_id"),
            ),
            topic_name=Case(leaf, default=F("category__name")),
        )
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
