"""The periodic ticks: each due slot of the schedule is claimed in the run log and
queued. Several schedulers (one per worker) may look at the same clock: the run log's
unique (job, slot) lets one of them claim a slot and the others pass."""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import close_old_connections
from django.utils import timezone

from hotline.domain.schedule import SCHEDULE, due
from hotline.jobs import runs

logger = logging.getLogger(__name__)

TICK_SECONDS = 15


class Scheduler:
    def __init__(self, backend):
        self.backend = backend
        self.last: dict[str, datetime] = {}  # the latest slot seen through, per job

    def tick_in_background(self) -> None:
        """``tick`` from a loop of its own thread, which keeps its database connection
        between ticks: one the server closed meanwhile is replaced; a failure is logged
        and the next tick tries again."""
        close_old_connections()
        try:
            self.tick()
        except Exception:
            logger.exception("后台任务调度失败")

    def tick(self, now: datetime | None = None) -> list[str]:
        """Queues the jobs whose slot has come; returns their names."""
        now = now or timezone.now()
        queued = []
        for name, rule in SCHEDULE.items():
            slot = due(rule, now, self.last.get(name))
            if slot is None:
                continue
            run_id = runs.run_claim(name, slot, now=now)
            if run_id is not None:
                try:
                    self.backend.enqueue(name, {}, run_id=run_id)
                except Exception:
                    logger.exception("无法将后台任务 %s 放入队列，稍后重试", name)
                    runs.run_release(run_id)
                    continue
                queued.append(name)
            self.last[name] = slot
        return queued
