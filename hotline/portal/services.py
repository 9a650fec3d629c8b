"""The portal's two writes: a citizen's online request and their rating of the handling.

Nobody on the staff acts in either: like every write by the platform itself
(``actor=None`` in the order services), they are recorded without a staff actor, and
the event log shows them as coming from the system. The order services do the rest
(numbering, the register event; the callback and its projection).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from hotline.directory.models import Region
from hotline.domain.available_actions import citizen_may_rate
from hotline.domain.enums import CallbackResult, Channel, Status
from hotline.domain.errors import DomainError
from hotline.orders.models import Order
from hotline.orders.selectors import order_state
from hotline.orders.services.intake import CitizenInput, Intake, order_register
from hotline.orders.services.review import order_callback

# What a citizen may answer; "unreachable" is the office's result, not theirs.
CITIZEN_RESULTS = frozenset(
    {CallbackResult.SATISFIED, CallbackResult.BASICALLY_SATISFIED, CallbackResult.UNSATISFIED}
)


@dataclass(frozen=True)
class OnlineRequest:
    appeal_type: str
    content: str
    name: str
    phone: str
    region: Region | None = None
    address: str = ""
    confidential: bool = False


class RatingNotOpen(DomainError):
    code = "rating_not_open"


@transaction.atomic
def online_request_submit(*, request: OnlineRequest, at: datetime | None = None) -> Order:
    """Registers the request as an order of the website channel (SPEC 3)."""
    intake = Intake(
        channel=Channel.WEBSITE.value,
        appeal_type=request.appeal_type,
        content=request.content,
        region=request.region,
        address=request.address,
        citizen=CitizenInput(name=request.name, phone=request.phone),
        confidential=request.confidential,
    )
    return order_register(actor=None, intake=intake, at=at)


@transaction.atomic
def citizen_rate(*, order: Order, result: str, at: datetime | None = None) -> Order:
    """The citizen's own rating, recorded as the order's callback (SPEC 4: satisfied,
    basically satisfied, unsatisfied); once per order. An unsatisfied rating does not
    send the order back by itself: rework stays the office's decision."""
    try:
        outcome = CallbackResult(result)
    except ValueError:
        outcome = None
    if outcome not in CITIZEN_RESULTS:
        raise RatingNotOpen("请选择满意、基本满意或不满意")
    state = order_state(order)
    if not citizen_may_rate(state):
        if state.callback not in (None, CallbackResult.UNREACHABLE):
            raise RatingNotOpen("该工单已评价或已回访，不能重复评价")
        if state.status is Status.CLOSED:
            raise RatingNotOpen("该工单已归档，不能在线评价；如有意见，请拨打 12345")
        raise RatingNotOpen("工单办结后才能评价")
    # The version read above: a rating or callback recorded meanwhile makes this one stale.
    return order_callback(
        order=order, result=outcome.value, actor=None, at=at, expected_version=order.version
    )
