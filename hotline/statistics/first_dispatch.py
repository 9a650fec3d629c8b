"""First-dispatch accuracy on the dashboard (首派准确率, SPEC 10): today's and the month's so
far, and the units whose first dispatches most often came back (returned by the unit or
re-dispatched by the office) this month.

Everything is read from the report's per-unit counts (``handling.first_dispatch_counts``,
by the unit each order was first dispatched to): every dispatched order has exactly one
first dispatch, so their sums are the report's own figure for the period. The units are
ranked among those first sent at least ``RANKED_MIN_DISPATCHED`` of the month's orders:
below that, one returned order decides the rate. The month's days before today are the
stored per-day counts (``handling.FIRST_DISPATCH``), today's dispatches are counted on
every load.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from hotline.domain.statistics import Period, rate
from hotline.statistics.facts import summed
from hotline.statistics.handling import first_dispatch_counts, first_dispatch_rows

RANKED_MIN_DISPATCHED = 10
WORST_SHOWN = 5


@dataclass(frozen=True)
class Accuracy:
    kept: int  # first dispatches neither returned nor re-dispatched
    dispatched: int

    @property
    def rate(self) -> float | None:  # None: nothing dispatched yet
        return rate(self.kept, self.dispatched)


@dataclass(frozen=True)
class FirstDispatch:
    today: Accuracy
    month: Accuracy
    worst_units: list[dict]  # rows of ``first_dispatch_by_unit``, the lowest rate first


def worst_units(rows: list[dict], *, limit: int = WORST_SHOWN) -> list[dict]:
    """The units with the lowest accuracy among those sent enough orders and with at
    least one that came back; the more orders, the earlier on a tie."""
    ranked = [
        row
        for row in rows
        if row["dispatched"] >= RANKED_MIN_DISPATCHED and row["kept"] < row["dispatched"]
    ]
    ranked.sort(key=lambda row: (row["accuracy"], -row["dispatched"], row["unit"]))
    return ranked[:limit]


def _accuracy(rows: list[dict]) -> Accuracy:
    return Accuracy(sum(row["kept"] for row in rows), sum(row["dispatched"] for row in rows))


def first_dispatch_overview(*, today: date) -> FirstDispatch:
    """Today's dispatches counted once, and added to the month's days before today."""
    today_counts = first_dispatch_counts(period=Period(today, today))
    month_counts = today_counts
    if today.day > 1:
        before = first_dispatch_counts(period=Period(today.replace(day=1), today - timedelta(1)))
        month_counts = summed(before, today_counts)
    month_rows = first_dispatch_rows(month_counts)
    return FirstDispatch(
        today=_accuracy(first_dispatch_rows(today_counts)),
        month=_accuracy(month_rows),
        worst_units=worst_units(month_rows),
    )
