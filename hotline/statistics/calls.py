"""Call figures (SPEC 7 ``calls``): the call records started in the period, in one
aggregate (``calls.selectors.call_figures_between``) that the covering index on the
calls' start answers without reading the records: a month at ten million orders is
300 000 calls, read on every new load of 本月统计."""

from hotline.calls.selectors import call_figures_between
from hotline.domain.statistics import Period, per_day


def call_figures(*, period: Period) -> dict:
    start, until = period.bounds()
    # SPEC 8 (2026-12): the GB/T 33358 figures; calls still ringing are waiting, not
    # offered yet, in every figure of the report as on the wallboard.
    figures = call_figures_between(start=start, until=until)
    return {
        "offered": figures.offered,
        "answered": figures.answered,
        "answer_rate": figures.answer_rate,
        "daily_offered": per_day(figures.offered, period.days),
        "answered_within_15s_rate": figures.answered_within_15s_rate,
        "average_wait_seconds": figures.average_wait_seconds,
        "abandoned": figures.abandoned,
    }
