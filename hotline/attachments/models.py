"""Files a unit sends with its reply (SPEC 4: "what was done, the result … attachments")
or with its appeal (SPEC 4, 2026-12: "with reason and evidence"), and the photos a
citizen sends with an online request.

The stored file name is chosen by the product, never by the uploader; the name the
uploader gave is kept only for display and for the download's file name.
"""

from django.conf import settings
from django.db import models


class Attachment(models.Model):
    order = models.ForeignKey(
        "orders.Order",
        verbose_name="工单",
        on_delete=models.PROTECT,
        related_name="attachments",
        db_index=False,
    )
    reply = models.ForeignKey(
        "orders.Reply",
        verbose_name="答复",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    # SPEC 4 (2026-12): the evidence a unit files with its appeal.
    appeal = models.ForeignKey(
        "orders.AppealFiling",
        verbose_name="申诉",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    # SPEC 6 (2026-12): the evidence of a violation the office recorded by hand.
    violation = models.ForeignKey(
        "orders.Violation",
        verbose_name="违规记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    # None for the photos a citizen sends with an online request (SPEC 3, the portal).
    unit = models.ForeignKey(
        "directory.Unit",
        verbose_name="上传单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    file = models.FileField("文件", max_length=200)
    name = models.CharField("文件名", max_length=120)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        verbose_name = verbose_name_plural = "答复附件"
        indexes = [models.Index(fields=["order", "uploaded_at"], name="attachment_order")]

    def __str__(self):
        return self.name
