"""The one order search, used by the pages and the API alike: orders the viewer may see
that match every given filter. It starts from the viewer, so a unit handler cannot find
another unit's order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import BigIntegerField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.expressions import RawSQL

from hotline.directory.models import Category, Region, Unit
from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.masking import PHONE_SEARCH_REFUSED, may_search_by_phone
from hotline.domain.text_search import query_terms
from hotline.orders.models import Order
from hotline.orders.selectors import visible_orders


@dataclass(frozen=True)
class SearchFilters:
    number: str = ""
    external_ref: str = ""
    phone: str = ""
    text: str = ""  # words of the content or the replies (domain.text_search)
    status: str = ""
    disposition: str = ""
    channel: str = ""
    appeal_type: str = ""
    category_ids: tuple[int, ...] | None = None  # None: any category
    region_ids: tuple[int, ...] | None = None
    lead_unit_id: int | None = None
    received_from: date | None = None
    received_to: date | None = None
    updated_since: datetime | None = None


def _subtree_ids(model, roots: list[int]) -> tuple[int, ...]:
    """The items and everything below them (a few small queries, one per level)."""
    found, frontier = list(roots), list(roots)
    while frontier:
        frontier = list(model.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
        found.extend(frontier)
    return tuple(dict.fromkeys(found))


def _named(text: str, *, by_name: bool) -> Q:
    """The code exactly, or (``by_name``) any name containing the words: an operator
    types 噪音 for 施工噪音 and 社会生活噪音 alike (the directory's tables are small)."""
    text = text.strip()
    return Q(code=text) | Q(name__contains=text) if by_name else Q(code=text)


def category_subtree(text: str, *, by_name: bool = True) -> tuple[int, ...]:
    """Categories whose code is ``text`` (or, ``by_name``, whose name contains it), with
    their sub-categories; empty when none matches."""
    roots = list(
        Category.objects.filter(_named(text, by_name=by_name)).values_list("id", flat=True)
    )
    return _subtree_ids(Category, roots) if roots else ()


def region_subtree(text: str, *, by_name: bool = True) -> tuple[int, ...]:
    roots = list(Region.objects.filter(_named(text, by_name=by_name)).values_list("id", flat=True))
    return _subtree_ids(Region, roots) if roots else ()


def unit_choices() -> QuerySet[Unit]:
    return Unit.objects.filter(active=True).order_by("code")


def unit_find(text: str) -> Unit | None:
    text = text.strip()
    return Unit.objects.filter(Q(code=text) | Q(name=text)).order_by("id").first()


# A directory filter matching at least this many orders counts as common (see below);
# telling takes one index read of at most this many entries.
COMMON_MATCHES = 2000


def _common(orders: QuerySet[Order]) -> bool:
    return orders.values("pk")[:COMMON_MATCHES].count() >= COMMON_MATCHES


def _column(name: str):
    """The column as an expression no index answers (``column + 0``)."""
    return ExpressionWrapper(F(name) + 0, output_field=BigIntegerField())


def _by_directory(orders: QuerySet[Order], filters: SearchFilters, *, through_index: bool):
    """The category, region and lead unit filters; each subtree was resolved to ids
    first, so that the (category, received_at) and (region, received_at) indexes serve
    a rare one."""
    wanted = {
        "category_id": filters.category_ids,
        "region_id": filters.region_ids,
        "lead_unit_id": (filters.lead_unit_id,) if filters.lead_unit_id is not None else None,
    }
    for name, ids in wanted.items():
        if ids is None:
            continue
        if through_index:
            orders = orders.filter(**{f"{name}__in": ids})
        else:
            alias = f"plain_{name}"
            orders = orders.alias(**{alias: _column(name)}).filter(**{f"{alias}__in": ids})
    return orders


def text_matches(text: str) -> RawSQL | None:
    """The ids of the orders whose content or replies hold every word of ``text``, as a
    subquery answered by the search index (``OrderText``); None when ``text`` has no
    word. The terms are letters only (``text_search``), so they need no quoting."""
    terms = query_terms(text)
    if not terms:
        return None
    if connection.vendor == "postgresql":
        query = " & ".join(t.text + (":*" if t.prefix else "") for t in terms)
        return RawSQL(
            "SELECT order_id FROM orders_ordertext WHERE terms::tsvector @@ %s::tsquery",
            [query],
        )
    query = " AND ".join(f'"{t.text}"' + ("*" if t.prefix else "") for t in terms)
    return RawSQL(
        "SELECT rowid FROM orders_ordertext_fts WHERE orders_ordertext_fts MATCH %s", [query]
    )


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ)


def order_search(*, viewer, filters: SearchFilters) -> QuerySet[Order]:
    """Orders the viewer may see that match every given filter; the caller pages them
    by ``received_at`` (indexed alone and after status, category and region)."""
    # A role that sees phones masked (a confidential order's citizen hidden from units
    # among them) could otherwise confirm guesses of a number.
    if filters.phone and not may_search_by_phone(viewer.role):
        raise PermissionDenied(PHONE_SEARCH_REFUSED)
    orders = visible_orders(viewer=viewer)
    exact = {
        "number": filters.number,
        "external_ref": filters.external_ref,
        "status": filters.status,
        "disposition": filters.disposition,
        "channel": filters.channel,
        "appeal_type": filters.appeal_type,
        "citizen__phone": filters.phone,
    }
    orders = orders.filter(**{name: value for name, value in exact.items() if value})
    # Dates are the hotline's local calendar days, both ends included.
    if filters.received_from:
        orders = orders.filter(received_at__gte=_local_midnight(filters.received_from))
    if filters.received_to:
        end = _local_midnight(filters.received_to + timedelta(days=1))
        orders = orders.filter(received_at__lt=end)
    if filters.updated_since:
        orders = orders.filter(updated_at__gte=filters.updated_since)
    matches = text_matches(filters.text) if filters.text else None
    if matches is not None:
        orders = orders.filter(pk__in=matches)
    narrowed = _by_directory(orders, filters, through_index=True)
    if narrowed is not orders and _common(narrowed):
        # Many orders match: reading the newest orders in received_at order finds a page
        # at once, whereas gathering every match through its own index and sorting them
        # grows with their number. The directory filters are then applied as plain
        # conditions (their columns wrapped, so that no index is taken for them).
        narrowed = _by_directory(orders, filters, through_index=False)
    return narrowed.select_related("category", "region", "lead_unit")
