"""The unit handler's inbox and its sub-units' progress (SPEC 1 and 2).

Everything starts from ``visible_orders(viewer=…)``, so a unit sees its own orders
and its sub-units' and nothing else; each tab then narrows by the indexed columns
(``lead_unit``/``sub_unit``, ``status``, ``deadline``) so a page is an index range read.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from hotline.directory.models import Unit
from hotline.directory.selectors import unit_family_ids
from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.enums import AssignmentRole, Status
from hotline.orders.models import Assignment, Event, Order
from hotline.orders.selectors import capped_count, overdue_now, visible_orders

# While a co-unit may still add its part (lifecycle: co_reply).
CO_REPLY_STATUSES = (Status.DISPATCHED, Status.IN_PROGRESS)


@dataclass(frozen=True)
class InboxTab:
    name: str
    label: str
    key: str  # the keyset column: never null in the tab's rows
    descending: bool = False


INBOX_TABS = (
    InboxTab("sign", "待签收", "sign_by"),
    InboxTab("in_progress", "办理中", "deadline"),
    InboxTab("returned", "退单", "received_at", descending=True),
    InboxTab("overdue", "已超期", "deadline"),
    InboxTab("co", "待回复协办", "received_at"),
)
TABS_BY_NAME = {tab.name: tab for tab in INBOX_TABS}


def inbox_units(*, viewer) -> QuerySet[Unit]:
    """The units below the viewer's own (its sub-units, their sub-units…), for the filter."""
    family = unit_family_ids(viewer.unit)
    return Unit.objects.filter(pk__in=family).exclude(pk=viewer.unit_id).order_by("code")


def sub_dispatch_units(*, viewer) -> QuerySet[Unit]:
    """The units the viewer's unit may pass an order to: its direct sub-units."""
    return Unit.objects.filter(parent_id=viewer.unit_id, active=True).order_by("code")


def _handled_by(unit_ids) -> Q:
    return Q(lead_unit_id__in=unit_ids) | Q(sub_unit_id__in=unit_ids)


def inbox_orders(
    *, viewer, tab: InboxTab, now: datetime, sub_unit: Unit | None = None
) -> QuerySet[Order]:
    """One tab of the viewer's inbox; ``sub_unit`` (one of ``inbox_units``) narrows it
    to the orders that unit leads or handles."""
    family = unit_family_ids(viewer.unit)
    units = [sub_unit.pk] if sub_unit is not None and sub_unit.pk in family else family
    orders = visible_orders(viewer=viewer)
    match tab.name:
        case "sign":
            orders = orders.filter(status=Status.DISPATCHED, lead_unit_id__in=units)
        case "in_progress":
            orders = orders.filter(_handled_by(units), status=Status.IN_PROGRESS)
        case "overdue":
            orders = orders.filter(overdue_now(now), _handled_by(units), status=Status.IN_PROGRESS)
        case "returned":
            last_return = Event.objects.filter(order=OuterRef("pk"), type="return").order_by("-seq")
            orders = orders.filter(status=Status.RETURNED, lead_unit_id__in=units).annotate(
                return_reason=Subquery(last_return.values("data__reason")[:1])
            )
        case "co":
            part = Assignment.objects.filter(
                order=OuterRef("pk"),
                unit_id__in=units,
                role=AssignmentRole.CO,
                ended_at__isnull=True,
            )
            codes = list(Unit.objects.filter(pk__in=units).values_list("code", flat=True))
            answered = Event.objects.filter(
                order=OuterRef("pk"), type="co_reply", data__unit__in=codes
            )
            orders = orders.filter(Exists(part), status__in=CO_REPLY_STATUSES).exclude(
                Exists(answered)
            )
        case _:
            raise KeyError(tab.name)
    own = viewer.unit_id
    return orders.select_related("category", "region", "lead_unit", "sub_unit", "citizen").annotate(
        # What the viewer's own unit may do here; the services check it again.
        leads=Case(
            When(lead_unit_id=own, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        handles=Case(
            When(Q(lead_unit_id=own) | Q(sub_unit_id=own), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def inbox_counts(*, viewer, now: datetime, sub_unit: Unit | None = None) -> dict[str, int]:
    """How many orders wait in each tab, each counted no further than ``COUNT_CAP + 1``
    (an index range read per tab, as its page)."""
    return {
        tab.name: capped_count(inbox_orders(viewer=viewer, tab=tab, now=now, sub_unit=sub_unit))
        for tab in INBOX_TABS
    }


@dataclass(frozen=True)
class SubUnitProgress:
    unit: Unit
    in_progress: int
    overdue: int
    concluded: int  # this month


def month_bounds(now: datetime) -> tuple[datetime, datetime]:
    """The local calendar month containing ``now``: [first day 00:00, next month)."""
    start = now.astimezone(LOCAL_TZ).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = (
        start.replace(year=start.year + 1, month=1)
        if start.month == 12
        else start.replace(month=start.month + 1)
    )
    return start, end


def sub_unit_progress(*, viewer, now: datetime) -> list[SubUnitProgress]:
    """One row per direct sub-unit of the viewer's unit: its orders in progress, overdue
    and concluded this month, counting what it leads or handles itself and what its own
    sub-units handle. Counted by one GROUP BY."""
    family = unit_family_ids(viewer.unit)
    tree = dict(Unit.objects.filter(pk__in=family).values_list("pk", "parent_id"))
    children = list(Unit.objects.filter(parent_id=viewer.unit_id).order_by("code"))
    if not children:
        return []
    below: dict[int, list[int]] = {child.pk: [] for child in children}
    for unit_id in tree:
        ancestor = unit_id
        while ancestor is not None and ancestor not in below:
            ancestor = tree.get(ancestor)
        if ancestor is not None:
            below[ancestor].append(unit_id)
    everyone = [unit_id for ids in below.values() for unit_id in ids]
    # The sub-unit handling the order counts first; else the one leading it.
    owner = Case(
        *(When(sub_unit_id__in=ids, then=Value(child)) for child, ids in below.items()),
        *(When(lead_unit_id__in=ids, then=Value(child)) for child, ids in below.items()),
        default=Value(None),
        output_field=BigIntegerField(),
    )
    start, end = month_bounds(now)
    this_month = Q(concluded_at__gte=start, concluded_at__lt=end)
    working = Q(status=Status.IN_PROGRESS)
    # Spelled out as four index-friendly branches (unit column × status or month).
    wanted = Q()
    for column in ("lead_unit_id__in", "sub_unit_id__in"):
        wanted |= Q(working, **{column: everyone}) | Q(this_month, **{column: everyone})
    counted = (
        visible_orders(viewer=viewer)
        .filter(wanted)
        .annotate(owner=owner)
        .order_by()
        .values("owner")
        .annotate(
            in_progress=Count("pk", filter=working),
            overdue=Count("pk", filter=working & overdue_now(now)),
            concluded=Count("pk", filter=this_month),
        )
    )
    figures = {row["owner"]: row for row in counted}
    empty = {"in_progress": 0, "overdue": 0, "concluded": 0}
    return [
        SubUnitProgress(
            unit=child,
            in_progress=figures.get(child.pk, empty)["in_progress"],
            overdue=figures.get(child.pk, empty)["overdue"],
            concluded=figures.get(child.pk, empty)["concluded"],
        )
        for child in children
    ]
