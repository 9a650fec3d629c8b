"""Reads the API needs beyond those of the apps' own selectors. Orders always start
from ``visible_orders(viewer=…)``, so a unit's list holds only its own orders."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet

from hotline.directory.models import CatalogueEntry, Category, Region, Tag, Unit
from hotline.domain.deadlines import LOCAL_TZ
from hotline.orders.models import Order
from hotline.orders.selectors import visible_orders

# Categories are three levels deep and regions four (SPEC 2).
CATEGORY_DEPTH = 3
REGION_DEPTH = 4


@dataclass(frozen=True)
class OrderFilters:
    status: str = ""
    disposition: str = ""
    channel: str = ""
    appeal_type: str = ""
    lead_unit: str = ""
    category: str = ""
    region: str = ""
    received_from: date | None = None
    received_to: date | None = None
    updated_since: datetime | None = None
    number: str = ""


def _in_subtree(field: str, code: str, depth: int) -> Q:
    """The item with ``code`` and everything below it in its tree."""
    condition = Q()
    for level in range(depth):
        condition |= Q(**{f"{field}__{'parent__' * level}code": code})
    return condition


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ)


def order_list(*, viewer, filters: OrderFilters) -> QuerySet[Order]:
    orders = visible_orders(viewer=viewer)
    exact = {
        "status": filters.status,
        "disposition": filters.disposition,
        "channel": filters.channel,
        "appeal_type": filters.appeal_type,
        "lead_unit__code": filters.lead_unit,
        "number": filters.number,
    }
    orders = orders.filter(**{name: value for name, value in exact.items() if value})
    if filters.category:
        orders = orders.filter(_in_subtree("category", filters.category, CATEGORY_DEPTH))
    if filters.region:
        orders = orders.filter(_in_subtree("region", filters.region, REGION_DEPTH))
    if filters.received_from:
        orders = orders.filter(received_at__gte=_local_midnight(filters.received_from))
    if filters.received_to:
        # Dates are the hotline's local calendar days, both ends included.
        end = _local_midnight(filters.received_to + timedelta(days=1))
        orders = orders.filter(received_at__lt=end)
    if filters.updated_since:
        orders = orders.filter(updated_at__gte=filters.updated_since)
    return orders.select_related("category", "region", "lead_unit", "sub_unit", "citizen")


def units_by_code(codes) -> dict[str, Unit]:
    return {u.code: u for u in Unit.objects.filter(code__in=list(codes))}


def region_list() -> QuerySet[Region]:
    return Region.objects.select_related("parent").order_by("code")


def unit_list() -> QuerySet[Unit]:
    return Unit.objects.select_related("parent").prefetch_related("regions").order_by("code")


def category_list() -> QuerySet[Category]:
    return Category.objects.select_related("parent").order_by("code")


def tag_list() -> QuerySet[Tag]:
    return Tag.objects.order_by("name")


def catalogue_keywords() -> dict[str, list[str]]:
    """Keywords of the current dispatch catalogue, per category code."""
    keywords: dict[str, list[str]] = {}
    rows = CatalogueEntry.objects.filter(active=True).values_list("category__code", "keywords")
    for code, text in rows:
        for word in text.split(";"):
            word = word.strip()
            if word and word not in keywords.setdefault(code, []):
                keywords[code].append(word)
    return keywords
