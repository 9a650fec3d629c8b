"""Reads the API needs beyond those of the apps' own selectors. Orders come from the one
order search, which starts from ``visible_orders(viewer=…)``, so a unit's list holds
only its own orders."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet

from hotline.directory.models import CatalogueEntry, Category, Region, Tag, Unit
from hotline.orders.models import Order
from hotline.orders.selectors.search import (
    SearchFilters,
    category_subtree,
    order_search,
    region_subtree,
)


@dataclass(frozen=True)
class OrderFilters:
    """The API's filters, by code; ``order_list`` resolves them for the one order search."""

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
    external_ref: str = ""
    text: str = ""


def order_list(*, viewer, filters: OrderFilters) -> QuerySet[Order]:
    """``order_search`` with the filters' codes turned into ids: a category or region
    with everything below it, the lead unit by its code (none such: no order)."""
    lead_unit_id = None
    if filters.lead_unit:
        lead_unit_id = (
            Unit.objects.filter(code=filters.lead_unit).values_list("pk", flat=True).first()
        )
        if lead_unit_id is None:
            return Order.objects.none()
    category, region = filters.category, filters.region
    search = SearchFilters(
        number=filters.number,
        external_ref=filters.external_ref,
        text=filters.text,
        status=filters.status,
        disposition=filters.disposition,
        channel=filters.channel,
        appeal_type=filters.appeal_type,
        category_ids=category_subtree(category, by_name=False) if category else None,
        region_ids=region_subtree(region, by_name=False) if region else None,
        lead_unit_id=lead_unit_id,
        received_from=filters.received_from,
        received_to=filters.received_to,
        updated_since=filters.updated_since,
    )
    orders = order_search(viewer=viewer, filters=search)
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
