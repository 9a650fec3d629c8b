"""Which days of a report's period are read from the stored per-day counts and which
are counted from the orders (docs/reports.md, "Per-day facts").

The counts of a closed day are kept once the day is over; a later event on an order
may change what some day counts (a callback on an old order, a correction, an
import), so the days such events touch are counted from the orders again until the
counts are rebuilt. A period is then a few runs of stored days and a few runs of days
counted from the orders, summed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

# Beyond this many separate runs of days to count from the orders (a large import
# touching days all over the history), the whole period is counted from the orders:
# one range of an index costs less than many.
MOST_LIVE_RUNS = 8


@dataclass(frozen=True)
class Split:
    stored: tuple[tuple[date, date], ...]  # runs of days read from the stored counts
    live: tuple[tuple[date, date], ...]  # runs of days counted from the orders


def runs(days: Iterable[date]) -> list[tuple[date, date]]:
    """Consecutive days as ``(first, last)`` runs, in order."""
    found: list[list[date]] = []
    for day in sorted(set(days)):
        if found and day == found[-1][1] + timedelta(days=1):
            found[-1][1] = day
        else:
            found.append([day, day])
    return [(first, last) for first, last in found]


def split(
    start: date, end: date, *, kept: tuple[date, date] | None, touched: Iterable[date]
) -> Split:
    """The days ``start``–``end`` as stored and live runs: stored are the days inside
    ``kept`` (the first and last day the counts hold) not ``touched`` by a later
    event; every other day is live. Too many live runs make the whole period live."""
    if kept is None or kept[1] < start or end < kept[0]:
        return Split(stored=(), live=((start, end),))
    first, last = max(start, kept[0]), min(end, kept[1])
    stored_days = days_between(first, last).difference(touched)
    live = runs(days_between(start, end) - stored_days)
    if len(live) > MOST_LIVE_RUNS:
        return Split(stored=(), live=((start, end),))
    return Split(stored=tuple(runs(stored_days)), live=tuple(live))


def days_between(first: date, last: date) -> set[date]:
    """The days ``first`` to ``last``, both included (none when ``last`` is earlier)."""
    return {first + timedelta(days=n) for n in range((last - first).days + 1)}
