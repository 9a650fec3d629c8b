"""Report drafts and published reports (SPEC 7: the supervisor edits the narrative
before publishing; a published report is stored and never changes).

A draft is the supervisor's working copy: the period, the title, the narrative sections
and the chosen cases. Publishing freezes the statistics document and the editorial as
they were at that moment, with every rendered file, into a ``PublishedReport`` that no
code path updates or deletes (and the database refuses to update, see migration 0002);
publishing the same period again makes the next version beside it.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from hotline.reports.editorial import CaseKind


class ReportDraft(models.Model):
    start = models.DateField("起始日期")
    end = models.DateField("截止日期")
    title = models.CharField("标题", max_length=200, blank=True)
    experience = models.TextField("经验做法", blank=True)
    problems = models.TextField("存在的问题", blank=True)
    next_steps = models.TextField("下一步工作要求", blank=True)
    care = models.TextField("领导关怀", blank=True)
    praise = models.TextField("通报表扬", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,  # None: made by the monthly schedule
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间")
    updated_at = models.DateTimeField("最后修改时间")

    class Meta:
        verbose_name = verbose_name_plural = "通报草稿"
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lte=F("end")), name="draft_period_order"),
            models.UniqueConstraint(
                fields=["start", "end"],
                condition=Q(created_by__isnull=True),
                name="draft_scheduled_once",
            ),
        ]

    def __str__(self):
        return self.title or f"{self.start}—{self.end}"


class DraftCase(models.Model):
    """A case the supervisor picked for the draft (案例摘选), its texts prefilled from the
    order and then edited."""

    draft = models.ForeignKey(ReportDraft, on_delete=models.CASCADE, related_name="cases")
    order = models.ForeignKey(
        "orders.Order", verbose_name="工单", on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveIntegerField("顺序")
    kind = models.CharField(
        "类别", max_length=10, choices=CaseKind.choices(), default=CaseKind.TYPICAL.value
    )
    title = models.CharField("案例标题", max_length=200, blank=True)
    complaint = models.TextField("来电反映")
    result = models.TextField("处理结果", blank=True)
    callback = models.TextField("回访", blank=True)
    # SPEC 7 (2026-12): a case whose order was reworked, found unsatisfied or appealed is
    # flagged; the supervisor confirms it before it can be published.
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "通报案例"
        ordering = ["draft", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "order"], name="draft_case_once"),
        ]


class PublishedReport(models.Model):
    start = models.DateField("起始日期")
    end = models.DateField("截止日期")
    version = models.PositiveIntegerField("版本")
    title = models.CharField("标题", max_length=200)
    document = models.JSONField("统计数据")
    editorial = models.JSONField("编者内容")
    draft = models.ForeignKey(
        ReportDraft,
        verbose_name="来自草稿",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="published",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField("发布时间")

    class Meta:
        verbose_name = verbose_name_plural = "已发布通报"
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["start", "end", "version"], name="published_report_version"
            ),
        ]

    def __str__(self):
        return f"{self.title}（第{self.version}版）"


class PublishedFile(models.Model):
    """One rendered file of a published report, kept byte for byte."""

    report = models.ForeignKey(PublishedReport, on_delete=models.PROTECT, related_name="files")
    format = models.CharField("格式", max_length=8)
    content = models.BinaryField("文件内容")
    size = models.PositiveIntegerField("字节数")
    sha256 = models.CharField("SHA-256", max_length=64)

    class Meta:
        verbose_name = verbose_name_plural = "通报文件"
        constraints = [
            models.UniqueConstraint(fields=["report", "format"], name="published_file_format"),
        ]


class ReportPublishing(models.Model):
    """One request to publish a draft, run as a background job (rendering every format
    takes LibreOffice seconds): what the editor's page shows while it runs, and the
    published report when it is done."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "发布中"
        DONE = "done", "已发布"
        FAILED = "failed", "发布失败"

    draft = models.ForeignKey(ReportDraft, on_delete=models.PROTECT, related_name="publishings")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间")
    override_reason = models.CharField("提前发布理由", max_length=150, blank=True)
    document = models.JSONField("统计数据")  # counted when publishing was asked
    status = models.CharField("状态", max_length=8, choices=Status.choices)
    step = models.CharField("当前步骤", max_length=60, blank=True)
    done_steps = models.PositiveSmallIntegerField("已完成步骤", default=0)
    total_steps = models.PositiveSmallIntegerField("总步骤", default=1)
    report = models.ForeignKey(
        PublishedReport,
        verbose_name="已发布通报",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    error = models.TextField("失败原因", blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "通报发布任务"
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One publishing of a draft at a time.
            models.UniqueConstraint(
                fields=["draft"],
                condition=Q(status__in=["queued", "running"]),
                name="report_publishing_one_at_a_time",
            ),
        ]

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done_steps / max(self.total_steps, 1)))
