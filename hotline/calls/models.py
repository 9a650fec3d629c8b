from django.db import models


class Call(models.Model):
    """One telephone call from the telephony system (SPEC 8)."""

    external_id = models.CharField("来电编号", max_length=40, unique=True)
    started_at = models.DateTimeField("来电时间")
    caller = models.CharField("来电号码", max_length=20, db_index=True)
    answered = models.BooleanField("已接听")
    agent = models.CharField("坐席", max_length=40, blank=True)
    wait_seconds = models.PositiveIntegerField("等待秒数", null=True, blank=True)
    talk_seconds = models.PositiveIntegerField("通话秒数", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "来电记录"
        indexes = [models.Index(fields=["started_at", "answered"], name="call_started")]

    def __str__(self):
        return self.external_id
