"""Publishing a report as a background job (SPEC 7, 2026-12: publishing took 24 s in
one request with no progress). The request (``services.report_publish_request``) refuses
what it can at once, keeps the figures counted for it and queues this job; the job
renders every format and stores the published version, writing each step on the
publishing's row for the editor's page to show. Delivered at least once: a publishing
already finished is left as it is."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F
from django.utils import timezone

from hotline.domain.errors import DomainError
from hotline.reports.models import ReportPublishing
from hotline.reports.services import report_publish


def _progress(publishing: ReportPublishing):
    def step(name: str) -> None:
        ReportPublishing.objects.filter(pk=publishing.pk).update(
            step=name, done_steps=F("done_steps") + 1
        )

    return step


def report_publish_run(*, now: datetime, publishing: int) -> str:
    row = ReportPublishing.objects.select_related("draft", "requested_by").get(pk=publishing)
    if row.status in (ReportPublishing.Status.DONE, ReportPublishing.Status.FAILED):
        return f"通报发布 {row.pk} 已结束（{row.get_status_display()}）"
    ReportPublishing.objects.filter(pk=row.pk).update(
        status=ReportPublishing.Status.RUNNING, step="开始生成文件"
    )
    try:
        report = report_publish(
            draft=row.draft,
            document=row.document,
            actor=row.requested_by,
            at=row.requested_at,
            override_reason=row.override_reason,
            progress=_progress(row),
        )
    except (DomainError, RuntimeError) as error:
        ReportPublishing.objects.filter(pk=row.pk).update(
            status=ReportPublishing.Status.FAILED,
            error=getattr(error, "message", str(error)),
            finished_at=timezone.now(),
        )
        return f"通报发布 {row.pk} 失败：{getattr(error, 'message', error)}"
    ReportPublishing.objects.filter(pk=row.pk).update(
        status=ReportPublishing.Status.DONE,
        step="已发布",
        done_steps=F("total_steps"),
        report=report,
        finished_at=timezone.now(),
    )
    return f"已发布「{report.title}」第{report.version}版"
