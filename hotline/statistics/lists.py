"""The ranked lists of SPEC 7: appeal types, top categories, top units, channels, tags.

Each list is one GROUP BY query (by the ids: the names are the directory's now, so the
stored days' counts of ``statistics/facts.py`` hold through a renaming); the groups (a
handful of appeal types, channels and tags, at most one row per unit or category) are
ranked by ``domain.statistics`` so that
ties fall the same way on every database, whatever its collation.
"""

from django.db.models import Count

from hotline.directory.models import Category, Tag, Unit
from hotline.domain.enums import AppealType, Channel
from hotline.domain.statistics import TOP, Period, count_list, share_list, top_share
from hotline.orders.models import Order
from hotline.statistics.conditions import DISPATCHED
from hotline.statistics.facts import Statement, counted

# 十大热点事项 are named at one level of the catalogue (SPEC 7, 2026-12: a setting, by
# default the middle level: 消费维权, 社会保险, 物业管理): an order filed deeper counts for
# its ancestor at that level, one filed higher for its own category.
DEFAULT_TOPIC_LEVEL = 2
LEAF_LEVEL = 3


def topic_names(level: int) -> dict[int, str | None]:
    """Each category's topic at ``level`` of the catalogue, by the category's id: the
    name of its ancestor at that level, or its own name when it is not deeper."""
    categories = {
        pk: (own, parent, name)
        for pk, own, parent, name in Category.objects.values_list(
            "pk", "level", "parent_id", "name"
        )
    }

    def named(pk: int) -> str | None:
        up = categories[pk][0] - level
        if not 1 <= up <= LEAF_LEVEL - level:
            return categories[pk][2]
        for _ in range(up):
            pk = categories[pk][1]
            if pk is None:
                return None
        return categories[pk][2]

    return {pk: named(pk) for pk in categories}


def _by(statement_name: str, rows, key: str) -> Statement:
    """A list's statement: ``rows`` (of orders, or of rows with an order) counted by
    ``key`` on the order's registration day."""
    order = "" if rows().model is Order else "order__"
    return Statement(
        statement_name,
        f"{order}received_at",
        lambda since, made_at: rows(),
        lambda since, made_at: {"n": Count(f"{order}pk")},
        keys=(key,),
    )


APPEAL_TYPES = _by("appeal_types", Order.objects.all, "appeal_type")
CATEGORIES = _by("categories", lambda: Order.objects.filter(category__isnull=False), "category_id")
UNITS = _by(
    "units", lambda: Order.objects.filter(DISPATCHED, lead_unit__isnull=False), "lead_unit_id"
)
CHANNELS = _by("channels", Order.objects.all, "channel")
TAGS = _by("tags", Order.tags.through.objects.all, "tag_id")


def grouped(statement: Statement, period: Period) -> dict:
    """``{key: n}`` of a one-key list statement over the period."""
    counts = counted(statement, period=period)
    return {key: found["n"] for (key,), found in counts.items() if found["n"]}


def appeal_type_shares(*, period: Period, accepted: int) -> list[dict]:
    counts = grouped(APPEAL_TYPES, period)
    labelled = {AppealType(code).label: n for code, n in counts.items()}
    return share_list(labelled, accepted)


def named_counts(counts: dict, names: dict) -> dict:
    """Counts by id as counts by name (two ids of one name count as one)."""
    by_name: dict = {}
    for pk, n in counts.items():
        by_name[names.get(pk)] = by_name.get(names.get(pk), 0) + n
    return by_name


def top_categories(
    *, period: Period, accepted: int, level: int = DEFAULT_TOPIC_LEVEL
) -> list[dict]:
    counts = named_counts(grouped(CATEGORIES, period), topic_names(level))
    return share_list(counts, accepted, limit=TOP)


def unit_names() -> dict[int, str]:
    return dict(Unit.objects.values_list("pk", "name"))


def top_units(*, period: Period, dispatched: int) -> dict:
    counts = named_counts(grouped(UNITS, period), unit_names())
    units = share_list(counts, dispatched, limit=TOP)
    return {"units": units, "top10_share": top_share(units, dispatched)}


def channel_counts(*, period: Period) -> list[dict]:
    counts = grouped(CHANNELS, period)
    return count_list({Channel(code).label: n for code, n in counts.items()})


def tag_names() -> dict[int, str]:
    return dict(Tag.objects.values_list("pk", "name"))


def tag_counts(*, period: Period) -> list[dict]:
    return count_list(named_counts(grouped(TAGS, period), tag_names()))
