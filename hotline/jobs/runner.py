"""Running one job, on whichever backend delivered it."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
import traceback

from django.db import close_old_connections
from django.utils import timezone

from hotline.jobs import registry, runs

logger = logging.getLogger(__name__)

# The job processes this process started and waits for: stopped with it (``stop_children``),
# so that stopping ``hotline serve`` leaves no training running on its own.
_children: set[subprocess.Popen] = set()
_children_lock = threading.Lock()
CHILD_STOP_SECONDS = 10


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


def child_command(name: str, run_id: int | None) -> list[str]:
    command = [sys.executable, "-m", "hotline.cli", "jobs", "run", name]
    return command if run_id is None else [*command, "--run-id", str(run_id)]


def run_in_child(name: str, run_id: int | None) -> None:
    """``run`` in a new ``hotline jobs run`` process (same settings and folder), which
    records the run in the log as ``run`` would."""
    child = subprocess.Popen(
        child_command(name, run_id),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    with _children_lock:
        _children.add(child)
    try:
        _, errors = child.communicate()
    finally:
        with _children_lock:
            _children.discard(child)
    if child.returncode < 0:
        logger.warning("后台任务 %s 随服务停止而中止，下次启动时重新运行", name)
    elif child.returncode != 0:
        logger.error("后台任务 %s 的进程失败：%s", name, errors.strip())


def stop_children(timeout: float = CHILD_STOP_SECONDS) -> int:
    """Stops the job processes still running (SIGTERM, then SIGKILL after ``timeout``);
    their runs stay unfinished in the log, and the next start runs them again."""
    with _children_lock:
        running = [child for child in _children if child.poll() is None]
    for child in running:
        child.terminate()
    for child in running:
        try:
            child.wait(timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    return len(running)


def run_in_background(name: str, params: dict | None = None, run_id: int | None = None) -> str:
    """``run`` in a thread that keeps its database connection from job to job: one the
    server closed meanwhile is dropped first, and one past its age after."""
    close_old_connections()
    try:
        return run(name, params, run_id)
    finally:
        close_old_connections()
