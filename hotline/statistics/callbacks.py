"""Callback figures (SPEC 7 ``callbacks``): the period's orders in the callback scope,
grouped by the result of each one's latest callback — one query.

An order counts once: ``done`` when it has been called back, ``reached`` when its
latest callback reached the citizen, ``satisfied`` when that callback found them
satisfied or basically satisfied (a rework followed by a satisfied callback ends
satisfied, as the citizen last said).
"""

from datetime import datetime

from django.db.models import Count, OuterRef, Subquery

from hotline.domain.callback_scope import CallbackScope
from hotline.domain.enums import CallbackResult
from hotline.domain.statistics import Period, callback_dispositions, rate
from hotline.orders.models import Callback, Order
from hotline.statistics.conditions import disposition_is, registered_in

SATISFIED = frozenset({CallbackResult.SATISFIED, CallbackResult.BASICALLY_SATISFIED})


def callback_figures(
    *, period: Period, scope: CallbackScope, made_at: datetime | None = None
) -> dict:
    latest = Callback.objects.filter(order=OuterRef("pk"), kind=Callback.Kind.CALLBACK)
    if made_at is not None:
        latest = latest.filter(at__lte=made_at)
    latest = latest.order_by("-at", "-pk").values("result")[:1]
    rows = (
        Order.objects.filter(registered_in(period), disposition_is(*callback_dispositions(scope)))
        .annotate(latest=Subquery(latest))
        .order_by()
        .values("latest")
        .annotate(orders=Count("pk"))
    )
    by_result = {row["latest"]: row["orders"] for row in rows}
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
