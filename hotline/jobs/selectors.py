"""The background jobs as the office sees them: each with its schedule and latest run."""

from __future__ import annotations

from dataclasses import dataclass

from hotline.domain.schedule import SCHEDULE
from hotline.jobs.models import JobRun
from hotline.jobs.registry import JOBS, Job


@dataclass(frozen=True)
class JobRow:
    job: Job
    when: str  # the schedule, in words
    run: JobRun | None  # the latest


def job_overview() -> list[JobRow]:
    """Each job with its schedule and its latest run (``run.at``: when it ended, started
    or was queued)."""
    runs = JobRun.objects.order_by("-queued_at", "-pk")
    rows = []
    for name, job in JOBS.items():
        run = runs.filter(job=name).first()
        if run is not None:
            run.at = run.finished_at or run.started_at or run.queued_at
        rule = SCHEDULE.get(name)
        rows.append(JobRow(job, rule.label if rule else "由事件触发", run))
    return rows
