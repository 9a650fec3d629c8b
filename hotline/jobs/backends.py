"""The two ways jobs run, behind one ``enqueue``.

``EmbeddedBackend`` needs nothing installed: once ``start`` is called (by ``hotline
serve``) a background thread of that process keeps the schedule and runs the queued
jobs one after another; before that (commands, tests) a job runs at once, in the
caller's thread. ``RedisBackend`` puts each job on a Dramatiq queue in Redis for
``hotline worker`` processes: a message is removed only when its job has finished, and
the unfinished messages of a worker that died go back to the queue once its heartbeat
is missed, so a job interrupted by a crash runs again to its end.
"""

from __future__ import annotations

import contextlib
import json
import logging
import queue
import threading
import time

from django.conf import settings

from hotline.domain.errors import DomainError
from hotline.jobs import registry, runner, runs
from hotline.jobs.scheduler import TICK_SECONDS, Scheduler

logger = logging.getLogger(__name__)


class NotQueued(DomainError):
    code = "jobs_not_queued"


QUEUE = "hotline"
ACTOR = "hotline_job"
RETRIES = 3


class EmbeddedBackend:
    def __init__(self):
        self._queue: queue.Queue | None = None
        self._waiting: set[str] = set()  # jobs started by events, queued and not yet run
        self._lock = threading.Lock()
        self._inline = threading.local()

    def enqueue(self, name: str, params: dict, run_id: int | None = None) -> None:
        registry.job(name)
        # The same job started again by events before it ran (each order a deadline
        # job warns writes a notification) runs once: it does the work of all.
        key = json.dumps([name, params], sort_keys=True) if run_id is None else None
        if self._queue is not None:
            with self._lock:
                if key in self._waiting:
                    return
                if key is not None:
                    self._waiting.add(key)
            self._queue.put((name, params, run_id, key))
            return
        pending = getattr(self._inline, "pending", None)
        if pending is not None:  # a job runs in this thread: this one follows it
            if key is None or all(key != waiting for *_, waiting in pending):
                pending.append((name, params, run_id, key))
            return
        self._inline.pending = [(name, params, run_id, key)]
        try:
            while self._inline.pending:
                runner.run(*self._inline.pending.pop(0)[:3])
        finally:
            self._inline.pending = None

    def start(self) -> None:
        """Runs the schedule and the queued jobs in a daemon thread of this process."""
        if self._queue is not None:
            return
        self._queue = queue.Queue()
        threading.Thread(target=self._loop, name="hotline-jobs", daemon=True).start()

    def stop(self) -> None:
        """Stops the job processes it started; the thread ends with the process."""
        stopped = runner.stop_children()
        if stopped:
            logger.warning("已停止 %d 个后台任务进程", stopped)

    def _loop(self) -> None:
        # What the previous process queued but did not finish is run first: its slot is
        # claimed, so the schedule would not queue it again.
        for run in runs.runs_left_unfinished():
            self._queue.put((run.job, {}, run.pk, None))
        scheduler = Scheduler(self)
        while True:
            scheduler.tick_in_background()
            until = time.monotonic() + TICK_SECONDS
            while (left := until - time.monotonic()) > 0:
                try:
                    name, params, run_id, key = self._queue.get(timeout=left)
                except queue.Empty:
                    break
                with self._lock:
                    self._waiting.discard(key)
                if registry.job(name).own_process:
                    runner.run_in_child(name, run_id)
                    continue
                # A failure is logged and recorded by the runner; the next slot tries again.
                with contextlib.suppress(Exception):
                    runner.run_in_background(name, params, run_id)


class RedisBackend:
    def __init__(self, url: str):
        import dramatiq
        from dramatiq.brokers.redis import RedisBroker

        self.broker = RedisBroker(
            url=url,
            namespace="hotline-jobs",
            heartbeat_timeout=settings.HOTLINE_JOBS_HEARTBEAT_SECONDS * 1000,
            maintenance_chance=settings.HOTLINE_JOBS_REQUEUE_CHECKS,
        )
        dramatiq.set_broker(self.broker)
        self.actor = dramatiq.Actor(
            runner.run_in_background,
            broker=self.broker,
            actor_name=ACTOR,
            queue_name=QUEUE,
            priority=0,
            options={"max_retries": RETRIES},
        )

    def enqueue(self, name: str, params: dict, run_id: int | None = None) -> None:
        job = registry.job(name)
        self.actor.send_with_options(
            args=(name, params, run_id),
            time_limit=int(job.time_limit.total_seconds() * 1000),
        )


_backends: dict[str, object] = {}
_lock = threading.Lock()


def current() -> EmbeddedBackend | RedisBackend:
    """This process's backend, as ``HOTLINE_JOBS`` says."""
    kind = settings.HOTLINE_JOBS
    with _lock:
        if kind not in _backends:
            if kind == "redis":
                _backends[kind] = RedisBackend(settings.HOTLINE_REDIS_URL)
            else:
                _backends[kind] = EmbeddedBackend()
        return _backends[kind]
