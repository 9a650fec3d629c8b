"""Callback figures (SPEC 7 ``callbacks``): the period's orders in the callback scope,
grouped by the result of each one's latest callback — one query.

An order counts once: ``done`` when it has been called back, ``reached`` when its
latest callback reached the citizen, ``satisfied`` when that callback found them
satisfied or basically satisfied (a rework followed by a satisfied callback ends
satisfied, as the citizen last said).
"""

from collections import Counter
from datetime import datetime

from django.db.models import Count, OuterRef, Subquery

from hotline.domain.callback_scope import CallbackScope
from hotline.domain.enums import CallbackResult
from hotline.domain.statistics import Period, callback_dispositions, rate
from hotline.orders.models import Callback, Order
from hotline.statistics.conditions import disposition_is
from hotline.statistics.facts import Counts, Statement, counted

SATISFIED = frozenset({CallbackResult.SATISFIED, CallbackResult.BASICALLY_SATISFIED})


def _rows(since: datetime, made_at: datetime | None):
    latest = Callback.objects.filter(order=OuterRef("pk"), kind=Callback.Kind.CALLBACK)
    if made_at is not None:
        latest = latest.filter(at__lte=made_at)
    latest = latest.order_by("-at", "-pk").values("result")[:1]
    widest = callback_dispositions(CallbackScope.ALL)
    return Order.objects.filter(disposition_is(*widest)).annotate(latest=Subquery(latest))


# Grouped by the outcome too: which outcomes the office calls back is a setting
# (``callback_scope``), applied when the groups are summed: the rows are those of the
# widest scope.
CALLBACKS = Statement(
    "callbacks",
    "received_at",
    _rows,
    lambda since, made_at: {"orders": Count("pk")},
    keys=("disposition", "latest"),
)


def callback_figures(
    *, period: Period, scope: CallbackScope, made_at: datetime | None = None
) -> dict:
    return callback_results(counted(CALLBACKS, period=period, made_at=made_at), scope)


def callback_results(counts: Counts, scope: CallbackScope) -> dict:
    """The figures of ``CALLBACKS``'s counts for the office's callback scope."""
    in_scope = {d.value for d in callback_dispositions(scope)}
    by_result: Counter = Counter()
    for (disposition, latest), found in counts.items():
        if disposition in in_scope:
            by_result[latest] += found["orders"]
    needed = sum(by_result.values())
    done = needed - by_result.get(None, 0)
    reached = done - by_result.get(CallbackResult.UNREACHABLE.value, 0)
    satisfied = sum(by_result.get(result.value, 0) for result in SATISFIED)
    return {
        "needed": needed,
        "done": done,
        "rate": rate(done, needed),
        "reached": reached,
        "satisfied": satisfied,
        "satisfaction_rate": rate(satisfied, reached),
    }
