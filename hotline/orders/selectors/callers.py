"""Repeat callers (SPEC 3: recognised by phone): what a caller asked before and the
names given for that phone, shown to the operator while the call is on."""

from dataclasses import dataclass

from hotline.domain.masking import mask_name
from hotline.orders.models import Citizen, Order
from hotline.orders.selectors import visible_orders

EARLIER_ORDERS_SHOWN = 10
NAMES_SHOWN = 20


@dataclass(frozen=True)
class CallerHistory:
    orders: list[Order]  # newest first
    more: bool  # the caller has older orders than those listed
    # The names given for this phone, first given first, masked (王**) as every name
    # on a page is until it is revealed.
    names: list[str]


def caller_orders(*, viewer, phone: str, limit: int = EARLIER_ORDERS_SHOWN) -> CallerHistory:
    """The orders registered for citizens with exactly this phone number, newest first."""
    if not phone:
        return CallerHistory([], False, [])
    citizens = Citizen.objects.filter(phone=phone).values("pk")
    names = Citizen.objects.filter(phone=phone).exclude(name="").order_by("id")
    names = list(dict.fromkeys(mask_name(n) for n in names.values_list("name", flat=True)))
    names = names[:NAMES_SHOWN]
    found = list(
        visible_orders(viewer=viewer)
        .filter(citizen_id__in=citizens)
        .select_related("category", "citizen")
        .order_by("-received_at", "-pk")[: limit + 1]
    )
    return CallerHistory(found[:limit], len(found) > limit, names)
