"""The dashboard's trend lines (SPEC 7): the main rates of each of the last twelve
months, each month one group of one aggregate query (GROUP BY the local month).

- 按期办结率: SPEC 5's, over the orders that fell due in the month (the assessment's
  cohort as of now), as on the dashboard's own figure;
- 群众满意率: (satisfied + basically satisfied) over the callbacks that reached the
  citizen, on the orders received in the month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.enums import CallbackResult
from hotline.domain.statistics import Period, rate
from hotline.orders.models import Callback
from hotline.statistics.cohort import Cohort
from hotline.statistics.rates import on_time_counts

MONTHS = 12
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


def _by_month(rows, months: list[date], numerator: str, denominator: str) -> list[MonthRate]:
    found = {row["month"].astimezone(LOCAL_TZ).date(): row for row in rows}
    return [
        MonthRate(
            month,
            found.get(month, {}).get(numerator, 0),
            found.get(month, {}).get(denominator, 0),
        )
        for month in months
    ]


def rate_trends(*, today: date, made_at: datetime) -> list[Trend]:
    months = _months(today)
    span = Period(months[0], today)
    start, until = span.bounds()
    due = (
        Cohort(span, made_at)
        .due()
        .annotate(month=TruncMonth("falls_due_at", tzinfo=LOCAL_TZ))
        .order_by()
        .values("month")
        .annotate(**on_time_counts(made_at))
    )
    callbacks = (
        Callback.objects.filter(
            kind=Callback.Kind.CALLBACK,
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
    return [
        Trend("按期办结率", "按期办结", "应办结", _by_month(due, months, "on_time", "due")),
        Trend(
            "群众满意率",
            "满意及基本满意",
            "回访联系上",
            _by_month(callbacks, months, "satisfied", "reached"),
        ),
    ]
