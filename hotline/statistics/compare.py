"""同比 and 环比 (SPEC 7 ``compare``): the headline counts of the same period a year
before and of the period just before, against the current period's.

Each earlier period is counted by one aggregate over its orders and one over its call
records (the report's call figures' offered calls), each the stored days' counts
summed and the other days counted (``statistics/facts.py``).
"""

from datetime import datetime

from django.db.models import Count, Q

from hotline.domain.statistics import Period, change
from hotline.orders.models import Order
from hotline.statistics.calls import calls_offered
from hotline.statistics.conditions import DISPATCHED, RESOLVED, concluded
from hotline.statistics.facts import Statement, counted, totals

# The figures compared, each by the name it has in the document.
ORDER_FIGURES = ("accepted", "resolved_at_intake", "dispatched", "concluded")
CALL_FIGURES = ("offered",)
FIGURES = ORDER_FIGURES + CALL_FIGURES


def _order_counts(since: datetime, made_at: datetime | None) -> dict:
    conditions = {
        "accepted": Q(),
        "resolved_at_intake": RESOLVED,
        "dispatched": DISPATCHED,
        "concluded": concluded(made_at),
    }
    return {figure: Count("pk", filter=condition) for figure, condition in conditions.items()}


EARLIER = Statement(
    "compare", "received_at", lambda since, made_at: Order.objects.all(), _order_counts
)


def earlier_counts(
    *, periods: dict[str, Period], made_at: datetime | None = None
) -> dict[str, dict[str, int]]:
    """``{key: {figure: n}}`` for each of ``periods`` (``{key: period}``)."""
    counts: dict[str, dict[str, int]] = {}
    for key, period in periods.items():
        # A year's 同比 and 环比 are the same year: counted once.
        if (same := next((k for k, p in periods.items() if p == period), key)) in counts:
            counts[key] = counts[same]
            continue
        # One aggregate per period: a range of the received index each (a disjunction
        # of the ranges would make PostgreSQL read the index from end to end).
        found = totals(counted(EARLIER, period=period, made_at=made_at))
        counts[key] = {figure: found[figure] for figure in ORDER_FIGURES}
        counts[key]["offered"] = calls_offered(period=period)
    return counts


def comparison(*, period: Period, current: dict[str, int], made_at=None) -> dict:
    """``current``: the period's own figures, by name, as the document states them."""
    earlier = {"year_on_year": period.year_before(), "period_on_period": period.previous()}
    counts = earlier_counts(periods=earlier, made_at=made_at)
    return {
        key: {
            "period": earlier_period.as_json(),
            **{f: change(current[f], counts[key][f]) for f in FIGURES},
        }
        for key, earlier_period in earlier.items()
    }
