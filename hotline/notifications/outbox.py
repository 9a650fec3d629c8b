"""Writing notifications into the outbox, inside the caller's transaction.

Both writers subscribe to the orders' bus (``NotificationsConfig.ready``):
``notify_event`` hears each event live work records (history import publishes nothing:
an imported past tells nobody), ``notify_deadline`` each warning the deadline watch
marks. Each row is keyed (order, kind, recipient, channel, reference), so writing the
same notice twice writes it once. After the transaction commits, the delivery job is
started.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from django.db import transaction

from hotline.directory.models import Unit
from hotline.domain import events as ev
from hotline.domain.notification_rules import Notice, NoticeKind, implied
from hotline.jobs import enqueue
from hotline.notifications.models import Notification
from hotline.notifications.texts import message
from hotline.orders.bus import DeadlineReached, EventRecorded
from hotline.orders.models import Citizen, Order

CITIZEN = "citizen"


def notify_event(recorded: EventRecorded) -> None:
    """The notifications the recorded event implies; registering an order tells nobody."""
    if recorded.before is None:
        return
    after = recorded.after
    notices = implied(recorded.before, after)
    if notices:
        reference = f"event:{recorded.seq}"
        _write(
            recorded.order, notices, reference=reference, deadline=after.deadline, at=after.last_at
        )


def notify_merged_callers(recorded: EventRecorded) -> None:
    """SPEC 3 (2026-12): each caller merged into the order hears what its own citizen
    hears of it (its reply), under the merged order's own number, which tracks the
    main order on the portal."""
    if recorded.before is None:
        return
    notices = [n for n in implied(recorded.before, recorded.after) if n.for_citizen]
    if not notices:
        return
    merged = (
        Order.objects.filter(merged_into=recorded.order, citizen__isnull=False)
        .select_related("citizen")
        .only("pk", "number", "citizen__phone")
    )
    reference = f"main:{recorded.order.number}:{recorded.seq}"
    at, deadline = recorded.after.last_at, recorded.after.deadline
    rows = [
        _notification(
            caller,
            notice,
            unit=None,
            channel=Notification.Channel.SMS,
            address=caller.citizen.phone,
            reference=reference,
            deadline=deadline,
            at=at,
        )
        for caller in merged
        for notice in notices
    ]
    if rows:
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        transaction.on_commit(_start_delivery, robust=True)


def notify_deadline(reached: DeadlineReached) -> None:
    """A deadline warning to the unit, once per order, kind and deadline."""
    reference = reached.deadline.astimezone(UTC).isoformat()
    _write(
        reached.order,
        [Notice(reached.kind, reached.unit)],
        reference=reference,
        deadline=reached.deadline,
        at=reached.at,
    )


def notify_staff(kind: NoticeKind, *, users, reference: str, subject: str, text: str, at) -> int:
    """A notice about no order to each of ``users`` (by e-mail), once per kind, user and
    reference; returns how many rows were new."""
    rows = [
        Notification(
            order=None,
            kind=kind.value,
            recipient=f"user:{user.username}",
            channel=Notification.Channel.EMAIL,
            address=user.email,
            reference=reference,
            subject=subject,
            text=text,
            created_at=at,
            next_attempt_at=at,
        )
        for user in users
    ]
    before = Notification.objects.filter(kind=kind.value, reference=reference).count()
    _queue(rows)
    return Notification.objects.filter(kind=kind.value, reference=reference).count() - before


def notify_system(
    order: Order,
    kind: NoticeKind,
    *,
    recipient: str,
    channel: str,
    address: str,
    reference: str,
    text: str,
    at: datetime,
) -> None:
    """A document for a connected system about ``order`` (SPEC 3, 2026-12: the feedback
    to 110), delivered and retried like every notification; once per key."""
    subject, _ = message(kind, number=order.number, deadline=None)
    row = Notification(
        order=order,
        kind=kind.value,
        recipient=recipient,
        channel=channel,
        address=address,
        reference=reference,
        subject=subject,
        text=text,
        created_at=at,
        next_attempt_at=at,
    )
    _queue([row])


def notify_supervision_leader(recorded: EventRecorded) -> None:
    """SPEC 4 (2026-12): a red supervision left unanswered goes to the unit's leader
    (the unit's own contacts when no leader's are known), once per answer deadline: the
    escalation that reaches past red says so (``leader``)."""
    event = recorded.event
    if not isinstance(event, ev.SupervisionEscalate) or not event.leader:
        return
    order, at = recorded.order, event.at
    unit = Unit.objects.get(code=event.unit)
    deadline = recorded.before.supervision_due
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
    _queue(rows)


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
        unit = units.get(notice.unit) if notice.unit else None
        for channel, address in _addresses(unit, phone):
            rows.append(
                _notification(
                    order,
                    notice,
                    unit=unit,
                    channel=channel,
                    address=address,
                    reference=reference,
                    deadline=deadline,
                    at=at,
                )
            )
    _queue(rows)


def _notification(
    order: Order, notice: Notice, *, unit, channel, address, reference, deadline, at
) -> Notification:
    subject, text = message(notice.kind, number=order.number, deadline=deadline)
    return Notification(
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


def _queue(rows: list[Notification]) -> None:
    """Writes the rows (a row already written, by its key, is left as it is) and has
    the delivery job started once the transaction commits."""
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    transaction.on_commit(_start_delivery, robust=True)


def _start_delivery() -> None:
    enqueue("notifications_deliver")
