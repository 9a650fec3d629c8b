"""``hotline worker``: a Dramatiq worker on the Redis queue, with the scheduler."""

from __future__ import annotations

import logging
import signal
import threading

from hotline.jobs.backends import NotQueued, RedisBackend, current
from hotline.jobs.scheduler import TICK_SECONDS, Scheduler

logger = logging.getLogger(__name__)

# How long a stopping worker waits for the jobs in hand before leaving them to the queue.
STOP_WAIT_SECONDS = 60


def worker_run(*, threads: int, schedule: bool = True) -> None:
    """Runs jobs from the queue until SIGTERM or SIGINT; ``schedule`` also queues the
    periodic ones when their slot comes."""
    import dramatiq

    backend = current()
    if not isinstance(backend, RedisBackend):
        raise NotQueued("hotline worker 需要队列：请设置 HOTLINE_JOBS=redis 和 HOTLINE_REDIS_URL")
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    worker = dramatiq.Worker(backend.broker, worker_threads=threads)
    worker.start()
    logger.info("后台任务进程已启动：%d 个线程%s", threads, "，含定时调度" if schedule else "")
    scheduler = Scheduler(backend) if schedule else None
    try:
        while not stop.is_set():
            if scheduler is not None:
                scheduler.tick_in_background()
            stop.wait(TICK_SECONDS)
    finally:
        # Jobs still running after the wait are cut off; their messages stay unacknowledged
        # and go back to the queue, to run again from the start.
        worker.stop(timeout=STOP_WAIT_SECONDS * 1000)
        logger.info("后台任务进程已停止")
