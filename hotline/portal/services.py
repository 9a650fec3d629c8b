"""The portal's two writes: a citizen's online request (with its photos) and their
rating of the handling.

Nobody on the staff acts in either. The online request becomes an order through the
order services, like every write by the platform itself (``actor=None``: the event
log shows it as coming from the system). The rating is the portal's own record: it is
not a callback and leaves the order, its event log and the callback figures untouched.
"""

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from hotline.attachments.services import check_photos, order_with_photos
from hotline.directory.models import Region
from hotline.domain import citizen_rating
from hotline.domain.enums import Channel
from hotline.domain.redaction import redact
from hotline.orders.models import Order
from hotline.orders.services.intake import CitizenInput, Intake, order_register
from hotline.portal.models import CitizenRating


@dataclass(frozen=True)
class OnlineRequest:
    appeal_type: str
    content: str
    name: str
    phone: str
    region: Region | None = None
    address: str = ""
    confidential: bool = False


def online_request_submit(
    *, request: OnlineRequest, photos: Sequence[File] = (), at: datetime | None = None
) -> Order:
    """Registers the request as an order of the website channel (SPEC 3) with up to three
    photos; a refused photo writes nothing."""
    checked = check_photos(photos)
    at = at or timezone.now()
    intake = Intake(
        channel=Channel.WEBSITE.value,
        appeal_type=request.appeal_type,
        content=request.content,
        region=request.region,
        address=request.address,
        citizen=CitizenInput(name=request.name, phone=request.phone),
        confidential=request.confidential,
        review=True,  # SPEC 3 (2026-12): the operators classify it first
    )
    return order_with_photos(
        lambda: order_register(actor=None, intake=intake, at=at), checked, at=at
    )


def _ip(address: str | None) -> str | None:
    """The client address when it is one; anything else is not kept."""
    try:
        return str(ipaddress.ip_address((address or "").strip()))
    except ValueError:
        return None


def _already_rated(order_id: int) -> bool:
    return CitizenRating.objects.filter(order_id=order_id).exists()


@transaction.atomic(durable=True)
def citizen_rate(
    *,
    order: Order,
    result: str,
    comment: str,
    address: str | None,
    at: datetime | None = None,
) -> CitizenRating:
    """Records the citizen's rating of ``order`` (once, once it is concluded or closed;
    ``hotline.domain.citizen_rating``). ``address`` is the client's address. An
    unsatisfied rating sends nothing back by itself: rework stays the office's decision."""
    outcome = citizen_rating.parse_result(result)
    # Staff of every role that sees the order read the comment, units of a confidential
    # order included: a phone or ID number typed into it is masked before it is kept.
    text = redact(citizen_rating.check_comment(comment))
    # The order row is locked so that its status cannot change under the check.
    row = Order.objects.select_for_update().only("id", "status", "disposition").get(pk=order.pk)
    citizen_rating.check_rateable(
        status=row.status, disposition=row.disposition, rated=_already_rated(row.pk)
    )
    try:
        # A rating stored meanwhile by another request trips the unique order column.
        with transaction.atomic():
            return CitizenRating.objects.create(
                order=order,
                result=outcome.value,
                comment=text,
                at=at or timezone.now(),
                address=_ip(address),
            )
    except IntegrityError:
        raise citizen_rating.AlreadyRated() from None
