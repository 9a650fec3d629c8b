from django.conf import settings
from django.db import models


class AuditRecord(models.Model):
    """Something a person did that the office must be able to account for later:
    seeing a citizen's identity, signing in, failing to."""

    class Action(models.TextChoices):
        REVEAL = "reveal", "查看市民身份"
        LOGIN = "login", "登录"
        LOGIN_FAILED = "login_failed", "登录失败"
        LOGIN_LOCKED = "login_locked", "登录被锁定"
        PASSWORD_CHANGE = "password_change", "修改密码"
        ACCOUNT_CHANGE = "account_change", "变更账号"
        SETTING_CHANGE = "setting_change", "修改设置"
        HOLIDAY_CHANGE = "holiday_change", "修改节假日"
        EARLY_PUBLISH = "early_publish", "申诉期内提前发布通报"
        RECORDING = "recording", "收听通话录音"
        TOPIC_CHANGE = "topic_change", "变更每月一题"

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    username = models.CharField("用户名", max_length=150, blank=True)
    action = models.CharField("行为", max_length=20, choices=Action.choices)
    order = models.ForeignKey(
        "orders.Order",
        verbose_name="工单",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    detail = models.CharField("说明", max_length=200, blank=True)
    address = models.GenericIPAddressField("来源地址", null=True, blank=True)
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "审计记录"
        indexes = [models.Index(fields=["order", "at"], name="audit_order_at")]
