"""Handling figures (SPEC 7 ``handling``): one aggregate over the period's dispatched
orders; and first-dispatch accuracy per lead unit first dispatched to."""

from collections import Counter
from datetime import datetime

from django.db.models import Count, Q
from django.db.models.fields.json import KT

from hotline.directory.models import Unit
from hotline.domain import events as ev
from hotline.domain.enums import Disposition
from hotline.domain.statistics import Period, ranked, rate
from hotline.orders.models import Event, Order
from hotline.statistics.conditions import (
    DISPATCHED,
    concluded,
    extended,
    first_dispatch_kept,
    on_time,
    returned,
)
from hotline.statistics.facts import Counts, Statement, counted, totals
from hotline.statistics.sign_for import sign_for_city


def _handling_counts(since: datetime, made_at: datetime | None) -> dict:
    urgent = Q(urgent=True)
    conditions = {
        "concluded": concluded(made_at),
        "on_time": on_time(made_at),
        "urgent": urgent,
        "urgent_on_time": urgent & on_time(made_at),
        "extended": extended(made_at, since),
        "returned": returned(made_at, since),
        "first_kept": first_dispatch_kept(made_at, since),
    }
    # Aliases apart from the field names (``urgent``, ``on_time`` are columns too).
    return {
        "n_dispatched": Count("pk"),
        **{f"n_{name}": Count("pk", filter=condition) for name, condition in conditions.items()},
    }


HANDLING = Statement(
    "handling",
    "received_at",
    lambda since, made_at: Order.objects.filter(DISPATCHED),
    _handling_counts,
)


def _concluded_rows(since: datetime, made_at: datetime | None):
    rows = Order.objects.filter(DISPATCHED)
    return rows if made_at is None else rows.filter(concluded_at__lte=made_at)


# SPEC 7 (2026-12): 办结 含上月流转 — conclusions made in the period, whatever the
# registration date (Changsha: 办结2439件（含上月流转信件）).
CONCLUDED_IN_PERIOD = Statement(
    "concluded_in_period",
    "concluded_at",
    _concluded_rows,
    lambda since, made_at: {"n": Count("pk")},
)


def handling_figures(*, period: Period, made_at: datetime | None = None) -> dict:
    found = totals(counted(HANDLING, period=period, made_at=made_at))
    counts = Counter({name.removeprefix("n_"): n for name, n in found.items()})
    in_period = totals(counted(CONCLUDED_IN_PERIOD, period=period, made_at=made_at))["n"]
    return {
        "concluded": counts["concluded"],
        "concluded_rate": rate(counts["concluded"], counts["dispatched"]),
        "concluded_in_period": in_period,
        "on_time": counts["on_time"],
        "on_time_rate": rate(counts["on_time"], counts["concluded"]),
        "urgent": counts["urgent"],
        "urgent_on_time": counts["urgent_on_time"],
        "extended": counts["extended"],
        "returned": counts["returned"],
        "first_dispatch_accuracy": rate(counts["first_kept"], counts["dispatched"]),
        # SPEC 5 (2026-12): over the dispatches made in the period (statistics/sign_for).
        "sign_on_time_rate": sign_for_city(period=period, made_at=made_at).rate,
    }


def _first_dispatches(since: datetime, made_at: datetime | None):
    # An order is dispatched after it is registered: bounding the events' time as well
    # reads the period's dispatches by the (type, at) index, not every one in history.
    return Event.objects.filter(
        type=ev.Dispatch.type, at__gte=since, order__disposition=Disposition.DISPATCHED
    ).annotate(unit_code=KT("data__unit"))


# The dispatched orders by the unit first dispatched to, on the day each was registered,
# and of those the ones never returned nor re-dispatched by the time the report is made.
FIRST_DISPATCH = Statement(
    "first_dispatch",
    "order__received_at",
    _first_dispatches,
    lambda since, made_at: {
        "dispatched": Count("order_id"),
        "kept": Count("order_id", filter=first_dispatch_kept(made_at, since, order="order_id")),
    },
    keys=("unit_code",),
)


def first_dispatch_counts(*, period: Period, made_at: datetime | None = None) -> Counts:
    """``{(unit code,): {dispatched, kept}}`` over the period: the stored days' counts
    summed and one GROUP BY over the other days' dispatch events."""
    return counted(FIRST_DISPATCH, period=period, made_at=made_at)


def first_dispatch_by_unit(*, period: Period, made_at: datetime | None = None) -> list[dict]:
    """First-dispatch accuracy per unit, over the period's dispatched orders by the unit
    they were first dispatched to (the dispatcher's choice being measured, whoever
    handled the order in the end): ``[{unit, dispatched, kept, accuracy, percent}]``
    (``percent`` is the accuracy for display, two decimals), most dispatched first."""
    return first_dispatch_rows(first_dispatch_counts(period=period, made_at=made_at))


def first_dispatch_rows(found: Counts) -> list[dict]:
    """``first_dispatch_by_unit``'s rows from its counts."""
    counts = {code: (values["dispatched"], values["kept"]) for (code,), values in found.items()}
    names = dict(Unit.objects.filter(code__in=counts).values_list("code", "name"))
    by_name = {names.get(code, code): value for code, value in counts.items()}
    rows = []
    for name, dispatched in ranked((n, v[0]) for n, v in by_name.items()):
        kept = by_name[name][1]
        accuracy = rate(kept, dispatched)
        percent = None if accuracy is None else round(accuracy * 100, 2)
        rows.append(
            {
                "unit": name,
                "dispatched": dispatched,
                "kept": kept,
                "accuracy": accuracy,
                "percent": percent,
            }
        )
    return rows
