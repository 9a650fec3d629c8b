"""Running one job, on whichever backend delivered it."""

from __future__ import annotations

import logging
import subprocess
import sys
import traceback

from django.db import close_old_connections
from django.utils import timezone

from hotline.jobs import registry, runs

logger = logging.getLogger(__name__)


def run(name: str, params: dict | None = None, run_id: int | None = None) -> str:
    """Runs job ``name``; ``run_id`` is its row in the run log (periodic runs and runs
    started by hand have one; deliveries started by an event do not). A failure is
    logged, recorded and raised again, for the queue to retry."""
    job = registry.job(name)
    if run_id is not None:
        runs.run_started(run_id, now=timezone.now())
    try:
        summary = job.load()(now=timezone.now(), **(params or {}))
    except Exception:
        logger.exception("后台任务「%s」失败", job.label)
        if run_id is not None:
            runs.run_finished(run_id, now=timezone.now(), error=traceback.format_exc())
        raise
    if run_id is not None:
        runs.run_finished(run_id, now=timezone.now(), summary=summary)
    logger.info("后台任务「%s」完成：%s", job.label, summary)
    return summary


def run_in_child(name: str, run_id: int | None) -> None:
    """``run`` in a new ``hotline jobs run`` process (same settings and folder), which
    records the run in the log as ``run`` would."""
    command = [sys.executable, "-m", "hotline.cli", "jobs", "run", name]
    if run_id is not None:
        command += ["--run-id", str(run_id)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        logger.error("后台任务 %s 的进程失败：%s", name, done.stderr.strip())


def run_in_background(name: str, params: dict | None = None, run_id: int | None = None) -> str:
    """``run`` in a thread that keeps its database connection from job to job: one the
    server closed meanwhile is dropped first, and one past its age after."""
    close_old_connections()
    try:
        return run(name, params, run_id)
    finally:
        close_old_connections()
