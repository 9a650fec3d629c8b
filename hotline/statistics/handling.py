"""Handling figures (SPEC 7 ``handling``): one aggregate over the period's dispatched
orders."""

from datetime import datetime

from django.db.models import Count, Q

from hotline.domain.statistics import Period, rate
from hotline.orders.models import Order
from hotline.statistics.conditions import (
    DISPATCHED,
    concluded,
    extended,
    on_time,
    registered_in,
    returned,
)


def handling_figures(*, period: Period, made_at: datetime | None = None) -> dict:
    urgent = Q(urgent=True)
    conditions = {
        "concluded": concluded(made_at),
        "on_time": on_time(made_at),
        "urgent": urgent,
        "urgent_on_time": urgent & on_time(made_at),
        "extended": extended(made_at),
        "returned": returned(made_at),
    }
    # Aliases apart from the field names (``urgent``, ``on_time`` are columns too).
    totals = Order.objects.filter(registered_in(period), DISPATCHED).aggregate(
        n_dispatched=Count("pk"),
        **{f"n_{name}": Count("pk", filter=condition) for name, condition in conditions.items()},
    )
    counts = {name.removeprefix("n_"): n for name, n in totals.items()}
    return {
        "concluded": counts["concluded"],
        "concluded_rate": rate(counts["concluded"], counts["dispatched"]),
        "on_time": counts["on_time"],
        "on_time_rate": rate(counts["on_time"], counts["concluded"]),
        "urgent": counts["urgent"],
        "urgent_on_time": counts["urgent_on_time"],
        "extended": counts["extended"],
        "returned": counts["returned"],
    }
