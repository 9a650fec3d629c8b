"""The leader dashboard's figures, each one SQL aggregate over an indexed range.

Headline figures follow the periodic report's definitions (SPEC 7) over the orders
received in the period: ``received`` every order, ``dispatched`` those sent to units,
``concluded`` the dispatched ones whose reply was accepted; callbacks count those on the
period's orders, and the satisfied rate is (satisfied + basically satisfied) over
callbacks that reached the citizen. (The on-time rate is SPEC 5's, over the orders that
fell due: ``statistics.rates.city_on_time``.) Every query is bounded by ``received_at``
(indexed) or by the open statuses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Count, Min, Q, QuerySet

from hotline.directory.models import Unit
from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.enums import CallbackResult, Disposition, Status
from hotline.domain.lifecycle import HANDLING
from hotline.orders.models import Callback, Order, Supervision
from hotline.orders.selectors import overdue_now, visible_orders

OVERDUE_UNITS_SHOWN = 20
LATEST_SHOWN = 10
# The latest supervision cards looked at to find the latest supervised open orders.
SUPERVISIONS_SCANNED = 200

_SATISFIED = (CallbackResult.SATISFIED.value, CallbackResult.BASICALLY_SATISFIED.value)


@dataclass(frozen=True)
class Figures:
    received: int = 0
    dispatched: int = 0
    concluded: int = 0
    reached: int = 0  # callbacks that reached the citizen
    satisfied: int = 0  # of those, satisfied or basically satisfied

    @property
    def satisfied_rate(self) -> float | None:
        return self.satisfied / self.reached if self.reached else None


@dataclass(frozen=True)
class Periods:
    today: datetime  # local midnight
    tomorrow: datetime
    month: datetime  # the first of the month, local midnight
    next_month: datetime


def periods(now: datetime) -> Periods:
    local = now.astimezone(LOCAL_TZ)
    today = datetime.combine(local.date(), time.min, tzinfo=LOCAL_TZ)
    first = local.date().replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return Periods(
        today=today,
        tomorrow=datetime.combine(local.date() + timedelta(days=1), time.min, tzinfo=LOCAL_TZ),
        month=datetime.combine(first, time.min, tzinfo=LOCAL_TZ),
        next_month=datetime.combine(following, time.min, tzinfo=LOCAL_TZ),
    )


def _order_counts(prefix: str, since: Q) -> dict:
    dispatched = Q(disposition=Disposition.DISPATCHED.value)
    concluded = dispatched & Q(concluded_at__isnull=False)
    return {
        f"{prefix}received": Count("id", filter=since),
        f"{prefix}dispatched": Count("id", filter=since & dispatched),
        f"{prefix}concluded": Count("id", filter=since & concluded),
    }


def _callback_counts(prefix: str, since: Q) -> dict:
    reached = ~Q(result=CallbackResult.UNREACHABLE.value)
    return {
        f"{prefix}reached": Count("id", filter=since & reached),
        f"{prefix}satisfied": Count("id", filter=since & Q(result__in=_SATISFIED)),
    }


def headline_figures(*, viewer, now: datetime) -> tuple[Figures, Figures]:
    """Today's and this month's figures: two aggregate queries over this month's range
    of ``received_at`` (today always lies within this month)."""
    span = periods(now)
    in_month = visible_orders(viewer=viewer).filter(
        received_at__gte=span.month, received_at__lt=span.next_month
    )
    everything = Q()
    today = Q(received_at__gte=span.today, received_at__lt=span.tomorrow)
    orders = in_month.aggregate(
        **_order_counts("m_", everything), **_order_counts("d_", today), first=Min("pk")
    )
    # The month's lowest order id bounds the callbacks read to a range of their order
    # index instead of every callback ever made (the same answer: a lower bound).
    first = orders.pop("first") or 0
    callbacks = Callback.objects.filter(
        kind=Callback.Kind.CALLBACK, order_id__gte=first, order__in=in_month.values("pk")
    ).aggregate(
        **_callback_counts("m_", everything),
        **_callback_counts(
            "d_", Q(order__received_at__gte=span.today, order__received_at__lt=span.tomorrow)
        ),
    )
    figures = {**orders, **callbacks}
    return (
        Figures(**{k[2:]: v for k, v in figures.items() if k.startswith("d_")}),
        Figures(**{k[2:]: v for k, v in figures.items() if k.startswith("m_")}),
    )


def _overdue(viewer, now: datetime) -> QuerySet[Order]:
    """Orders overdue now (``overdue_now``: a paused clock is not running)."""
    return visible_orders(viewer=viewer).filter(overdue_now(now), status=Status.IN_PROGRESS.value)


def overdue_count(*, viewer, now: datetime) -> int:
    return _overdue(viewer, now).count()


@dataclass(frozen=True)
class UnitOverdue:
    unit: Unit
    overdue: int


def overdue_by_unit(
    *, viewer, now: datetime, limit: int = OVERDUE_UNITS_SHOWN
) -> list[UnitOverdue]:
    rows = list(
        _overdue(viewer, now)
        .values("lead_unit_id")
        .annotate(overdue=Count("id"))
        .order_by("-overdue", "lead_unit_id")[:limit]
    )
    units = Unit.objects.in_bulk([r["lead_unit_id"] for r in rows if r["lead_unit_id"]])
    return [
        UnitOverdue(units[r["lead_unit_id"]], r["overdue"])
        for r in rows
        if r["lead_unit_id"] in units
    ]


def latest_supervised(*, viewer, limit: int = LATEST_SHOWN) -> list[Order]:
    """Open orders under supervision, the most recently supervised first. Read from the
    newest supervision cards (primary key order), not by scanning orders."""
    recent = Supervision.objects.order_by("-id").values_list("order_id", flat=True)
    ids = list(dict.fromkeys(recent[:SUPERVISIONS_SCANNED]))
    found = visible_orders(viewer=viewer).filter(pk__in=ids, status__in=[s.value for s in HANDLING])
    by_id = {o.pk: o for o in found.select_related("lead_unit", "category", "region")}
    return [by_id[pk] for pk in ids if pk in by_id][:limit]


def latest_urgent(*, viewer, limit: int = LATEST_SHOWN) -> list[Order]:
    """Open urgent orders (still to dispatch, or with a unit), the most recently
    received first."""
    waiting = [Status.REGISTERED.value, *(s.value for s in HANDLING)]
    return list(
        visible_orders(viewer=viewer)
        .filter(urgent=True, status__in=waiting)
        .select_related("lead_unit", "category", "region")
        .order_by("-received_at", "-id")[:limit]
    )
