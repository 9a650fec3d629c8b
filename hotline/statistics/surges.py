"""Surges (SPEC 10) in the orders: the daily counts are SQL, the judgement is
``hotline.domain.surges``.

A series counts orders by the local day they were registered, per topic (the
catalogue's middle level, as the report's 十大热点事项: an order filed under a
third-level item counts for its parent, so a storm's roads, drains and manholes add up
in 市政设施), per district (the order's place at district level), and per topic within
a district. The judgement reads the period and the days each of its days is compared
with (``SurgeRule.days_needed``: for today and yesterday fourteen days, for a fortnight
six weeks) as counts by (day, topic, district), a few hundred groups a day, and the
three kinds of series are sums of those groups; no order is read into Python. The
counts are a statement of the per-day counts (``statistics/facts.py``): the closed days
the ``report_facts`` job stored are read as stored, the others (today, days events
touched since the job ran) counted from the index on (received_at, category, region),
one range per run of days. Nothing is cached: a corrected category shows at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Min,
    Q,
    QuerySet,
    Value,
    When,
)

from hotline.configuration.selectors import working_calendar
from hotline.directory.models import Category, Region
from hotline.domain import surges as rules
from hotline.domain.deadlines import LOCAL_TZ
from hotline.orders.models import Order
from hotline.orders.selectors import visible_orders
from hotline.statistics.facts import Statement, day_counts
from hotline.statistics.lists import LEAF_LEVEL

DISTRICT = Region.Level.DISTRICT
ORDERS_SHOWN = 10  # orders listed under each surge
SURGES_SHOWN = 50  # surges listed on a page

_TOPIC = Case(
    When(category__level=LEAF_LEVEL, then=F("category__parent_id")),
    default=F("category_id"),
    output_field=IntegerField(),
)
_DISTRICT = Case(
    When(region__level=DISTRICT, then=F("region_id")),
    When(region__parent__level=DISTRICT, then=F("region__parent_id")),
    When(region__parent__parent__level=DISTRICT, then=F("region__parent__parent_id")),
    default=None,
    output_field=IntegerField(),
)

KIND_LABELS = {
    "category": "事项",
    "district": "区域",
    "category_district": "区域事项",
}


@dataclass(frozen=True)
class FoundSurge:
    day: date
    topic: Category | None
    district: Region | None
    observed: int
    expected: float
    score: float
    # The category ids the topic counts (itself and its third-level items) and the
    # region ids the district counts (itself and the places under it, two levels):
    # directory data, so that the orders behind the surge are ranges of the
    # (category, received_at) and (region, received_at) indexes, not a day read whole.
    topic_ids: tuple[int, ...] = ()
    district_ids: tuple[int, ...] = ()

    @property
    def kind(self) -> str:
        return rules.SeriesKey(self.topic, self.district).kind

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def label(self) -> str:
        """``岳塘区 · 市政设施``, ``市政设施`` or ``岳塘区``."""
        return " · ".join(x.name for x in (self.district, self.topic) if x is not None)

    @property
    def ratio(self) -> float | None:
        return self.observed / self.expected if self.expected else None

    def orders_query(self) -> dict[str, str]:
        """The order search's filters for the orders behind the surge."""
        query = {"received_from": self.day.isoformat(), "received_to": self.day.isoformat()}
        if self.topic is not None:
            query["category"] = self.topic.code
        if self.district is not None:
            query["region"] = self.district.code
        return query

    def orders_query_string(self) -> str:
        return urlencode(self.orders_query())


def _groups(since, made_at) -> QuerySet[Order]:
    return Order.objects.annotate(topic=_TOPIC, district=_DISTRICT)


# The daily counts by (topic, district), counted per closed day and stored by the
# ``report_facts`` job as the report's statements are: the six weeks a fortnight's
# judgement reads are then a few thousand stored rows, not 600 000 orders at ten million.
SURGE_GROUPS = Statement(
    "surge_groups",
    "received_at",
    _groups,
    # COUNT(*) rather than of a column: the index alone answers, on PostgreSQL too.
    lambda since, made_at: {"n": Count("*")},
    keys=("topic", "district"),
)


def daily_counts(days: Iterable[date]) -> list[tuple[date, int | None, int | None, int]]:
    """``(local day, topic id, district id, orders)`` for every group of the given
    local days: the stored days' counts in one query, the other days counted from the
    orders in another."""
    found = day_counts(SURGE_GROUPS, days=days, name="n")
    return [(day, topic, district, n) for day, (topic, district), n in found]


def first_day() -> date | None:
    """The local day of the earliest order: the days before it are unknown."""
    first = Order.objects.aggregate(first=Min("received_at"))["first"]
    return first.astimezone(LOCAL_TZ).date() if first is not None else None


def _workdays():
    """The office's working calendar, or the weekday rule for a year it does not know
    (surges are still found in such a year, only without its holidays)."""
    calendar = working_calendar()
    known: dict[int, bool] = {}
    answers: dict[date, bool] = {}

    def is_workday(day: date) -> bool:
        answer = answers.get(day)
        if answer is None:
            if day.year not in known:
                known[day.year] = calendar.covers(day.year)
            answer = calendar.is_workday(day) if known[day.year] else day.weekday() < 5
            answers[day] = answer
        return answer

    return is_workday


def surges_between(
    *,
    start: date,
    end: date,
    rule: rules.SurgeRule = rules.DEFAULT_RULE,
) -> list[FoundSurge]:
    """Every surge on the local days ``start``–``end`` (both included), by day, the
    strongest first."""
    return _named(_judged(start, end, rule))


def _judged(start: date, end: date, rule: rules.SurgeRule) -> list[rules.Surge]:
    is_workday = _workdays()
    known_from = first_day()
    if known_from is None:
        return []
    # The days before the first order are unknown, not counted.
    days = [d for d in rule.days_needed(start, end, is_workday) if d >= known_from]
    return rules.surges(
        rules.series_from_groups(daily_counts(days)),
        start=start,
        end=end,
        rule=rule,
        known_from=known_from,
        is_workday=is_workday,
    )


def _named(found: list[rules.Surge]) -> list[FoundSurge]:
    """The surges with their topics and districts (two queries)."""
    topics, topic_ids = _topics({s.series.category for s in found} - {None})
    districts, district_ids = _districts({s.series.district for s in found} - {None})
    return [
        FoundSurge(
            day=s.day,
            topic=topics.get(s.series.category),
            district=districts.get(s.series.district),
            observed=s.observed,
            expected=s.expected,
            score=s.score,
            topic_ids=topic_ids.get(s.series.category, ()),
            district_ids=district_ids.get(s.series.district, ()),
        )
        for s in found
    ]


def _topics(ids: set[int]) -> tuple[dict[int, Category], dict[int, tuple[int, ...]]]:
    """The topics by id and the category ids each counts (``_TOPIC``): one query."""
    if not ids:
        return {}, {}
    found = Category.objects.filter(Q(pk__in=ids) | Q(parent_id__in=ids, level=LEAF_LEVEL))
    topics, members = {}, {pk: [pk] for pk in ids}
    for category in found:
        if category.pk in ids:
            topics[category.pk] = category
        else:
            members[category.parent_id].append(category.pk)
    return topics, {pk: tuple(sorted(kept)) for pk, kept in members.items()}


def _districts(ids: set[int]) -> tuple[dict[int, Region], dict[int, tuple[int, ...]]]:
    """The districts by id and the region ids each counts (``_DISTRICT``): one query."""
    if not ids:
        return {}, {}
    found = Region.objects.filter(
        Q(pk__in=ids) | Q(parent_id__in=ids) | Q(parent__parent_id__in=ids)
    ).annotate(grandparent=F("parent__parent_id"))
    districts, members = {}, {pk: set() for pk in ids}
    for region in found:
        if region.pk in ids:
            districts[region.pk] = region
        for above in (region.pk, region.parent_id, region.grandparent):
            if above in members:
                members[above].add(region.pk)
    return districts, {pk: tuple(sorted(kept)) for pk, kept in members.items()}


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(), LOCAL_TZ)
    return start, start + timedelta(days=1)


def _behind(surge: FoundSurge, *, viewer) -> QuerySet[Order]:
    """The orders behind a surge that ``viewer`` may see, in order of intake: the day's
    range of the (category, received_at) index for each of the topic's categories (of
    the region index for a district's surge), not every order of the day."""
    start, until = _day_bounds(surge.day)
    orders = visible_orders(viewer=viewer).filter(received_at__gte=start, received_at__lt=until)
    if surge.topic is not None:
        orders = orders.filter(category_id__in=surge.topic_ids)
    if surge.district is not None:
        orders = orders.filter(region_id__in=surge.district_ids)
    return orders.order_by("received_at", "pk")


def surge_orders(surge: FoundSurge, *, viewer, limit: int = ORDERS_SHOWN) -> QuerySet[Order]:
    """The first orders behind a surge that ``viewer`` may see, in order of intake."""
    return _behind(surge, viewer=viewer).select_related("category", "region")[:limit]


def orders_behind(
    surges: list[FoundSurge], *, viewer, limit: int = ORDERS_SHOWN
) -> list[list[Order]]:
    """``surge_orders`` of every surge, in two queries however many surges there are:
    the first ids of each surge (its own LIMIT inside an IN, which SQLite accepts in a
    compound statement), all joined by UNION ALL; then those orders."""
    if not surges:
        return []
    branches = [
        Order.objects.filter(pk__in=_behind(s, viewer=viewer).values("pk")[:limit])
        .annotate(surge=Value(index, output_field=IntegerField()))
        .order_by()
        .values_list("surge", "pk")
        for index, s in enumerate(surges)
    ]
    pairs = list(branches[0].union(*branches[1:], all=True)) if len(branches) > 1 else branches[0]
    pairs = list(pairs)
    # What the page shows of each: fifty surges list up to 500 orders.
    orders = (
        Order.objects.select_related("category")
        .only("number", "received_at", "address", "category__name")
        .in_bulk([pk for _, pk in pairs])
    )
    listed: list[list[Order]] = [[] for _ in surges]
    for index, pk in pairs:
        listed[index].append(orders[pk])
    return [sorted(found, key=lambda o: (o.received_at, o.pk)) for found in listed]


def _latest_day_first(found: list[rules.Surge]) -> list[rules.Surge]:
    return sorted(found, key=lambda s: -s.day.toordinal())  # stable: the strongest first


def surges_with_orders(
    *,
    start: date,
    end: date,
    viewer,
    rule: rules.SurgeRule = rules.DEFAULT_RULE,
    limit: int = SURGES_SHOWN,
) -> list[tuple[FoundSurge, list[Order]]]:
    """The surges of the days ``start``–``end`` for a page, the latest day first, each
    with the first orders behind it (two queries for all the surges listed, at most
    ``limit``; only those are named: a fortnight at ten million orders finds a
    thousand)."""
    found = _named(_latest_day_first(_judged(start, end, rule))[:limit])
    return list(zip(found, orders_behind(found, viewer=viewer), strict=True))


def current_surges(*, today: date, rule: rules.SurgeRule = rules.DEFAULT_RULE) -> list[FoundSurge]:
    """The surges of today and yesterday for the dashboard, today's first: today's
    orders are counted on every load, the days before read from the stored counts."""
    return _named(_latest_day_first(_judged(today - rules.DAY, today, rule)))
