"""The dashboard's trend lines (SPEC 7): the main rates of each of the last twelve
months, by the definitions of the dashboard's month figures (``statistics/headline.py``,
the report's statements):

- 按期办结率: SPEC 5's, over the lead assignments that fell due in the month (the
  assessment's cohort as of now);
- 群众满意率: (satisfied + basically satisfied) over the orders received in the month
  whose latest callback reached the citizen.

The current month is the dashboard's own month figures; the eleven before it are the
stored per-day counts summed by month (``statistics/facts.counted_by_month``: one query
a statement over the stored days), kept in the cache for an hour.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.cache import cache

from hotline.configuration.selectors import callback_scope
from hotline.domain.statistics import Period, rate
from hotline.statistics.assessment import ASSESSMENT_DUE
from hotline.statistics.callbacks import CALLBACKS, callback_results
from hotline.statistics.facts import counted_by_month
from hotline.statistics.headline import Figures, due_counts

MONTHS = 12
# How long the months before the current one are kept: a late callback or conclusion in
# one of them shows within this time.
SETTLED_SECONDS = 60 * 60


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


def _month_counts(span: Period) -> dict[date, dict[str, int]]:
    """``{month: {on_time, due, satisfied, reached}}`` over the span's local months."""
    scope = callback_scope()
    found: dict[date, dict[str, int]] = {}
    for month, counts in counted_by_month(ASSESSMENT_DUE, period=span).items():
        due, on_time = due_counts(counts)
        found.setdefault(month, {}).update(due=due, on_time=on_time)
    for month, counts in counted_by_month(CALLBACKS, period=span).items():
        results = callback_results(counts, scope)
        found.setdefault(month, {}).update(
            reached=results["reached"], satisfied=results["satisfied"]
        )
    return found


def rate_trends(*, today: date, month: Figures) -> list[Trend]:
    """The current month from its figures (``month``); the eleven before it from the
    cache when it has them (counted at most ``SETTLED_SECONDS`` earlier: a late callback
    or conclusion in an earlier month shows within that time)."""
    months = _months(today)
    earlier = Period(months[0], months[-1] - timedelta(days=1))
    key = f"trends:{earlier.start.isoformat()}:{earlier.end.isoformat()}"
    found = dict(cache.get_or_set(key, lambda: _month_counts(earlier), SETTLED_SECONDS))
    found[months[-1]] = {
        "on_time": month.on_time,
        "due": month.due,
        "satisfied": month.satisfied,
        "reached": month.reached,
    }
    return [
        Trend("按期办结率", "按期办结", "应办结", _by_month(found, months, "on_time", "due")),
        Trend(
            "群众满意率",
            "满意及基本满意",
            "回访联系上",
            _by_month(found, months, "satisfied", "reached"),
        ),
    ]
