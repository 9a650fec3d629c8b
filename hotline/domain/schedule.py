"""When the periodic jobs run.

Time is cut into slots on the hotline's wall clock: every N minutes from local midnight,
or once a month on a given day and time. A job is due once per slot; the slot's start
names the run, so that however many schedulers look at the clock (one per worker, or
the one inside ``hotline serve``) a slot is claimed once, and a scheduler that was down
catches up with the latest slot only, never with every slot it missed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from types import MappingProxyType

from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.statistics import Period

_DAY_MINUTES = 24 * 60


@dataclass(frozen=True)
class Every:
    """Every ``minutes`` minutes, counted from local midnight (so it must divide a day)."""

    minutes: int

    def __post_init__(self):
        if not 1 <= self.minutes <= _DAY_MINUTES or _DAY_MINUTES % self.minutes:
            raise ValueError(f"{self.minutes} minutes does not divide a day into slots")

    def slot(self, now: datetime) -> datetime:
        local = _local(now)
        midnight = datetime.combine(local.date(), time(0), LOCAL_TZ)
        passed = (local - midnight) // timedelta(minutes=self.minutes)
        return midnight + passed * timedelta(minutes=self.minutes)

    def following(self, slot: datetime) -> datetime:
        return _local(slot) + timedelta(minutes=self.minutes)

    @property
    def label(self) -> str:
        if self.minutes % 60 == 0:
            return f"每 {self.minutes // 60} 小时"
        return f"每 {self.minutes} 分钟"


@dataclass(frozen=True)
class Monthly:
    """Once a month, on ``day`` (1–28, so every month has it) at ``at``."""

    day: int
    at: time

    def __post_init__(self):
        if not 1 <= self.day <= 28:
            raise ValueError(f"day {self.day} is not in every month")

    def slot(self, now: datetime) -> datetime:
        local = _local(now)
        this_month = datetime.combine(local.date().replace(day=self.day), self.at, LOCAL_TZ)
        if this_month <= local:
            return this_month
        return self._shift(this_month, -1)

    def following(self, slot: datetime) -> datetime:
        return self._shift(_local(slot), 1)

    def _shift(self, slot: datetime, months: int) -> datetime:
        index = slot.year * 12 + slot.month - 1 + months
        day = slot.date().replace(year=index // 12, month=index % 12 + 1, day=self.day)
        return datetime.combine(day, self.at, LOCAL_TZ)

    @property
    def label(self) -> str:
        return f"每月 {self.day} 日 {self.at:%H:%M}"


Rule = Every | Monthly

# Deliveries are also started as soon as an event writes a notification; the sweep
# catches those whose start was lost and the retries that have come due.
SCHEDULE: Mapping[str, Rule] = MappingProxyType(
    {
        "notifications_deliver": Every(5),
        "deadline_warnings": Every(10),
        "overdue_marking": Every(10),
        "overdue_supervision": Every(30),
        "supervision_escalation": Every(30),
        # Sign-for time is counted in hours (urgent: 30 minutes), so watched more often.
        "sign_for_watch": Every(5),
        # Each day's figures once the day is over, and again the days later events touched.
        "report_facts": Every(60),
        "report_draft_monthly": Monthly(1, time(6, 0)),
        "model_retrain": Monthly(1, time(2, 0)),
        "order_text_catch_up": Every(10),
        "job_runs_prune": Every(24 * 60),
        "calendar_warning": Every(24 * 60),
        "topic_recurrence_watch": Every(24 * 60),
    }
)


def due(rule: Rule, now: datetime, last: datetime | None) -> datetime | None:
    """The slot to run now, given the last slot run (None: never), or None when the
    latest slot has run already."""
    slot = rule.slot(now)
    if last is not None and _local(last) >= slot:
        return None
    return slot


def month_before(now: datetime) -> Period:
    """The last whole month on the hotline's calendar: the monthly draft's period."""
    local = _local(now)
    index = local.year * 12 + local.month - 2
    return Period.month(index // 12, index % 12 + 1)


def retraining_due(
    *,
    trained_on: int | None,
    trained_to: datetime | None,
    history: int,
    history_to: datetime | None,
) -> bool:
    """Whether the suggestion model should be trained again: there is none yet
    (``trained_on`` None), or the history has grown since the last one was trained
    (more orders, or a later one)."""
    if trained_on is None:
        return history > 0
    if history > trained_on:
        return True
    return history_to is not None and (trained_to is None or history_to > trained_to)


def _local(at: datetime) -> datetime:
    if at.utcoffset() is None:
        raise ValueError(f"the schedule needs timezone-aware datetimes, got {at!r}")
    return at.astimezone(LOCAL_TZ)
