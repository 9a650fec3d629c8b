"""The notification outbox.

A notification is written in the same transaction as the event (or the deadline-watch
step) that implies it, with its text and address as they were then, and is delivered
afterwards by the delivery job, which marks it sent, skipped (no address) or, after a
failed try, due again later with the error kept. Nothing is deleted: the outbox is the
record of who was told what and when.
"""

from django.db import models
from django.db.models import Q

from hotline.domain.notification_rules import NoticeKind


class Notification(models.Model):
    class Channel(models.TextChoices):
        SMS = "sms", "短信"
        EMAIL = "email", "电子邮件"
        # SPEC 3 (2026-12): a JSON document posted to the 110 system's feedback endpoint.
        POLICE = "police", "110接口"

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENT = "sent", "已发送"
        SKIPPED = "skipped", "无联系方式"

    # None: a notice to the office's own staff about no order (SPEC 4: the year-end
    # calendar warning), whose recipient is "user:<username>".
    order = models.ForeignKey(
        "orders.Order",
        verbose_name="工单",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
        db_index=False,
    )
    kind = models.CharField("类型", max_length=12, choices=NoticeKind.choices())
    # "unit:<code>" or "citizen": with the reference, it keys the notification once.
    recipient = models.CharField("接收方", max_length=48)
    unit = models.ForeignKey(
        "directory.Unit",
        verbose_name="接收单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    channel = models.CharField("方式", max_length=8, choices=Channel.choices)
    address = models.CharField("号码或邮箱", max_length=254, blank=True)
    # What it is about: the event ("event:7") or the deadline it warns of.
    reference = models.CharField("依据", max_length=40)
    subject = models.CharField("标题", max_length=200)
    text = models.TextField("内容")
    created_at = models.DateTimeField("生成时间")
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField("发送次数", default=0)
    next_attempt_at = models.DateTimeField("下次发送时间")
    # A delivery run claims a notification until this time; a run that died leaves the
    # claim to expire, and the notification is tried again.
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    last_error = models.TextField("最近一次错误", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "通知"
        constraints = [
            models.UniqueConstraint(
                fields=["order", "kind", "recipient", "channel", "reference"],
                name="notification_once",
            ),
            # Without an order (NULLs are distinct in a unique index), keyed without it.
            models.UniqueConstraint(
                fields=["kind", "recipient", "channel", "reference"],
                condition=Q(order__isnull=True),
                name="notification_once_office",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="notification_due",
                condition=Q(status="pending"),
            ),
            models.Index(fields=["created_at"], name="notification_created"),
            models.Index(fields=["claim"], name="notification_claim", condition=~Q(claim="")),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient}"
