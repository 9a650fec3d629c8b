"""Categories and orders as GeoReport v2 services and service requests.

Status: GeoReport knows ``open`` and ``closed``; an order is closed once archived
(or merged into another). The FixMyStreet extension ``extended_attributes.status``
says more, from its vocabulary (lower-cased):

| order | extended status |
| --- | --- |
| registered | open |
| dispatched (awaiting the unit's sign-for) | action_scheduled |
| returned (the unit sent it back; the office reassigns it) | internal_referral |
| in_progress, replied (reply under review) | in_progress |
| concluded (reply accepted, callback pending) | fixed |
| merged | duplicate |
| closed after handling | fixed |
| closed, answered at intake | closed |
| closed, not accepted | not_councils_responsibility |
| closed, transferred to 110/119/120/122 | not_councils_responsibility |

A public document never carries the citizen's name or phone; what the citizen wrote
(the description, the address) and the reply are redacted (``domain.redaction``), and a
confidential order or a 举报 is never shown at all (``selectors.public_requests``).
"""

from datetime import datetime

from hotline.directory.models import Category
from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.enums import Disposition, Status
from hotline.domain.redaction import redact
from hotline.open311.selectors import CLOSED_STATUSES
from hotline.orders.models import Order

EXTENDED_STATUS = {
    Status.REGISTERED: "open",
    Status.DISPATCHED: "action_scheduled",
    Status.RETURNED: "internal_referral",
    Status.IN_PROGRESS: "in_progress",
    Status.REPLIED: "in_progress",
    Status.CONCLUDED: "fixed",
    Status.MERGED: "duplicate",
}
CLOSED_AS = {
    Disposition.ANSWERED: "closed",
    Disposition.REJECTED: "not_councils_responsibility",
    # SPEC 3 (2026-12): handed to 110/119/120/122, another service's matter.
    Disposition.TRANSFERRED: "not_councils_responsibility",
    Disposition.HARASSMENT: "no_further_action",
    Disposition.INVALID: "no_further_action",
}


def extended_status(status: str, disposition: str) -> str:
    if status == Status.CLOSED:
        return CLOSED_AS.get(Disposition(disposition), "fixed") if disposition else "fixed"
    return EXTENDED_STATUS[Status(status)]


def w3c(moment: datetime | None) -> str | None:
    return moment.astimezone(LOCAL_TZ).isoformat(timespec="seconds") if moment else None


def _group(category: Category) -> Category:
    while category.parent is not None:
        category = category.parent
    return category


def _path(category: Category) -> str:
    names = []
    node = category
    while node is not None:
        names.append(node.name)
        node = node.parent
    return " / ".join(reversed(names))


def service_row(category: Category, keywords: list[str]) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": _path(category),
        "metadata": False,
        "type": "realtime",
        "keywords": ",".join(keywords),
        "group": _group(category).name,
    }


def service_definition(category: Category) -> dict:
    return {"service_code": category.code, "attributes": []}


def request_row(order: Order) -> dict:
    reply = getattr(order, "accepted_reply", None)
    return {
        "service_request_id": order.number,
        "status": "closed" if order.status in CLOSED_STATUSES else "open",
        "status_notes": redact(reply) if reply else None,
        "service_name": order.category.name if order.category else None,
        "service_code": order.category.code if order.category else None,
        "description": redact(order.content),
        "agency_responsible": order.lead_unit.name if order.lead_unit else None,
        "service_notice": Status(order.status).label,
        "requested_datetime": w3c(order.received_at),
        "updated_datetime": w3c(order.updated_at),
        "expected_datetime": w3c(order.deadline),
        "address": redact(order.address) or None,
        "address_id": None,
        "zipcode": None,
        "lat": order.latitude,
        "long": order.longitude,
        "media_url": None,
        "extended_attributes": {"status": extended_status(order.status, order.disposition)},
    }


def created_row(order: Order) -> dict:
    return {
        "service_request_id": order.number,
        "service_notice": f"已受理，工单编号 {order.number}，可凭编号和手机号查询办理进度",
        "account_id": None,
    }
