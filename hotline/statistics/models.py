"""The report's per-day counts of closed days (docs/reports.md, "Per-day facts"), kept
by the ``report_facts`` job so that a report over past months sums a few rows per day
instead of counting every order again."""

from django.db import models


class DayFact(models.Model):
    """One count of one of the report's statements over one closed local day and one
    group of that statement (its keys' values as a JSON list; ``[]`` for a statement
    without groups). Zero counts are not stored."""

    day = models.DateField("日期")
    statement = models.CharField("统计项", max_length=40)
    key = models.TextField("分组", default="[]")
    name = models.CharField("计数", max_length=60)
    value = models.BigIntegerField("数值")

    class Meta:
        verbose_name = verbose_name_plural = "日统计数"
        indexes = [
            # A report sums one statement's rows over ranges of days: from this index alone.
            models.Index(
                fields=["statement", "day"], include=["key", "name", "value"], name="day_fact"
            ),
        ]


class FactsState(models.Model):
    """The one row saying what the stored counts hold: the days from ``first_day`` to
    ``last_day`` as of the orders' events up to ``event_watermark`` (and not the ids at
    or below it listed in ``pending_events``: events whose transactions had not
    committed when the counts were made), counted at ``built_at``."""

    first_day = models.DateField("首日", null=True)
    last_day = models.DateField("末日", null=True)
    event_watermark = models.BigIntegerField("已计入的办理记录", default=0)
    pending_events = models.JSONField("未提交的办理记录", default=list)
    built_at = models.DateTimeField("统计时间", null=True)
    # The statements whose counts are stored: one added since (a new figure) is counted
    # from the orders until the next run, which counts every day again.
    statements = models.JSONField("已统计的口径", default=list)
    # The call records' counts, as the records up to these ids left them (and not the
    # ids listed: transactions open when the counts were made). Live telephony rewrites
    # a call's record as its events arrive, so an event since makes its call's day live.
    call_watermark = models.BigIntegerField("已计入的来电记录", default=0)
    pending_calls = models.JSONField("未提交的来电记录", default=list)
    call_event_watermark = models.BigIntegerField("已计入的话务事件", default=0)
    pending_call_events = models.JSONField("未提交的话务事件", default=list)

    class Meta:
        verbose_name = verbose_name_plural = "日统计状态"
