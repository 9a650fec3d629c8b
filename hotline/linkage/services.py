"""12345–110 linkage use cases (SPEC 3, 2026-12): the 110 system's token, a matter 110
hands over becoming a ``police_110`` order, and the order's conclusion fed back.

The feedback subscribes to the orders' bus like the notifications: when an order 110
handed over reaches its conclusion, a document for 110 is written to the outbox in the
same transaction, delivered to the configured endpoint and retried like every
notification (``notifications.delivery``).
"""

import json
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from hotline.directory.models import Region
from hotline.domain import linkage
from hotline.domain.enums import Channel
from hotline.domain.errors import DomainError
from hotline.domain.notification_rules import NoticeKind
from hotline.linkage.models import Handover, PoliceLine
from hotline.linkage.selectors import handover_of, handover_text
from hotline.notifications.models import Notification
from hotline.notifications.outbox import notify_system
from hotline.orders.bus import EventRecorded
from hotline.orders.services.intake import CitizenInput, Intake, order_register
from hotline.security.tokens import new_token

RECIPIENT = "police_110"


class LinkageError(DomainError):
    code = "linkage_error"


@dataclass(frozen=True)
class IssuedToken:
    line: PoliceLine
    token: str  # shown once; only its digest is stored


@transaction.atomic
def police_line_create(*, name: str) -> IssuedToken:
    name = name.strip()
    if not name:
        raise LinkageError("请填写110系统的名称")
    if PoliceLine.objects.filter(name=name).exists():
        raise LinkageError(f"已有名为「{name}」的110系统")
    issued = new_token()
    line = PoliceLine.objects.create(name=name, token_hash=issued.digest, token_hint=issued.hint)
    return IssuedToken(line, issued.token)


@dataclass(frozen=True)
class HandoverRequest:
    """What 110 sends about one matter."""

    police_ref: str
    content: str
    appeal_type: str = "other"
    address: str = ""
    region: Region | None = None
    caller_name: str = ""
    caller_phone: str = ""
    note: str = ""
    urgent: bool = False


@dataclass(frozen=True)
class HandedOver:
    handover: Handover
    repeated: bool  # 110 sent this reference before: the same order, nothing new


@transaction.atomic(durable=True)
def police_handover(
    *, line: PoliceLine, request: HandoverRequest, at: datetime | None = None
) -> HandedOver:
    """Registers the matter as a ``police_110`` order waiting for intake review (the
    operators classify it), once per 110 reference."""
    known = handover_of(line=line, police_ref=request.police_ref)
    if known is not None:
        return HandedOver(known, repeated=True)
    at = at or timezone.now()
    intake = Intake(
        channel=Channel.POLICE_110.value,
        appeal_type=request.appeal_type,
        content=request.content,
        region=request.region,
        address=request.address,
        citizen=CitizenInput(name=request.caller_name, phone=request.caller_phone),
        urgent=request.urgent,
        review=True,
    )
    order = order_register(actor=None, intake=intake, at=at)
    try:
        # A concurrent repeat of the same reference trips the unique constraint.
        with transaction.atomic():
            handover = Handover.objects.create(
                line=line,
                police_ref=request.police_ref,
                order=order,
                note=request.note,
                received_at=at,
            )
    except IntegrityError:
        raise LinkageError(f"110警情编号 {request.police_ref} 正在登记，请稍后重试") from None
    return HandedOver(handover, repeated=False)


def feedback_on_conclusion(recorded: EventRecorded) -> None:
    """The conclusion of an order 110 handed over, queued for 110 (once per event)."""
    order = recorded.order
    if order.channel != Channel.POLICE_110 or not linkage.concluded_now(
        recorded.before, recorded.after
    ):
        return
    handover = handover_of(order=order)
    if handover is None:  # registered as police_110 by hand: nobody to tell
        return
    after = recorded.after
    text, unit = handover_text(order=order, event=recorded.event, state=after)
    document = linkage.feedback(
        number=order.number,
        police_ref=handover.police_ref,
        state=after,
        text=text,
        unit=unit,
        at=recorded.event.at,
    )
    notify_system(
        order,
        NoticeKind.FEEDBACK_110,
        recipient=RECIPIENT,
        channel=Notification.Channel.POLICE,
        address=settings.HOTLINE_110_FEEDBACK_URL,
        reference=f"event:{recorded.seq}",
        text=json.dumps(document, ensure_ascii=False, sort_keys=True),
        at=recorded.event.at,
    )
