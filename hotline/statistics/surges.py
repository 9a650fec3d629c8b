"""Surges (SPEC 10) in the orders: the daily counts are one SQL GROUP BY, the judgement
is ``hotline.domain.surges``.

A series counts orders by the local day they were registered, per topic (the
catalogue's middle level, as the report's 十大热点事项: an order filed under a
third-level item counts for its parent, so a storm's roads, drains and manholes add up
in 市政设施), per district (the order's place at district level), and per topic within
a district. The query groups the period and the baseline weeks before it by (day,
topic, district) — a few thousand groups a day at most — and the three kinds of series
are sums of those groups; no order is read into Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    Func,
    IntegerField,
    Min,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import TruncDate

from hotline.configuration.selectors import working_calendar
from hotline.directory.models import Category, Region
from hotline.domain import surges as rules
from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.statistics import Period
from hotline.orders.models import Order
from hotline.orders.selectors import visible_orders
from hotline.statistics.conditions import registered_in
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


def _local_day(period: Period):
    """The local calendar day of ``received_at``. Django's ``TruncDate`` converts each
    row in Python on SQLite; when the hotline's clock keeps one offset over the whole
    period (China has no summer time), SQLite's own ``date()`` does it in SQL."""
    if connection.vendor == "sqlite":
        start, _ = period.bounds()
        offsets = {(start + timedelta(days=d)).utcoffset() for d in range(period.days + 1)}
        if len(offsets) == 1:
            seconds = int(offsets.pop().total_seconds())
            return Func(
                F("received_at"),
                Value(f"{seconds:+d} seconds"),
                function="date",
                output_field=DateField(),
            )
    return TruncDate("received_at", tzinfo=LOCAL_TZ)


def daily_counts(period: Period) -> list[tuple[date, int | None, int | None, int]]:
    """``(local day, topic id, district id, orders)`` for every group of the period."""
    rows = (
        Order.objects.filter(registered_in(period))
        .annotate(day=_local_day(period), topic=_TOPIC, district=_DISTRICT)
        .order_by()
        .values("day", "topic", "district")
        .annotate(n=Count("pk"))
        .values_list("day", "topic", "district", "n")
    )
    return list(rows)


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
    *, start: date, end: date, rule: rules.SurgeRule = rules.DEFAULT_RULE
) -> list[FoundSurge]:
    """Every surge on the local days ``start``–``end`` (both included), by day, the
    strongest first."""
    period = Period(start, end)
    groups = daily_counts(Period(rule.window_start(period.start), period.end))
    found = rules.surges(
        rules.series_from_groups(groups),
        start=start,
        end=end,
        rule=rule,
        known_from=first_day(),
        is_workday=_workdays(),
    )
    topics = Category.objects.in_bulk({s.series.category for s in found} - {None})
    districts = Region.objects.in_bulk({s.series.district for s in found} - {None})
    return [
        FoundSurge(
            day=s.day,
            topic=topics.get(s.series.category),
            district=districts.get(s.series.district),
            observed=s.observed,
            expected=s.expected,
            score=s.score,
        )
        for s in found
    ]


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(), LOCAL_TZ)
    return start, start + timedelta(days=1)


def surge_orders(surge: FoundSurge, *, viewer, limit: int = ORDERS_SHOWN) -> QuerySet[Order]:
    """The first orders behind a surge that ``viewer`` may see, in order of intake."""
    start, until = _day_bounds(surge.day)
    orders = visible_orders(viewer=viewer).filter(received_at__gte=start, received_at__lt=until)
    if surge.topic is not None:
        topic = surge.topic.pk
        orders = orders.filter(
            Q(category_id=topic) | Q(category__parent_id=topic, category__level=LEAF_LEVEL)
        )
    if surge.district is not None:
        district = surge.district.pk
        orders = orders.filter(
            Q(region_id=district)
            | Q(region__parent_id=district)
            | Q(region__parent__parent_id=district)
        )
    return orders.select_related("category", "region").order_by("received_at", "pk")[:limit]


def surges_with_orders(
    *,
    start: date,
    end: date,
    viewer,
    rule: rules.SurgeRule = rules.DEFAULT_RULE,
    limit: int = SURGES_SHOWN,
) -> list[tuple[FoundSurge, list[Order]]]:
    """The surges of the days ``start``–``end`` for a page, the latest day first, each
    with the first orders behind it (one query per surge listed, at most ``limit``)."""
    found = sorted(
        surges_between(start=start, end=end, rule=rule),
        key=lambda s: -s.day.toordinal(),  # stable: the strongest first within a day
    )
    return [(s, list(surge_orders(s, viewer=viewer))) for s in found[:limit]]
