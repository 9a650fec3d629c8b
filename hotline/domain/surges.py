"""Surges (SPEC 10): a category or a place rising far above its own baseline — the
storm night of Yueyang, the epidemic in Longshan.

A series is the daily number of orders of one category, one district, or one category
in one district. A day is judged against the same weekday of the weeks before it, so
that the weekly rhythm (Mondays busy, Sundays quiet) is never mistaken for a surge:

- ``expected`` is the median of the same weekday over the previous ``weeks`` weeks
  (a single earlier burst or a holiday among them does not move it);
- the spread is the median absolute deviation of those days, scaled to a standard
  deviation (×1.4826), but never less than the Poisson spread ``√expected`` nor 1: a
  series that was perfectly flat is not thereby allowed to flag a one-order rise;
- ``score`` = (observed − expected) / spread.

A day is a surge when all three hold: at least ``min_count`` orders (a handful of
orders is never a surge, whatever the ratio), at least ``min_ratio`` times the expected
number, and a score of at least ``min_score``. The ratio condition makes the decision
indifferent to the size of the series: a whole city rising evenly raises nothing.

Public holidays and make-up working days (调休) break the weekly rhythm. Given the
office's working calendar, an ordinary day is compared only with the same weekday's
days of the same kind (a Monday holiday is left out of Mondays' baseline), and an
exceptional day — a working Sunday, a holiday on a Wednesday — with the latest days of
its own kind (a working Sunday with the working days before it).

Days before the history begins are unknown, not zero: a series needs ``min_weeks``
known days before its days are judged.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from math import sqrt
from typing import NamedTuple

from hotline.domain.errors import DomainError

# The median absolute deviation of normally distributed values times this is their
# standard deviation.
MAD_SCALE = 1.4826
WEEK = timedelta(days=7)
DAY = timedelta(days=1)

# Whether a date is a working day (``WorkingCalendar.is_workday``).
Workdays = Callable[[date], bool]


class InvalidSurgeRule(DomainError):
    code = "invalid_surge_rule"


@dataclass(frozen=True)
class SurgeRule:
    weeks: int = 6
    min_weeks: int = 4
    min_count: int = 10
    min_ratio: float = 3.0
    min_score: float = 6.0

    def __post_init__(self):
        if not 2 <= self.min_weeks <= self.weeks:
            raise InvalidSurgeRule("基线周数须不少于 2 且不少于最少周数")
        if self.min_count < 1 or self.min_ratio <= 1 or self.min_score <= 0:
            raise InvalidSurgeRule("突增判定阈值须为正数，倍数须大于 1")

    def baseline_days(self, day: date) -> list[date]:
        """The same weekday in each of the previous ``weeks`` weeks, latest first."""
        return [day - WEEK * k for k in range(1, self.weeks + 1)]

    def window_start(self, start: date) -> date:
        """The first day whose count the judgement of ``start`` needs."""
        return start - WEEK * self.weeks

    def comparable_days(self, day: date, is_workday: Workdays | None = None) -> list[date]:
        """The earlier days ``day`` is compared with, latest first (see the module)."""
        if is_workday is None:
            return self.baseline_days(day)
        working = is_workday(day)
        if working == (day.weekday() < 5):
            return [d for d in self.baseline_days(day) if is_workday(d) == working]
        found, earlier, limit = [], day - DAY, self.window_start(day)
        while len(found) < self.weeks and earlier >= limit:
            if is_workday(earlier) == working:
                found.append(earlier)
            earlier -= DAY
        return found

    def days_needed(self, start: date, end: date, is_workday: Workdays | None = None) -> list[date]:
        """Every day whose count judging the days ``start``–``end`` reads: those days and
        the days each is compared with, in order. For a day or two that is a fraction of
        the window since ``window_start(start)``."""
        needed: set[date] = set()
        day = start
        while day <= end:
            needed.add(day)
            needed.update(self.comparable_days(day, is_workday))
            day += DAY
        return sorted(needed)


DEFAULT_RULE = SurgeRule()


class SeriesKey(NamedTuple):
    """What a series counts: one category (``district`` None), one district
    (``category`` None), or one category within one district."""

    category: Hashable | None
    district: Hashable | None

    @property
    def kind(self) -> str:
        if self.district is None:
            return "category"
        if self.category is None:
            return "district"
        return "category_district"


@dataclass(frozen=True)
class Baseline:
    expected: float
    spread: float
    weeks: int  # how many known days it rests on


@dataclass(frozen=True)
class Surge:
    series: Hashable
    day: date
    observed: int
    expected: float
    score: float

    @property
    def ratio(self) -> float | None:
        """Observed over expected; ``None`` when nothing was expected."""
        return self.observed / self.expected if self.expected else None


def baseline(
    counts: Mapping[date, int],
    day: date,
    *,
    rule: SurgeRule = DEFAULT_RULE,
    known_from: date | None = None,
    is_workday: Workdays | None = None,
) -> Baseline | None:
    """The expected count of ``day`` and its spread, or ``None`` when fewer than
    ``rule.min_weeks`` comparable days are known. Days missing from ``counts`` had no
    order."""
    return _baseline(counts, _known_days(day, rule, known_from, is_workday), rule)


def _known_days(
    day: date, rule: SurgeRule, known_from: date | None, is_workday: Workdays | None
) -> list[date]:
    days = rule.comparable_days(day, is_workday)
    return [d for d in days if known_from is None or d >= known_from]


def _baseline(counts: Mapping[date, int], days: list[date], rule: SurgeRule) -> Baseline | None:
    if len(days) < rule.min_weeks:
        return None
    values = [counts.get(d, 0) for d in days]
    expected = _median(values)
    return Baseline(expected=float(expected), spread=_spread(values, expected), weeks=len(values))


def _spread(values: list[int], expected: float) -> float:
    deviation = _median([abs(v - expected) for v in values])
    return max(MAD_SCALE * deviation, sqrt(expected), 1.0)


def _median(values: list[float]) -> float:
    """``statistics.median`` of a few values, without its generality: two weeks at ten
    million orders judge some 6 000 series-days, each taking one or two."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def judge(
    counts: Mapping[date, int],
    day: date,
    *,
    series: Hashable = None,
    rule: SurgeRule = DEFAULT_RULE,
    known_from: date | None = None,
    is_workday: Workdays | None = None,
) -> Surge | None:
    """The surge of ``series`` on ``day``, or ``None``."""
    return _judged(counts, day, _known_days(day, rule, known_from, is_workday), series, rule)


def _judged(
    counts: Mapping[date, int], day: date, days: list[date], series: Hashable, rule: SurgeRule
) -> Surge | None:
    observed = counts.get(day, 0)
    if observed < rule.min_count or len(days) < rule.min_weeks:
        return None
    # ``_baseline``'s figures, the spread only for a day the ratio has not ruled out:
    # two weeks at ten million orders judge some 6 000 series-days of ten orders or
    # more, few of them three times their median.
    values = [counts.get(d, 0) for d in days]
    expected = _median(values)
    if observed < rule.min_ratio * expected:
        return None
    score = (observed - expected) / _spread(values, expected)
    if score < rule.min_score:
        return None
    return Surge(
        series=series, day=day, observed=observed, expected=float(expected), score=round(score, 2)
    )


def surges(
    series: Mapping[Hashable, Mapping[date, int]],
    *,
    start: date,
    end: date,
    rule: SurgeRule = DEFAULT_RULE,
    known_from: date | None = None,
    is_workday: Workdays | None = None,
) -> list[Surge]:
    """Every surge of every series on the days ``start``–``end`` (both included), by
    day, then the strongest first (then the larger, then by series). The days each day
    is compared with are found once for all the series: at ten million orders two
    weeks hold some 20 000 series-days of ten orders or more."""
    compared: dict[date, list[date]] = {}
    found = []
    for key, counts in series.items():
        for day, observed in counts.items():
            if start <= day <= end and observed >= rule.min_count:
                days = compared.get(day)
                if days is None:
                    days = compared[day] = _known_days(day, rule, known_from, is_workday)
                surge = _judged(counts, day, days, key, rule)
                if surge is not None:
                    found.append(surge)
    found.sort(key=lambda s: (s.day, -s.score, -s.observed, str(s.series)))
    return found


def series_from_groups(
    groups: Iterable[tuple[date, Hashable | None, Hashable | None, int]],
) -> dict[SeriesKey, dict[date, int]]:
    """Daily counts grouped by (day, category, district) → the series per category, per
    district and per category within a district. An order without a category counts
    only for its district, one without a district only for its category."""
    # Plain tuples while adding up (a day's groups number in the thousands at ten
    # million orders, three series each); the few thousand series' keys named once.
    found: dict[tuple, dict[date, int]] = {}
    for day, category, district, n in groups:
        for key in (
            (category, None) if category is not None else None,
            (None, district) if district is not None else None,
            (category, district) if category is not None and district is not None else None,
        ):
            if key is None:
                continue
            counts = found.get(key)
            if counts is None:
                counts = found[key] = {}
            counts[day] = counts.get(day, 0) + n
    return {SeriesKey(*key): counts for key, counts in found.items()}
