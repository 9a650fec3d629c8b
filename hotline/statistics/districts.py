"""Per district and for the city departments together (SPEC 7, 2026-12 ``districts``),
as Changsha publishes them: 各区县(市)签收数占转派总数的51%，市直单位签收数占39%.

Over the period's dispatched orders by their lead unit: a district or county government
is a row of its own, a town or street government counts for the district above it, the
city departments and central agencies are one row (市直部门), enterprises and schools
another (公共企事业单位). One GROUP BY.
"""

from datetime import datetime

from django.db.models import Case, CharField, Count, F, Value, When

from hotline.directory.models import Unit
from hotline.domain.statistics import Period, rate
from hotline.orders.models import Order
from hotline.statistics.conditions import DISPATCHED, concluded, on_time, registered_in
from hotline.statistics.lines import satisfied, with_latest_callback

CITY = "市直部门"
PUBLIC = "公共企事业单位"
KIND = Unit.Kind

_GROUP = Case(
    When(lead_unit__kind=KIND.DISTRICT_GOVERNMENT, then=F("lead_unit__name")),
    When(
        lead_unit__kind=KIND.TOWN_GOVERNMENT,
        lead_unit__parent__kind=KIND.DISTRICT_GOVERNMENT,
        then=F("lead_unit__parent__name"),
    ),
    When(lead_unit__kind__in=(KIND.DEPARTMENT, KIND.CENTRAL_AGENCY), then=Value(CITY)),
    default=Value(PUBLIC),
    output_field=CharField(),
)


def district_figures(*, period: Period, made_at: datetime | None = None) -> list[dict]:
    """``[{name, kind, orders, share, concluded, on_time, on_time_rate, satisfied,
    satisfaction_rate}]``: the districts first (most orders first), then 市直部门 and
    公共企事业单位. ``share`` is of the period's dispatched orders."""
    orders = Order.objects.filter(registered_in(period), DISPATCHED, lead_unit__isnull=False)
    rows = list(
        with_latest_callback(orders, made_at)
        .annotate(group=_GROUP)
        .order_by()
        .values("group")
        .annotate(
            orders=Count("pk"),
            concluded=Count("pk", filter=concluded(made_at)),
            on_time=Count("pk", filter=on_time(made_at)),
            reached=Count("pk", filter=satisfied(made_at, reached=True)),
            satisfied=Count("pk", filter=satisfied(made_at)),
        )
    )
    dispatched = sum(row["orders"] for row in rows)

    def kind(name: str) -> str:
        return {CITY: "city", PUBLIC: "public"}.get(name, "district")

    order = {"district": 0, "city": 1, "public": 2}
    rows.sort(key=lambda row: (order[kind(row["group"])], -row["orders"], row["group"]))
    return [
        {
            "name": row["group"],
            "kind": kind(row["group"]),
            "orders": row["orders"],
            "share": rate(row["orders"], dispatched),
            "concluded": row["concluded"],
            "on_time": row["on_time"],
            "on_time_rate": rate(row["on_time"], row["concluded"]),
            "satisfied": row["satisfied"],
            "satisfaction_rate": rate(row["satisfied"], row["reached"]),
        }
        for row in rows
    ]
