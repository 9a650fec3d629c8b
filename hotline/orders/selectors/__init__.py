"""Reads of orders, always through the viewer so that scoping is structural
(SPEC 6: a unit sees only its own orders)."""

from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.fields.json import KT

from hotline.directory.selectors import unit_family_ids
from hotline.domain.enums import Role
from hotline.domain.lifecycle import OrderState
from hotline.domain.serialization import from_json
from hotline.orders.models import Assignment, Event, Order

# A tab shows how many orders wait in it up to this many, then "999+": counting stops
# there, so a tab's count reads at most this many index entries however long the queue.
COUNT_CAP = 999


def capped_count(orders: QuerySet) -> int:
    """How many rows ``orders`` has, counting no further than ``COUNT_CAP + 1``."""
    return orders.order_by().values("pk")[: COUNT_CAP + 1].count()


def visible_orders(*, viewer) -> QuerySet[Order]:
    orders = Order.objects.all()
    if viewer.role != Role.UNIT_HANDLER:
        return orders
    # The viewer is the request's user: its unit's family is looked up once per request,
    # however many lists and counts a page draws.
    family = viewer.__dict__.get("unit_family")
    if family is None:
        family = viewer.__dict__["unit_family"] = unit_family_ids(viewer.unit)
    # Units see orders they lead or handle now, and those they hold a current part in.
    part = Assignment.objects.filter(
        order=OuterRef("pk"), unit_id__in=family, ended_at__isnull=True
    )
    return orders.filter(Exists(part))


def overdue_now(now: datetime) -> Q:
    """Of the orders in progress, those overdue now: past the deadline in force with
    the clock running, or overdue earlier whatever moved the deadline since (SPEC 4,
    2026-12: an extension or a pause after the deadline does not erase it). The state
    is the one after the order's last event, so it answers only for a ``now`` after it."""
    return Q(paused=False, deadline__lt=now) | Q(state__overdue=True, updated_at__lte=now)


def order_get(*, number: str, viewer) -> Order:
    """Raises ``Order.DoesNotExist`` for an order the viewer may not see."""
    return (
        visible_orders(viewer=viewer)
        .select_related("category", "region", "lead_unit", "sub_unit", "citizen")
        .get(number=number)
    )


def online_answer_text() -> Subquery:
    """SPEC 3 (2026-12): the answer an operator wrote at intake for the order of the
    outer query (its ``answer`` event's text; "" or None when the answer was spoken),
    which the order's channel carries back to the citizen."""
    answers = Event.objects.filter(order=OuterRef("pk"), type="answer")
    return Subquery(answers.annotate(text=KT("data__text")).values("text")[:1])


def online_answer(*, order: Order) -> tuple[str, datetime] | None:
    """The written intake answer of ``order`` and when it was given, if any."""
    written = _events_in_memory(order)
    if written is not None:
        answers = [(e.data.get("text"), e.at) for e in written if e.type == "answer"]
        row = answers[0] if answers else None
    else:
        row = order.events.filter(type="answer").values_list("data__text", "at").first()
    return (row[0], row[1]) if row and row[0] else None


def order_state(order: Order) -> OrderState:
    # The state the recording just wrote is kept beside its JSON (``recording``), and
    # holds while ``order.state`` is that very JSON: the answer to a write reads it
    # without parsing the JSON back.
    kept = order.__dict__.get("_kept_state")
    if kept is not None and kept[0] is order.state:
        return kept[1]
    return from_json(OrderState, order.state)


def order_history(*, order: Order) -> list[Event]:
    written = _events_in_memory(order)
    if written is not None:
        return written
    return list(order.events.select_related("actor").order_by("seq"))


def _events_in_memory(order: Order) -> list[Event] | None:
    """The events of an order registered in this request, kept as written (with their
    actor) by the recording; None for an order read from the database."""
    if "events" not in order.__dict__.get("_prefetched_objects_cache", {}):
        return None
    return sorted(order.events.all(), key=lambda event: event.seq)


def unit_inbox(*, viewer, statuses: list[str] | None = None) -> QuerySet[Order]:
    orders = visible_orders(viewer=viewer)
    if statuses:
        orders = orders.filter(status__in=statuses)
    return orders.order_by("deadline", "id")
