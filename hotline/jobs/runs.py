"""The run log: claiming a periodic slot, recording each run's start and end."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from hotline.jobs.models import JobRun


def run_claim(job: str, slot: datetime, *, now: datetime) -> int | None:
    """The new run of ``job`` for ``slot``, or None when a scheduler claimed it already."""
    try:
        with transaction.atomic():
            run = JobRun.objects.create(
                job=job, slot=slot, status=JobRun.Status.QUEUED, queued_at=now
            )
    except IntegrityError:
        return None
    return run.pk


def run_create(job: str, *, now: datetime) -> int:
    """A run started by hand (no slot)."""
    return JobRun.objects.create(job=job, status=JobRun.Status.QUEUED, queued_at=now).pk


def run_release(run_id: int) -> None:
    """Forgets a claim whose run could not be queued, so the next tick tries again."""
    JobRun.objects.filter(pk=run_id, status=JobRun.Status.QUEUED).delete()


def run_started(run_id: int, *, now: datetime) -> None:
    JobRun.objects.filter(pk=run_id).update(
        status=JobRun.Status.RUNNING, started_at=now, attempts=F("attempts") + 1
    )


def run_finished(run_id: int, *, now: datetime, summary: str = "", error: str = "") -> None:
    JobRun.objects.filter(pk=run_id).update(
        status=JobRun.Status.FAILED if error else JobRun.Status.DONE,
        finished_at=now,
        summary=summary[:500],
        error=error,
    )


def runs_left_unfinished() -> list[JobRun]:
    """Each job's latest run when it is still queued or running: left so by a process
    that stopped (the embedded backend keeps its queue in memory)."""
    latest = (
        JobRun.objects.filter(job=name).order_by("-queued_at", "-pk").first()
        for name in JobRun.objects.values_list("job", flat=True).distinct()
    )
    unfinished = {JobRun.Status.QUEUED, JobRun.Status.RUNNING}
    return [run for run in latest if run is not None and run.status in unfinished]


def job_runs_prune(*, now: datetime | None = None) -> str:
    now = now or timezone.now()
    kept = timedelta(days=settings.HOTLINE_JOB_RUNS_KEPT_DAYS)
    removed, _ = JobRun.objects.filter(queued_at__lt=now - kept).delete()
    return f"删除 {removed} 条 {settings.HOTLINE_JOB_RUNS_KEPT_DAYS} 天前的运行记录"
