"""Runs of the background jobs, and what the deadline watch has done to which deadline.

Both tables make the jobs idempotent by construction: a periodic run is one row per
(job, slot), claimed by inserting it, so a slot runs once however many schedulers see
it; a deadline-watch step is one row per (order, deadline, step), inserted in the same
transaction as the step's effects, so a run repeated or resumed after a crash finds the
steps already taken and takes them no more.
"""

from django.db import models
from django.db.models import Q

from hotline.domain.deadline_watch import Step


class JobRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "运行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    job = models.CharField("任务", max_length=40)
    slot = models.DateTimeField("计划时间", null=True, blank=True)  # None: started by hand
    status = models.CharField("状态", max_length=8, choices=Status.choices)
    queued_at = models.DateTimeField("入队时间")
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    attempts = models.PositiveIntegerField("执行次数", default=0)
    summary = models.CharField("结果", max_length=500, blank=True)
    error = models.TextField("错误", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "后台任务运行"
        constraints = [
            models.UniqueConstraint(
                fields=["job", "slot"], condition=Q(slot__isnull=False), name="job_run_slot_once"
            ),
        ]
        indexes = [
            models.Index(fields=["queued_at"], name="job_run_queued"),
            models.Index(fields=["job", "queued_at"], name="job_run_latest"),
        ]

    def __str__(self):
        return f"{self.job} {self.slot or self.queued_at:%Y-%m-%d %H:%M}"


class DeadlineMark(models.Model):
    """One step of the deadline watch taken on one deadline of one order. The overdue
    marks are the record of every deadline a unit let pass (SPEC 4: overdue orders are
    counted per unit), even when the order is concluded later; the sign-for steps are
    taken on the sign-for deadline (``deadline`` is then the order's ``sign_by``), and
    their 签收超时 marks count the sign-for deadlines a unit let pass."""

    order = models.ForeignKey(
        "orders.Order", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    deadline = models.DateTimeField("办理时限")
    step = models.CharField("处理", max_length=16, choices=Step.choices())
    unit = models.ForeignKey(
        "directory.Unit",
        verbose_name="主办单位",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = verbose_name_plural = "时限处理记录"
        constraints = [
            models.UniqueConstraint(
                fields=["order", "deadline", "step"], name="deadline_mark_once"
            ),
        ]
        indexes = [models.Index(fields=["unit", "step", "at"], name="deadline_mark_unit")]
