"""The order page's read: one order in full (fields, assignments, side records and a
readable timeline). It starts from the viewer, so a unit handler cannot open another
unit's order. The timeline's wording is ``timeline``, the search ``search``, what the
viewer may do now ``action_panel``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from hotline.directory.selectors import Suggestion, catalogue_suggestion
from hotline.domain import enums
from hotline.domain.deadline_watch import signed_late
from hotline.domain.discipline import forwarding_only
from hotline.domain.lifecycle import OrderState
from hotline.orders.models import Assignment, Order
from hotline.orders.selectors import order_history, order_state, visible_orders
from hotline.orders.selectors.timeline import (
    TimelineEntry,
    event_unit_codes,
    timeline_entry,
    unit_names,
)

SYSTEM = "系统"
# The orders merged into or split from one order that its page lists at most.
LINKED_MAX = 100


# --- one order in full ----------------------------------------------------------------


@dataclass
class OrderDetail:
    order: Order
    state: OrderState
    category_path: list[str]
    region_path: list[str]
    assignments: list[Assignment]
    co_units: list[str]  # names, from the state
    timeline: list[TimelineEntry]
    replies: list = field(default_factory=list)
    callbacks: list = field(default_factory=list)
    extensions: list = field(default_factory=list)
    supervisions: list = field(default_factory=list)
    instructions: list = field(default_factory=list)
    violations: list | None = None  # None: not shown to this viewer
    merged_orders: list[str] = field(default_factory=list)
    split_orders: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    discipline_shown: bool = True
    # The citizen's own rating from the portal (not a callback); None until given.
    citizen_rating: object | None = None
    # SPEC 4 (2026-12): the units' contacts with the citizen, first first.
    contacts: list = field(default_factory=list)
    signed_late: bool = False  # 签收超时 (domain.deadline_watch.signed_late)
    # SPEC 2 (2026-12): what the current dispatch catalogue names for the order, with its
    # basis — the dispatcher's suggestion, and the unit's answer to "why us".
    catalogue: Suggestion | None = None

    # SPEC 4 (2026-12): the units' three-way call requests not yet connected.
    three_way_waiting: list = field(default_factory=list)

    @property
    def forwarding_flag(self) -> bool:
        """SPEC 6 (2026-12): the reply under review reads as 二传手, for the reviewer
        to confirm or not."""
        return (
            self.state.status is enums.Status.REPLIED
            and bool(self.replies)
            and forwarding_only(self.replies[-1].text)
        )


# The lead first, then the co-units, then the sub-unit handling it for the lead.
_ROLE_ORDER = {role.value: rank for rank, role in enumerate(enums.AssignmentRole)}


def _path(item) -> list[str]:
    names = []
    while item is not None:
        names.append(item.name)
        item = item.parent
    return names[::-1]


def _sees_discipline(viewer) -> bool:
    """SPEC 6: what the citizen said about pressure or leaks, and the violations it
    raised, stay with the office; the unit concerned does not see who said what."""
    return viewer.role != enums.Role.UNIT_HANDLER


def order_detail(*, number: str, viewer, now: datetime | None = None) -> OrderDetail:
    """Raises ``Order.DoesNotExist`` for an order the viewer may not see."""
    # The paths up the two trees come along (categories are 3 deep, regions 4).
    order = (
        visible_orders(viewer=viewer)
        .select_related(
            "category__parent__parent",
            "region__parent__parent__parent",
            "lead_unit",
            "sub_unit",
            "citizen",
            "merged_into",
            "split_from",
            "citizen_rating",
        )
        .prefetch_related("tags")
        .get(number=number)
    )
    state = order_state(order)
    events = list(order_history(order=order))
    names = unit_names(event_unit_codes(events) | set(state.co_units))
    discipline = _sees_discipline(viewer)
    visible = visible_orders(viewer=viewer)
    detail = OrderDetail(
        order=order,
        state=state,
        category_path=_path(order.category),
        region_path=_path(order.region),
        assignments=sorted(
            order.assignments.filter(ended_at__isnull=True).select_related("unit"),
            key=lambda a: (_ROLE_ORDER.get(a.role, 9), a.assigned_at, a.pk),
        ),
        co_units=[names.get(code, code) for code in state.co_units],
        timeline=[timeline_entry(e, names, discipline=discipline) for e in events],
        replies=list(order.replies.select_related("unit").order_by("at", "id")),
        callbacks=list(order.callbacks.select_related("unit", "agent").order_by("at", "id")),
        extensions=list(order.extensions.select_related("unit").order_by("requested_at", "id")),
        supervisions=list(order.supervisions.select_related("by", "unit").order_by("at", "id")),
        instructions=list(order.instructions.select_related("by").order_by("at", "id")),
        contacts=list(order.contacts.select_related("unit").order_by("at", "id")),
        three_way_waiting=list(
            order.three_way_calls.filter(called_at__isnull=True)
            .select_related("unit")
            .order_by("requested_at", "id")
        ),
        signed_late=signed_late(state, now or timezone.now()),
        catalogue=catalogue_suggestion(category=order.category, region=order.region),
        violations=(
            list(order.violations.select_related("unit").order_by("at", "id"))
            if discipline
            else None
        ),
        merged_orders=list(
            visible.filter(merged_into=order)
            .order_by("received_at", "id")
            .values_list("number", flat=True)[:LINKED_MAX]
        ),
        split_orders=list(
            visible.filter(split_from=order)
            .order_by("received_at", "id")
            .values_list("number", flat=True)[:LINKED_MAX]
        ),
        tags=[tag.name for tag in order.tags.all()],
        discipline_shown=discipline,
        # A missing one-to-one row raises an AttributeError subclass: None then.
        citizen_rating=getattr(order, "citizen_rating", None),
    )
    return detail
