"""The delivery job: sends what the outbox holds that is due.

Rows are claimed for a while before sending (a conditional update, so two runs never
take the same row), sent outside any transaction, then marked. A run that dies after
sending and before marking leaves the claim to expire and the row is sent again: a
notification is delivered at least once, never lost.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from django.db.models import F, Q
from django.utils import timezone

from hotline.domain.notification_rules import retry_after
from hotline.notifications.channels import sender
from hotline.notifications.models import Notification

logger = logging.getLogger(__name__)

CLAIM_FOR = timedelta(minutes=5)
BATCH = 100
ERROR_KEPT = 2000  # characters of the last error kept on the row


def notifications_deliver(*, now: datetime | None = None) -> str:
    sent = skipped = failed = 0
    while batch := _claim(now or timezone.now()):
        for notification in batch:
            outcome = _deliver(notification, now or timezone.now())
            sent += outcome == Notification.Status.SENT
            skipped += outcome == Notification.Status.SKIPPED
            failed += outcome == Notification.Status.PENDING
    return f"发送 {sent} 条，无联系方式 {skipped} 条，失败待重试 {failed} 条"


def _claim(now: datetime) -> list[Notification]:
    due = Notification.objects.filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
        status=Notification.Status.PENDING,
        next_attempt_at__lte=now,
    )
    ids = list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:BATCH])
    if not ids:
        return []
    token = uuid.uuid4().hex
    due.filter(pk__in=ids).update(claim=token, claimed_until=now + CLAIM_FOR)
    return list(Notification.objects.filter(claim=token).order_by("pk"))


def _deliver(notification: Notification, now: datetime) -> str:
    done = Notification.objects.filter(pk=notification.pk)
    if not notification.address:
        logger.info("%s 无联系方式，未发送：%s", notification.recipient, notification.text)
        done.update(status=Notification.Status.SKIPPED, claim="", claimed_until=None)
        return Notification.Status.SKIPPED
    try:
        sender(notification.channel).send(
            to=notification.address, subject=notification.subject, text=notification.text
        )
    except Exception as error:  # a gateway or SMTP failure of any kind: try again later
        attempts = notification.attempts + 1
        logger.warning("通知 %s 第 %d 次发送失败：%s", notification.pk, attempts, error)
        done.update(
            attempts=F("attempts") + 1,
            last_error=f"{type(error).__name__}: {error}"[:ERROR_KEPT],
            next_attempt_at=now + retry_after(attempts),
            claim="",
            claimed_until=None,
        )
        return Notification.Status.PENDING
    done.update(
        status=Notification.Status.SENT,
        sent_at=now,
        attempts=F("attempts") + 1,
        claim="",
        claimed_until=None,
    )
    return Notification.Status.SENT
