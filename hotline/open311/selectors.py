"""What Open311 shows: the leaf categories as services, the orders as public service
requests. Public means: no harassment or invalid calls, never a 举报 or a confidential
order (SPEC 11, 2026-12: they would name the one who reported), and never the citizen."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Coalesce, NullIf

from hotline.directory.models import Category
from hotline.domain.enums import AppealType, Disposition, ReviewDecision, Status
from hotline.orders.models import Order, Reply
from hotline.orders.selectors import online_answer_text

# Records of calls that were not requests at all stay out of the public feed.
NOT_PUBLIC = (Disposition.HARASSMENT.value, Disposition.INVALID.value)
# GeoReport has two statuses; a merged order lives on in the one it joined.
CLOSED_STATUSES = (Status.CLOSED.value, Status.MERGED.value)
MAX_REQUESTS = 1000


def _leaves() -> QuerySet[Category]:
    """SPEC 11 (2026-12): a request is filed under a leaf; a group is no service."""
    return (
        Category.objects.filter(active=True)
        .exclude(children__active=True)
        .select_related("parent__parent")
    )


def service_list() -> QuerySet[Category]:
    return _leaves().order_by("code")


def service_get(*, code: str) -> Category:
    return _leaves().get(code=code)


@dataclass(frozen=True)
class RequestFilters:
    numbers: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    statuses: tuple[str, ...] = ()  # "open", "closed"


def public_requests() -> QuerySet[Order]:
    accepted_reply = Reply.objects.filter(
        order=OuterRef("pk"), decision=ReviewDecision.ACCEPT.value
    ).order_by("-at", "-pk")
    return (
        Order.objects.exclude(disposition__in=NOT_PUBLIC)
        .exclude(appeal_type=AppealType.REPORT.value)
        .exclude(confidential=True)
        .select_related("category", "lead_unit")
        # SPEC 3 (2026-12): an order answered in writing at intake review carries that
        # answer as its status notes, as a handled order carries its accepted reply.
        .annotate(
            accepted_reply=Coalesce(
                Subquery(accepted_reply.values("text")[:1]),
                NullIf(online_answer_text(), Value("")),
                output_field=TextField(),
            )
        )
    )


def request_list(*, filters: RequestFilters) -> list[Order]:
    orders = public_requests()
    if filters.numbers:
        # GeoReport v2: service_request_id overrides every other filter.
        return list(orders.filter(number__in=filters.numbers).order_by("-received_at", "-pk"))
    if filters.service_codes:
        orders = orders.filter(category__code__in=filters.service_codes)
    if filters.start:
        orders = orders.filter(received_at__gte=filters.start)
    if filters.end:
        orders = orders.filter(received_at__lte=filters.end)
    if set(filters.statuses) == {"open"}:
        orders = orders.exclude(status__in=CLOSED_STATUSES)
    elif set(filters.statuses) == {"closed"}:
        orders = orders.filter(status__in=CLOSED_STATUSES)
    return list(orders.order_by("-received_at", "-pk")[:MAX_REQUESTS])


def request_get(*, number: str) -> Order:
    return public_requests().get(number=number)
