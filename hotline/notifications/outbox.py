"""Writing notifications into the outbox, inside the caller's transaction.

Live work calls ``notify_event`` for each event it records (history import does not:
an imported past tells nobody), the deadline watch calls ``notify_deadline``. Each row
is keyed (order, kind, recipient, channel, reference), so writing the same notice twice
writes it once. After the transaction commits, the delivery job is started.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from django.db import transaction

from hotline.directory.models import Unit
from hotline.domain.lifecycle import OrderState
from hotline.domain.notification_rules import Notice, NoticeKind, implied
from hotline.notifications.models import Notification
from hotline.notifications.texts import message
from hotline.orders.models import Citizen, Order

CITIZEN = "citizen"


def notify_event(order: Order, before: OrderState, after: OrderState, *, seq: int) -> None:
    """The notifications the order's event number ``seq`` implies."""
    notices = implied(before, after)
    if notices:
        _write(order, notices, reference=f"event:{seq}", deadline=after.deadline, at=after.last_at)


def notify_deadline(order: Order, kind: NoticeKind, *, unit: str, deadline: datetime, at) -> None:
    """A deadline warning to ``unit`` (a code), once per order, kind and deadline."""
    reference = deadline.astimezone(UTC).isoformat()
    _write(order, [Notice(kind, unit)], reference=reference, deadline=deadline, at=at)


def notify_supervision_leader(order: Order, *, unit: Unit, deadline: datetime, at) -> None:
    """SPEC 4 (2026-12): a red supervision left unanswered goes to the unit's leader
    (the unit's own contacts when no leader's are known), once per answer deadline."""
    subject, text = message(NoticeKind.SUPERVISION_LEADER, number=order.number, deadline=deadline)
    leader = [
        (channel, address)
        for channel, address in (
            (Notification.Channel.SMS, unit.leader_phone),
            (Notification.Channel.EMAIL, unit.leader_email),
        )
        if address
    ]
    rows = [
        Notification(
            order=order,
            kind=NoticeKind.SUPERVISION_LEADER.value,
            recipient=f"leader:{unit.code}",
            unit=unit,
            channel=channel,
            address=address,
            reference=deadline.astimezone(UTC).isoformat(),
            subject=subject,
            text=text,
            created_at=at,
            next_attempt_at=at,
        )
        for channel, address in leader or _addresses(unit, "")
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    transaction.on_commit(_start_delivery, robust=True)


def _write(
    order: Order, notices: Iterable[Notice], *, reference: str, deadline, at: datetime
) -> None:
    notices = list(notices)
    units = Unit.objects.in_bulk([n.unit for n in notices if n.unit], field_name="code")
    phone = ""
    if order.citizen_id and any(n.for_citizen for n in notices):
        phone = Citizen.objects.values_list("phone", flat=True).get(pk=order.citizen_id)
    rows = []
    for notice in notices:
        subject, text = message(notice.kind, number=order.number, deadline=deadline)
        unit = units.get(notice.unit) if notice.unit else None
        for channel, address in _addresses(unit, phone):
            rows.append(
                Notification(
                    order=order,
                    kind=notice.kind.value,
                    recipient=f"unit:{notice.unit}" if notice.unit else CITIZEN,
                    unit=unit,
                    channel=channel,
                    address=address,
                    reference=reference,
                    subject=subject,
                    text=text,
                    created_at=at,
                    next_attempt_at=at,
                )
            )
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    transaction.on_commit(_start_delivery, robust=True)


def _addresses(unit: Unit | None, citizen_phone: str) -> list[tuple[str, str]]:
    """(channel, address) pairs; with none known, one SMS without a number, recorded
    as skipped when delivered, so that the outbox still shows who was not told."""
    if unit is None:
        return [(Notification.Channel.SMS, citizen_phone)]
    found = [
        (channel, address)
        for channel, address in (
            (Notification.Channel.SMS, unit.notify_phone),
            (Notification.Channel.EMAIL, unit.notify_email),
        )
        if address
    ]
    return found or [(Notification.Channel.SMS, "")]


def _start_delivery() -> None:
    from hotline.jobs import enqueue

    enqueue("notifications_deliver")
