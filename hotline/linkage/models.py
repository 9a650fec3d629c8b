"""12345–110 linkage (SPEC 3, 2026-12): the 110 system allowed to hand matters over, with
its own token, and each matter it handed over."""

from django.db import models


class PoliceLine(models.Model):
    """A 110 system (a city's or county's police command centre) allowed to hand over
    non-police matters. Only the token's SHA-256 is kept; the token is shown once."""

    name = models.CharField("名称", max_length=60, unique=True)
    token_hash = models.CharField("令牌摘要", max_length=64, unique=True, editable=False)
    token_hint = models.CharField("令牌前缀", max_length=8, editable=False)
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "110系统"

    def __str__(self):
        return self.name


class Handover(models.Model):
    """A matter 110 handed over (110 转入): the order it became, under 110's own
    reference (警情编号), which the feedback names. One order per reference: a request
    sent again gets the same order."""

    line = models.ForeignKey(PoliceLine, on_delete=models.PROTECT, related_name="handovers")
    police_ref = models.CharField("110警情编号", max_length=40)
    order = models.OneToOneField(
        "orders.Order", on_delete=models.PROTECT, related_name="police_handover"
    )
    note = models.TextField("110接警说明", blank=True)
    received_at = models.DateTimeField("转入时间")

    class Meta:
        verbose_name = verbose_name_plural = "110转入"
        constraints = [models.UniqueConstraint(fields=["line", "police_ref"], name="handover_once")]
        indexes = [models.Index(fields=["received_at"], name="handover_received")]
