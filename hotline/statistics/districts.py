"""Per district and for the city departments together (SPEC 7, 2026-12 ``districts``),
as Changsha publishes them: 各区县(市)签收数占转派总数的51%，市直单位签收数占39%.

Over the period's dispatched orders by their lead unit: a district or county government
is a row of its own, a town or street government counts for the district above it, the
city departments and central agencies are one row (市直部门), enterprises and schools
another (公共企事业单位). One GROUP BY, by lead unit (the rows follow the directory as
it is now).
"""

from collections import Counter
from datetime import datetime

from django.db.models import Count

from hotline.directory.models import Unit
from hotline.domain.statistics import Period, rate
from hotline.orders.models import Order
from hotline.statistics.conditions import DISPATCHED, concluded, on_time
from hotline.statistics.facts import Statement, counted
from hotline.statistics.lines import satisfied, with_latest_callback

CITY = "市直部门"
PUBLIC = "公共企事业单位"
KIND = Unit.Kind


def groups() -> dict[int, str]:
    """Each unit's row, by its id: a district or county government its own, a town or
    street government its district's, the city departments and central agencies 市直部门,
    every other unit 公共企事业单位."""
    units = {
        pk: (kind, name, parent)
        for pk, kind, name, parent in Unit.objects.values_list("pk", "kind", "name", "parent_id")
    }

    def group(pk: int) -> str:
        kind, name, parent = units[pk]
        if kind == KIND.DISTRICT_GOVERNMENT:
            return name
        if kind == KIND.TOWN_GOVERNMENT and parent and units[parent][0] == KIND.DISTRICT_GOVERNMENT:
            return units[parent][1]
        if kind in (KIND.DEPARTMENT, KIND.CENTRAL_AGENCY):
            return CITY
        return PUBLIC

    return {pk: group(pk) for pk in units}


def _counts(since: datetime, made_at: datetime | None) -> dict:
    return {
        "orders": Count("pk"),
        "concluded": Count("pk", filter=concluded(made_at)),
        "on_time": Count("pk", filter=on_time(made_at)),
        "reached": Count("pk", filter=satisfied(made_at, reached=True)),
        "satisfied": Count("pk", filter=satisfied(made_at)),
    }


DISTRICTS = Statement(
    "districts",
    "received_at",
    lambda since, made_at: with_latest_callback(
        Order.objects.filter(DISPATCHED, lead_unit__isnull=False), made_at
    ),
    _counts,
    keys=("lead_unit_id",),
)


def district_figures(*, period: Period, made_at: datetime | None = None) -> list[dict]:
    """``[{name, kind, orders, share, concluded, on_time, on_time_rate, satisfied,
    satisfaction_rate}]``: the districts first (most orders first), then 市直部门 and
    公共企事业单位. ``share`` is of the period's dispatched orders."""
    group_of = groups()
    summed: dict[str, Counter] = {}
    for (unit_id,), counts in counted(DISTRICTS, period=period, made_at=made_at).items():
        if counts["orders"]:
            summed.setdefault(group_of[unit_id], Counter()).update(counts)
    dispatched = sum(counts["orders"] for counts in summed.values())

    def kind(name: str) -> str:
        return {CITY: "city", PUBLIC: "public"}.get(name, "district")

    order = {"district": 0, "city": 1, "public": 2}
    rows = sorted(summed.items(), key=lambda row: (order[kind(row[0])], -row[1]["orders"], row[0]))
    return [
        {
            "name": group,
            "kind": kind(group),
            "orders": row["orders"],
            "share": rate(row["orders"], dispatched),
            "concluded": row["concluded"],
            "on_time": row["on_time"],
            "on_time_rate": rate(row["on_time"], row["concluded"]),
            "satisfied": row["satisfied"],
            "satisfaction_rate": rate(row["satisfied"], row["reached"]),
        }
        for group, row in rows
    ]
