from django.conf import settings
from django.db import models
from django.db.models import Q

from hotline.domain.campaigns import CampaignResult
from hotline.domain.telephony import CALL_STATUS_LABELS, CALLBACK_RESULT_LABELS, CallEventKind


class Call(models.Model):
    """One telephone call from the telephony system (SPEC 8): imported after the fact
    (``hotline import calls``) or kept up to date from the switch's live events."""

    class Status(models.TextChoices):
        RINGING = "ringing", CALL_STATUS_LABELS["ringing"]
        ANSWERED = "answered", CALL_STATUS_LABELS["answered"]
        ENDED = "ended", CALL_STATUS_LABELS["ended"]
        MISSED = "missed", CALL_STATUS_LABELS["missed"]

    # Unique by a constraint in Meta, not ``unique=True``: that would add a second index
    # for LIKE searches, which nothing makes, to every insert's work.
    external_id = models.CharField("来电编号", max_length=40)
    started_at = models.DateTimeField("来电时间")
    # Found by ``call_caller_started``, whose first column it is: an index of its own
    # (two, with the one for LIKE) only cost every insert.
    caller = models.CharField("来电号码", max_length=20)
    answered = models.BooleanField("已接听")
    agent = models.CharField("坐席", max_length=40, blank=True)
    wait_seconds = models.PositiveIntegerField("等待秒数", null=True, blank=True)
    talk_seconds = models.PositiveIntegerField("通话秒数", null=True, blank=True)
    # Live telephony (SPEC 8, 2026-12). An imported record is finished: ended or missed.
    status = models.CharField("状态", max_length=10, choices=Status.choices, default="ended")
    callee = models.CharField("被叫号码", max_length=20, blank=True)
    queue = models.CharField("队列", max_length=40, blank=True)
    recording = models.URLField("录音地址", max_length=500, blank=True)
    answered_at = models.DateTimeField("接听时间", null=True, blank=True)
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "来电记录"
        constraints = [models.UniqueConstraint(fields=["external_id"], name="call_external_id")]
        indexes = [
            # The period's call figures read these columns alone (an index-only scan
            # on PostgreSQL; other databases leave ``include`` out).
            models.Index(
                fields=["started_at", "answered"],
                include=["status", "wait_seconds"],
                name="call_started",
            ),
            # The missed-call list: a number's unanswered calls, and its answered ones after.
            models.Index(fields=["caller", "started_at"], name="call_caller_started"),
            # The wallboard: calls still ringing or talking, and who is talking at a seat.
            models.Index(
                fields=["status", "agent"],
                name="call_live",
                # OR rather than IN: a first load builds it again from its definition,
                # and PostgreSQL deparses an IN list's casts differently.
                condition=Q(status="ringing") | Q(status="answered"),
            ),
        ]

    def __str__(self):
        return self.external_id


class Switch(models.Model):
    """A telephone switch (PBX/ACD) allowed to report call events, with its own token.
    Only the token's SHA-256 is kept; the token is shown once when it is issued."""

    name = models.CharField("名称", max_length=60, unique=True)
    token_hash = models.CharField("令牌摘要", max_length=64, unique=True, editable=False)
    token_hint = models.CharField("令牌前缀", max_length=8, editable=False)
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_event_at = models.DateTimeField("最近事件时间", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "交换机（话务系统）"

    def __str__(self):
        return self.name


class CallEvent(models.Model):
    """One event the switch reported; kept once per (call, kind): a repeat is absorbed."""

    Kind = models.TextChoices("Kind", [(k.value, k.value) for k in CallEventKind])

    call_id = models.CharField("来电编号", max_length=40)
    kind = models.CharField("事件", max_length=10, choices=Kind.choices)
    at = models.DateTimeField("事件时间")
    caller = models.CharField("来电号码", max_length=20, blank=True)
    callee = models.CharField("被叫号码", max_length=20, blank=True)
    queue = models.CharField("队列", max_length=40, blank=True)
    seat = models.CharField("坐席", max_length=40, blank=True)
    recording = models.CharField("录音地址", max_length=500, blank=True)
    switch = models.ForeignKey(
        Switch, verbose_name="交换机", null=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField("接收时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "话务事件"
        constraints = [
            models.UniqueConstraint(fields=["call_id", "kind"], name="call_event_once"),
        ]


class Seat(models.Model):
    """An operator signed in at a seat (an extension of the switch). A seat holds one
    operator and an operator one seat."""

    extension = models.CharField("坐席号", max_length=40, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="话务员",
        on_delete=models.CASCADE,
        related_name="seat",
    )
    signed_in_at = models.DateTimeField("签入时间")

    class Meta:
        verbose_name = verbose_name_plural = "坐席签入"


class MissedCallCallback(models.Model):
    """An operator's call back to a number on the missed-call list (漏接回拨)."""

    Result = models.TextChoices(
        "Result", [(k.name, (k.value, label)) for k, label in CALLBACK_RESULT_LABELS.items()]
    )

    caller = models.CharField("来电号码", max_length=20)
    call = models.ForeignKey(
        Call, verbose_name="未接来电", on_delete=models.PROTECT, related_name="callbacks"
    )
    at = models.DateTimeField("回拨时间")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="回拨人", on_delete=models.PROTECT, related_name="+"
    )
    result = models.CharField("结果", max_length=20, choices=Result.choices)
    note = models.CharField("备注", max_length=200, blank=True)
    order_number = models.CharField("工单编号", max_length=20, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "漏接回拨"
        indexes = [models.Index(fields=["caller", "at"], name="missed_callback_caller")]


class Campaign(models.Model):
    """An outbound campaign (外呼任务): a list of numbers and a script of questions."""

    name = models.CharField("名称", max_length=100)
    questions = models.JSONField("问题", default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间")

    class Meta:
        verbose_name = verbose_name_plural = "外呼任务"

    def __str__(self):
        return self.name


class CampaignTarget(models.Model):
    """One number of a campaign: who calls it, and the call's result and answers."""

    Result = models.TextChoices("Result", [(k.name, (k.value, k.label)) for k in CampaignResult])

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    line = models.PositiveIntegerField("行号")
    phone = models.CharField("电话", max_length=20)
    name = models.CharField("姓名", max_length=50, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="话务员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    result = models.CharField("结果", max_length=20, choices=Result.choices, blank=True)
    answers = models.JSONField("回答", default=list)
    called_at = models.DateTimeField("外呼时间", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("外呼次数", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "外呼号码"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "phone"], name="campaign_phone_once")
        ]
        indexes = [
            models.Index(fields=["campaign", "agent", "result"], name="campaign_agent_todo"),
            models.Index(fields=["campaign", "line"], name="campaign_line"),
        ]


class CampaignAnswer(models.Model):
    """One answer of a completed call, a row each so that the summary counts in SQL."""

    target = models.ForeignKey(CampaignTarget, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    question = models.PositiveSmallIntegerField("题号")
    answer = models.CharField("回答", max_length=200)

    class Meta:
        verbose_name = verbose_name_plural = "外呼回答"
        indexes = [models.Index(fields=["campaign", "question", "answer"], name="campaign_answers")]
