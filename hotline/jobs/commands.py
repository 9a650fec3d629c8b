"""What ``hotline jobs`` shows and does."""

from __future__ import annotations

from django.utils import timezone

from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.errors import DomainError
from hotline.jobs import registry, runner, runs
from hotline.jobs.backends import EmbeddedBackend, NotQueued, RedisBackend, current
from hotline.jobs.models import JobRun
from hotline.jobs.selectors import job_overview


class JobFailed(DomainError):
    code = "job_failed"


def jobs_table() -> str:
    lines = []
    for row in job_overview():
        last = "从未运行"
        if row.run is not None:
            at = row.run.at.astimezone(LOCAL_TZ)
            last = f"{at:%Y-%m-%d %H:%M} {row.run.get_status_display()} {row.run.summary}"
        lines.append(f"{row.job.name:22} {row.job.label:8} {row.when:14} {last.rstrip()}")
        lines.append(f"{'':22} {row.job.description}")
    return "\n".join(lines)


def job_run_by_hand(name: str, *, queue: bool, run_id: int | None = None) -> str:
    """Runs the job here and now, or (``queue``) puts it on the queue for a worker;
    ``run_id`` is a run already in the log (the embedded backend's own-process jobs)."""
    job = registry.job(name)
    backend = current()
    if queue and not isinstance(backend, RedisBackend):
        raise NotQueued("只有 HOTLINE_JOBS=redis 时才能放入队列；不加 --queue 即在本进程运行")
    run_id = run_id or runs.run_create(name, now=timezone.now())
    if queue:
        backend.enqueue(name, {}, run_id=run_id)
        return f"已将「{job.label}」放入队列（运行记录 {run_id}）"
    try:
        if isinstance(backend, EmbeddedBackend):
            # Here and now, followed by what it started (the delivery of its notifications).
            backend.enqueue(name, {}, run_id=run_id)
        else:
            runner.run(name, {}, run_id)
    except Exception as error:  # logged with its traceback and recorded by the runner
        raise JobFailed(f"「{job.label}」失败：{type(error).__name__}: {error}") from error
    return f"「{job.label}」完成：{JobRun.objects.get(pk=run_id).summary}"
