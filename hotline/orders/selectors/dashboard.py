"""The leader dashboard's lists: overdue orders (now, and by unit), the latest
supervised and urgent open orders, each one query over an index. (Its headline figures
are the report's: ``statistics/headline.py``.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, QuerySet

from hotline.directory.models import Unit
from hotline.domain.enums import Status
from hotline.domain.lifecycle import HANDLING
from hotline.orders.models import Order, Supervision
from hotline.orders.selectors import overdue_now, visible_orders

OVERDUE_UNITS_SHOWN = 20
LATEST_SHOWN = 10
# The latest supervision cards looked at to find the latest supervised open orders.
SUPERVISIONS_SCANNED = 200


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
