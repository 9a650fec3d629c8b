"""The definitions behind the report's figures (SPEC 7), as plain functions.

The counting is SQL (``hotline.statistics``); what a count becomes in the document is
decided here, once: how a ratio is rounded and what it is when nothing was counted, how
a list is ranked, how many days a period has and which periods it is compared with.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from hotline.domain.callback_scope import CallbackScope, needs_callback
from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.enums import Disposition
from hotline.domain.errors import DomainError

# Rates and shares are fractions with four decimals: the seeds' percentages have two
# (Xiangtan: 20676 of 30044 answered at intake, 68.82 % → 0.6882).
RATE_PLACES = 4
_QUANTUM = Decimal(1).scaleb(-RATE_PLACES)

# SPEC 7: the ten categories of 十大热点事项, the ten units whose share is published.
TOP = 10

# Intake outcomes that close an order at once and count as resolved at intake (SPEC 7:
# answered at intake plus harassment and invalid).
RESOLVED_AT_INTAKE = (Disposition.ANSWERED, Disposition.HARASSMENT, Disposition.INVALID)

# SPEC 7 (2026-12): the intake outcomes whose caller is not counted by citizen kind (a
# harassment or an invalid call is nobody asking for anything: Longshan's 城镇居民 2575 +
# 乡镇村民 349 + 骚扰 161 = 3085).
NOT_A_CITIZEN = (Disposition.HARASSMENT, Disposition.INVALID)


class InvalidPeriod(DomainError):
    code = "invalid_period"


# --- ratios -----------------------------------------------------------------------------


def rate(numerator: int, denominator: int) -> float | None:
    """``numerator / denominator`` rounded half up to four decimals; ``None`` when the
    denominator is 0 (nothing to measure: the document shows "—", never a made-up 0 % or
    100 %)."""
    if not denominator:
        return None
    exact = Decimal(numerator) / Decimal(denominator)
    return float(exact.quantize(_QUANTUM, rounding=ROUND_HALF_UP))


def online_rate(resolved: int, *, accepted: int, answered_calls: int, over: str) -> float | None:
    """在线办结率 (SPEC 7, 2026-12): resolved at intake over the orders accepted, or over
    the calls answered when the office counts it so (Changsha: 69890 / 100839 = 69.31 %)."""
    return rate(resolved, answered_calls if over == "answered_calls" else accepted)


def per_day(count: int, days: int) -> int:
    """A daily average as the seeds publish it, a whole number rounded half up
    (Changsha: 111139 calls in 31 days → 3585 a day)."""
    if days <= 0:
        raise InvalidPeriod("统计周期至少一天")
    return int((Decimal(count) / Decimal(days)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


# --- ranked lists -----------------------------------------------------------------------


def ranked(counts: Mapping[str, int] | Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    """Names with their counts, most first, ties by name; zero counts left out."""
    pairs = counts.items() if isinstance(counts, Mapping) else counts
    return sorted(((n, c) for n, c in pairs if c), key=lambda pair: (-pair[1], pair[0]))


def count_list(counts: Mapping[str, int] | Iterable[tuple[str, int]]) -> list[dict]:
    """``[{name, count}]`` ranked (channels, tags)."""
    return [{"name": name, "count": count} for name, count in ranked(counts)]


def share_list(
    counts: Mapping[str, int] | Iterable[tuple[str, int]], total: int, *, limit: int | None = None
) -> list[dict]:
    """``[{name, count, share}]`` ranked, each share of ``total``, the first ``limit``."""
    rows = ranked(counts)[:limit]
    return [{"name": name, "count": count, "share": rate(count, total)} for name, count in rows]


def top_share(rows: list[dict], total: int) -> float | None:
    """The listed rows' share of ``total`` together (the seed's "以上 10 家单位工单承办量
    占转办工单总量的 81.79%"), from the summed counts, not the rounded shares."""
    return rate(sum(row["count"] for row in rows), total)


def ranked_mapping(counts: Mapping[str, int]) -> dict[str, int]:
    """A ``{name: n}`` object whose keys come in rank order (rejections by reason)."""
    return dict(ranked(counts))


# --- intake and callbacks ---------------------------------------------------------------


def resolved_at_intake(counts: Mapping[Disposition, int]) -> int:
    return sum(counts.get(d, 0) for d in RESOLVED_AT_INTAKE)


def callback_dispositions(scope: CallbackScope) -> list[Disposition]:
    """The intake outcomes whose orders need a callback under ``scope`` (SPEC 4)."""
    return [d for d in Disposition if needs_callback(d, scope)]


# --- comparisons ------------------------------------------------------------------------


def change(current: int, previous: int) -> dict:
    """One figure against the same figure of an earlier period (同比 / 环比): the
    difference and the relative change (``None`` when the earlier figure is 0)."""
    return {
        "current": current,
        "previous": previous,
        "change": current - previous,
        "change_rate": rate(current - previous, previous),
    }


# --- periods ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Local calendar days from ``start`` to ``end``, both included."""

    start: date
    end: date

    def __post_init__(self):
        if self.end < self.start:
            raise InvalidPeriod(f"统计周期的结束日期 {self.end} 早于开始日期 {self.start}")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(date(year, month, 1), date(year, month, _month_days(year, month)))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        if not 1 <= quarter <= 4:
            raise InvalidPeriod(f"季度须为 1 至 4，不能是 {quarter}")
        first = 3 * quarter - 2
        return cls(date(year, first, 1), Period.month(year, first + 2).end)

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def bounds(self) -> tuple[datetime, datetime]:
        """``[from, until)`` as instants: midnight in the hotline's time zone of the first
        day and of the day after the last (SPEC 7 periods are local calendar days)."""
        return (
            datetime.combine(self.start, time(), LOCAL_TZ),
            datetime.combine(self.end + timedelta(days=1), time(), LOCAL_TZ),
        )

    @property
    def whole_months(self) -> int:
        """How many calendar months the period covers exactly, or 0 when it does not
        begin on a month's first day and end on a month's last."""
        if self.start.day != 1 or self.end.day != _month_days(self.end.year, self.end.month):
            return 0
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def previous(self) -> Period:
        """The period just before, for 环比: the same number of calendar months for a
        month, quarter or year (October for November, Q3 for Q4), else the same number
        of days."""
        months = self.whole_months
        if months:
            first = _add_months(self.start, -months)
            return Period(first, self.start - timedelta(days=1))
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def year_before(self) -> Period:
        """The same days one year earlier, for 同比 (29 February becomes the 28th; a
        period ending on a month's last day ends on that month's last day)."""
        months = self.whole_months
        if months:
            return Period(_add_months(self.start, -12), _month_end(_add_months(self.end, -12)))
        return Period(_year_earlier(self.start), _year_earlier(self.end))

    def as_json(self) -> dict:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


def _month_days(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _month_end(day: date) -> date:
    return day.replace(day=_month_days(day.year, day.month))


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, _month_days(year, month)))


def _year_earlier(day: date) -> date:
    return _add_months(day, -12)
