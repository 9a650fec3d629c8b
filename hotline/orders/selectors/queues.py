"""The office's work queues: what the dispatcher and the supervisor have to act on.

Every queue starts from the viewer's orders and filters on indexed columns only
(``status``, ``difficult``, ``deadline``, the pending extension and the undecided
unsatisfied rating), so that each page is an index range read however many orders
the hotline holds. The ``*_for`` helpers fetch what the rows of one page show
beside the order (a catalogue suggestion, the last return, the latest reply) in a
bounded number of queries.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, FilteredRelation, OuterRef, Prefetch, Q, QuerySet, Subquery

from hotline.directory.models import Unit
from hotline.directory.selectors import Suggestion, catalogue_suggestions
from hotline.domain.enums import CallbackResult, Disposition, Status
from hotline.orders.models import Callback, Event, Order, Reply
from hotline.orders.selectors import capped_count, visible_orders

# A difficult order stays in dispute until a unit has replied.
DISPUTED = (Status.DISPATCHED, Status.RETURNED, Status.IN_PROGRESS)
# An extension can be decided while the order is handled or its reply awaits review.
EXTENSION_OPEN = (Status.IN_PROGRESS, Status.REPLIED)
# A pause can be asked for and decided while the lead holds the order (lifecycle).
PAUSE_OPEN = (Status.DISPATCHED, Status.IN_PROGRESS)
# Orders the dispatcher may send elsewhere from the re-dispatch list.
REDISPATCHABLE = (Status.IN_PROGRESS, Status.DISPATCHED)
# Spot checks call back dispatched orders and those answered at intake (SPEC 4).
SPOT_CHECKED = (Status.CLOSED, Status.CONCLUDED)
SPOT_CHECK_DISPOSITIONS = (Disposition.DISPATCHED, Disposition.ANSWERED)

# What the queue tables show of each order.
_SHOWN = ("category", "region", "lead_unit", "sub_unit")
# The catalogue suggestion walks the category (3 levels) and region (4 levels) trees.
_TREES = ("category__parent__parent", "region__parent__parent__parent")


def _orders(viewer) -> QuerySet[Order]:
    return visible_orders(viewer=viewer).select_related(*_SHOWN)


# --- the dispatcher's queues -------------------------------------------------------------


# SPEC 3 (2026-12): an online order waits for the operators' intake review before the
# dispatcher sees it. Registered orders are few at any time, so reading the flag from
# the state of those the (status, received_at) index finds is cheap.
_IN_REVIEW = Q(status=Status.REGISTERED, state__in_review=True)


def awaiting_dispatch(*, viewer) -> QuerySet[Order]:
    """Registered orders nobody has decided at intake: answered, rejected, marked and
    merged orders have left ``registered``, online ones still in review are the
    operators'. Served by (status, received_at)."""
    return (
        _orders(viewer)
        .select_related(*_TREES)
        .filter(status=Status.REGISTERED)
        .exclude(state__in_review=True)
    )


def awaiting_intake_review(*, viewer) -> QuerySet[Order]:
    """SPEC 3 (2026-12): online orders the operators classify and decide, with their
    citizen (the queue shows the masked caller)."""
    return _orders(viewer).select_related("citizen").filter(_IN_REVIEW)


def awaiting_return_review(*, viewer) -> QuerySet[Order]:
    return _orders(viewer).select_related(*_TREES).filter(status=Status.RETURNED)


def difficult_orders(*, viewer) -> QuerySet[Order]:
    """Orders units returned to each other (互相回退), still in dispute. Served by
    (difficult, status)."""
    return _orders(viewer).select_related(*_TREES).filter(difficult=True, status__in=DISPUTED)


def redispatchable(*, viewer, status: Status = Status.IN_PROGRESS, lead: Unit | None = None):
    """Orders in one status (in progress or awaiting sign-for), optionally of one lead
    unit. Served by (status, received_at), or (lead_unit, status, deadline) with a unit."""
    if status not in REDISPATCHABLE:
        raise ValueError(status)
    orders = _orders(viewer).select_related(*_TREES).filter(status=status)
    if lead is not None:
        orders = orders.filter(lead_unit=lead)
    return orders


# --- the supervisor's queues -------------------------------------------------------------


def awaiting_review(*, viewer) -> QuerySet[Order]:
    return _orders(viewer).filter(status=Status.REPLIED)


def extension_requests(*, viewer) -> QuerySet[Order]:
    """Orders with an extension request awaiting decision, one row per request, with
    ``requested_at``, ``requested_until``, ``request_reason`` and ``requesting_unit``.
    Served by the (granted, requested_at) index of extensions."""
    return (
        _orders(viewer)
        .annotate(
            request=FilteredRelation("extensions", condition=Q(extensions__granted__isnull=True))
        )
        .filter(request__isnull=False, status__in=EXTENSION_OPEN)
        .annotate(
            requested_at=F("request__requested_at"),
            requested_until=F("request__until"),
            request_reason=F("request__reason"),
            requesting_unit=F("request__unit__name"),
        )
    )


def pause_requests(*, viewer) -> QuerySet[Order]:
    """Orders whose unit asked for a pause longer than the office allows without
    approval (SPEC 4, 2026-12), with ``pause_reason``; the planned end is the state's
    ``pause_request``. Served by (status, received_at): few orders are open at once
    with a request, and the state is read only for those open."""
    last_pause = Event.objects.filter(order=OuterRef("pk"), type="pause").order_by("-seq")
    return (
        _orders(viewer)
        .filter(status__in=PAUSE_OPEN, state__has_key="pause_request")
        .exclude(state__pause_request=None)
        .annotate(pause_reason=Subquery(last_pause.values("data__reason")[:1]))
    )


def due_by(*, viewer, until: datetime) -> QuerySet[Order]:
    """Orders in progress whose deadline falls at or before ``until`` (overdue ones
    included), for supervision. Key: ``deadline``."""
    return _orders(viewer).filter(status=Status.IN_PROGRESS, deadline__lte=until)


_NEWEST_FIRST = Callback.objects.order_by("-at", "-id")


def spot_check_candidates(*, viewer, status: Status = Status.CLOSED) -> QuerySet[Order]:
    """Concluded or closed orders a spot check may call back. Served by
    (status, received_at)."""
    if status not in SPOT_CHECKED:
        raise ValueError(status)
    return (
        _orders(viewer)
        .filter(status=status, disposition__in=SPOT_CHECK_DISPOSITIONS)
        .prefetch_related(Prefetch("callbacks", queryset=_NEWEST_FIRST, to_attr="ratings"))
    )


def appeals_awaiting(*, viewer) -> QuerySet[Order]:
    """Orders with an unsatisfied callback or spot check the office has not ruled on,
    one row per rating, with ``rated_at``, ``rating_kind`` and ``rated_unit``."""
    return (
        _orders(viewer)
        .annotate(
            rating=FilteredRelation(
                "callbacks",
                condition=Q(
                    callbacks__result=CallbackResult.UNSATISFIED.value,
                    callbacks__appeal_upheld__isnull=True,
                ),
            )
        )
        .filter(rating__isnull=False)
        .annotate(
            rated_at=F("rating__at"),
            rating_kind=F("rating__kind"),
            rated_unit=F("rating__unit__name"),
        )
    )


# --- counts ------------------------------------------------------------------------------

# Only queues a count reads from an index alone: a status, or (difficult, status); the
# registered orders' review flag is read from the few rows of that status.
_COUNTED = {
    "pending": Q(status=Status.REGISTERED) & ~Q(state__in_review=True),
    "intake_review": _IN_REVIEW,
    "returned": Q(status=Status.RETURNED),
    "difficult": Q(difficult=True, status__in=DISPUTED),
    "review": Q(status=Status.REPLIED),
}


def queue_counts(*, viewer, queues) -> dict[str, int]:
    """How many orders wait in each named queue (names of ``_COUNTED``), each counted
    no further than ``COUNT_CAP + 1``."""
    orders = visible_orders(viewer=viewer)
    return {name: capped_count(orders.filter(_COUNTED[name])) for name in queues}


# --- what the rows of one page show ----------------------------------------------------


def suggestions_for(orders) -> dict[int, Suggestion | None]:
    """The dispatch catalogue's suggestion for each order of a page, in one look-up."""
    named = catalogue_suggestions(places=[(o.category, o.region) for o in orders])
    return {o.pk: named.get((o.category_id, o.region_id)) for o in orders}


@dataclass(frozen=True)
class ReturnNote:
    unit: str  # code
    reason: str
    at: datetime


def last_returns_for(orders) -> dict[int, ReturnNote]:
    """The latest return of each order of a page: which unit, why, when."""
    ids = [o.pk for o in orders]
    notes: dict[int, ReturnNote] = {}
    rows = Event.objects.filter(order_id__in=ids, type="return").order_by("order_id", "seq")
    for order_id, data, at in rows.values_list("order_id", "data", "at"):
        notes[order_id] = ReturnNote(data.get("unit", ""), data.get("reason", ""), at)
    return notes


def latest_replies_for(orders) -> dict[int, Reply]:
    ids = [o.pk for o in orders]
    latest: dict[int, Reply] = {}
    for reply in Reply.objects.filter(order_id__in=ids).select_related("unit").order_by("at", "id"):
        latest[reply.order_id] = reply
    return latest


def unit_names(codes) -> dict[str, str]:
    wanted = {c for c in codes if c}
    if not wanted:
        return {}
    return dict(Unit.objects.filter(code__in=wanted).values_list("code", "name"))


def assignable_units() -> QuerySet[Unit]:
    """The units an order may be dispatched to, for the plain unit list of the forms."""
    return Unit.objects.filter(active=True).only("code", "name").order_by("code")
