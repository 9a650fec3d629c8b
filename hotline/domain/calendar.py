"""Working days by the official Chinese calendar (SPEC: deadlines count working days).

The ``chinese_calendar`` package knows the State Council's holidays and make-up working
days (调休) for the years it ships with; the office's own holiday table overrides it and
carries the years published after the package. A year known to neither follows the
provisional calendar (SPEC 4, 2026-12): weekdays minus the statutory holidays, never
weekends only, and never a refusal — the hotline does not stop at a year boundary. A
deadline that falls in such a year is provisional: it moves when the year is entered.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Mapping
from datetime import date, datetime, timedelta
from functools import cache
from types import MappingProxyType

import chinese_calendar

from hotline.domain.statutory_holidays import statutory_holidays

_NO_OVERRIDES: Mapping[date, bool] = MappingProxyType({})


@cache
def _package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


@cache
def _package_working_days(year: int) -> tuple[date, ...]:
    """The package's working days of a year it knows. Its data never changes while the
    program runs, and asking it day by day costs milliseconds a year: every calendar
    (one per deadline computed) shares this table."""
    return tuple(d for d in _days_of(year) if chinese_calendar.is_workday(d))


class WorkingCalendar:
    """Which days are working days, given the office's holiday table.

    ``overrides`` maps a date to True (a working day, e.g. a make-up Saturday) or False
    (a day off). A table row always wins. The office enters a year's whole schedule at
    once, so any row in a year the package does not know makes that year known, with
    unlisted days following the weekday rule.
    """

    def __init__(self, overrides: Mapping[date, bool] = _NO_OVERRIDES, *, use_package: bool = True):
        for day, working in overrides.items():
            # A datetime key would never match a date lookup, and a non-bool value
            # (say the string "False") would be read the wrong way round.
            if isinstance(day, datetime) or not isinstance(day, date):
                raise TypeError(f"holiday table keys must be dates, got {day!r}")
            if not isinstance(working, bool):
                raise TypeError(f"holiday table values must be bools, got {working!r}")
        self._overrides = dict(overrides)
        self._table_years = frozenset(day.year for day in self._overrides)
        self._use_package = use_package
        # Sorted working days per year: answers every question below by bisection, so a
        # bulk import pays for each year once.
        self._years: dict[int, tuple[date, ...]] = {}

    def covers(self, year: int) -> bool:
        """Whether the year's official schedule is known (table or package)."""
        return year in self._table_years or (self._use_package and _package_knows(year))

    def is_provisional(self, day: date) -> bool:
        """Whether ``day`` lies in a year on the provisional calendar: a deadline on that
        day was counted without the year's make-up days and may move once it is entered
        (a deadline in a known year was counted on known days only, since the years
        before it are known too — the office enters them in order)."""
        return not self.covers(day.year)

    def awaiting_schedule(self, today: date) -> int | None:
        """The year whose official schedule the office should enter now, if any (SPEC 4,
        2026-12): this year while it is still provisional, and from 1 October next year
        (the State Council publishes it in the autumn)."""
        if not self.covers(today.year):
            return today.year
        if today >= date(today.year, 10, 1) and not self.covers(today.year + 1):
            return today.year + 1
        return None

    def is_workday(self, day: date) -> bool:
        if isinstance(day, datetime):
            # Which date an instant falls on depends on the time zone: the caller decides.
            raise TypeError("is_workday takes a date, not a datetime")
        days = self._working_days(day.year)
        i = bisect_right(days, day)
        return i > 0 and days[i - 1] == day

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day strictly after ``start``; ``start`` itself when n is 0."""
        if n < 0:
            raise ValueError(f"n must not be negative, got {n}")
        if n == 0:
            return start
        year = start.year
        while True:
            days = self._working_days(year)
            i = bisect_right(days, start)
            if i + n <= len(days):
                return days[i + n - 1]
            n -= len(days) - i
            year += 1

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days d satisfy start < d <= end."""
        if end <= start:
            return 0
        return sum(
            bisect_right(days, end) - bisect_right(days, start)
            for days in map(self._working_days, range(start.year, end.year + 1))
        )

    def _working_days(self, year: int) -> tuple[date, ...]:
        days = self._years.get(year)
        if days is None:
            days = self._years[year] = self._year(year)
        return days

    def _year(self, year: int) -> tuple[date, ...]:
        if self._use_package and _package_knows(year):
            package = _package_working_days(year)
            if year not in self._table_years:
                return package
            base = frozenset(package).__contains__
        elif year in self._table_years:
            base = _monday_to_friday
        else:
            holidays = statutory_holidays(year)
            return tuple(d for d in _days_of(year) if d.weekday() < 5 and d not in holidays)
        return tuple(d for d in _days_of(year) if self._overrides.get(d, base(d)))


def _monday_to_friday(day: date) -> bool:
    return day.weekday() < 5


def _days_of(year: int) -> Iterator[date]:
    day, end = date(year, 1, 1), date(year + 1, 1, 1)
    while day < end:
        yield day
        day += timedelta(days=1)
