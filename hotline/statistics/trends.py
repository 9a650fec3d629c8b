"""The dashboard's trend lines (SPEC 7): the main rates of each of the last twelve
months, each month one group of one aggregate query (GROUP BY the local month).

- 按期办结率: SPEC 5's, over the orders that fell due in the month (the assessment's
  cohort as of now), as on the dashboard's own figure;
- 群众满意率: (satisfied + basically satisfied) over the callbacks that reached the
  citizen, on the orders received in the month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.db.models import Count, Min, Q
from django.db.models.functions import TruncMonth

from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.enums import CallbackResult
from hotline.domain.statistics import Period, rate
from hotline.orders.models import Callback, Order
from hotline.statistics.cohort import Cohort
from hotline.statistics.rates import on_time_counts

MONTHS = 12
# How long the months before the current one are kept (as the surges' settled days).
SETTLED_SECONDS = 60 * 60
_SATISFIED = (CallbackResult.SATISFIED.value, CallbackResult.BASICALLY_SATISFIED.value)


@dataclass(frozen=True)
class MonthRate:
    month: date  # its first day
    numerator: int
    denominator: int

    @property
    def rate(self) -> float | None:
        return rate(self.numerator, self.denominator)


@dataclass(frozen=True)
class Trend:
    name: str
    numerator_name: str
    denominator_name: str
    months: list[MonthRate]


def _months(today: date) -> list[date]:
    index = today.year * 12 + today.month - 1
    return [date((i) // 12, i % 12 + 1, 1) for i in range(index - MONTHS + 1, index + 1)]


def _by_month(found: dict, months: list[date], numerator: str, denominator: str):
    return [
        MonthRate(
            month,
            found.get(month, {}).get(numerator, 0),
            found.get(month, {}).get(denominator, 0),
        )
        for month in months
    ]


def _month_counts(span: Period, made_at: datetime) -> tuple[dict, dict]:
    """``({month: {on_time, due}}, {month: {satisfied, reached}})`` over the span's
    local months: three aggregate queries."""
    start, until = span.bounds()
    due = (
        Cohort(span, made_at)
        .due()
        .annotate(month=TruncMonth("falls_due_at", tzinfo=LOCAL_TZ))
        .order_by()
        .values("month")
        .annotate(**on_time_counts(made_at))
    )
    # The span's lowest order id bounds the callbacks read to a range of their order
    # index instead of every callback ever made (the same answer: a lower bound).
    # (With MIN alone PostgreSQL walks the primary key from the lowest id until it meets
    # the span; beside a count it reads the span's range of the received-time index.)
    received = Order.objects.filter(received_at__gte=start, received_at__lt=until)
    first = received.aggregate(first=Min("pk"), orders=Count("pk"))["first"] or 0
    callbacks = (
        Callback.objects.filter(
            kind=Callback.Kind.CALLBACK,
            order_id__gte=first,
            order__received_at__gte=start,
            order__received_at__lt=until,
            at__lte=made_at,
        )
        .annotate(month=TruncMonth("order__received_at", tzinfo=LOCAL_TZ))
        .order_by()
        .values("month")
        .annotate(
            reached=Count("pk", filter=~Q(result=CallbackResult.UNREACHABLE.value)),
            satisfied=Count("pk", filter=Q(result__in=_SATISFIED)),
        )
    )

    def keyed(rows) -> dict:
        return {row.pop("month").astimezone(LOCAL_TZ).date(): row for row in rows}

    return keyed(due), keyed(callbacks)


def rate_trends(*, today: date, made_at: datetime) -> list[Trend]:
    """The current month counted now; the eleven before it from the cache when it has
    them (counted at most ``SETTLED_SECONDS`` earlier: a late callback or conclusion in
    an earlier month shows within that time), so that a load reads one month, not a
    year."""
    months = _months(today)
    earlier = Period(months[0], months[-1] - timedelta(days=1))
    key = f"trends:{earlier.start.isoformat()}:{earlier.end.isoformat()}"
    due, callbacks = cache.get_or_set(key, lambda: _month_counts(earlier, made_at), SETTLED_SECONDS)
    current_due, current_callbacks = _month_counts(Period(months[-1], today), made_at)
    due, callbacks = due | current_due, callbacks | current_callbacks
    return [
        Trend("按期办结率", "按期办结", "应办结", _by_month(due, months, "on_time", "due")),
        Trend(
            "群众满意率",
            "满意及基本满意",
            "回访联系上",
            _by_month(callbacks, months, "satisfied", "reached"),
        ),
    ]
