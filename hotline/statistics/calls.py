"""Call figures (SPEC 7 ``calls``): the call records started in the period, counted as
the report's other statements are — the stored per-day counts of closed days summed,
the other days counted from the records (``statistics/facts.py``). A month at ten
million orders is 300 000 calls, and 本月统计 compares three months on every new load:
from the stored counts that is a few hundred rows and one day of records."""

from datetime import datetime

from hotline.calls.selectors import call_figure_counts, call_figures_of, offered_calls
from hotline.domain.statistics import Period, per_day
from hotline.statistics.facts import Statement, counted, totals


def _calls(since: datetime, made_at: datetime | None):
    # SPEC 8 (2026-12): the GB/T 33358 figures; calls still ringing are waiting, not
    # offered yet, in every figure of the report as on the wallboard.
    return offered_calls()


CALLS = Statement(
    "calls", "started_at", _calls, lambda since, made_at: call_figure_counts(), source="calls"
)


def calls_offered(*, period: Period) -> int:
    """The period's offered calls alone (同比 and 环比 compare no other)."""
    return totals(counted(CALLS, period=period, names=("offered",)))["offered"]


def call_figures(*, period: Period) -> dict:
    figures = call_figures_of(totals(counted(CALLS, period=period)))
    return {
        "offered": figures.offered,
        "answered": figures.answered,
        "answer_rate": figures.answer_rate,
        "daily_offered": per_day(figures.offered, period.days),
        "answered_within_15s_rate": figures.answered_within_15s_rate,
        "average_wait_seconds": figures.average_wait_seconds,
        "abandoned": figures.abandoned,
    }
