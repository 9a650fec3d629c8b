"""The orders the deadline watch looks at, found in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, FloatField, Func, OuterRef, QuerySet, Value

from hotline.domain.deadline_watch import Step, settled_levels
from hotline.domain.enums import Status
from hotline.domain.lifecycle import HANDLING
from hotline.domain.schedule import SCHEDULE
from hotline.jobs.models import DeadlineMark, JobRun
from hotline.jobs.registry import JOBS, Job
from hotline.orders.models import Order, Supervision


class Epoch(Func):
    """A timestamp as seconds since 1970, on PostgreSQL and SQLite alike."""

    output_field = FloatField()

    def as_postgresql(self, compiler, connection, **extra):
        template = "EXTRACT(EPOCH FROM %(expressions)s)::double precision"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        template = "((julianday(%(expressions)s) - 2440587.5) * 86400.0)"
        return self.as_sql(compiler, connection, template=template, **extra)


def _on_the_clock() -> QuerySet[Order]:
    """Orders in progress whose clock runs (a paused clock is not running)."""
    return Order.objects.filter(
        status=Status.IN_PROGRESS.value, paused=False, deadline__isnull=False
    )


def _marked(step: Step) -> Exists:
    return Exists(
        DeadlineMark.objects.filter(
            order=OuterRef("pk"), deadline=OuterRef("deadline"), step=step.value
        )
    )


def _ids(orders: QuerySet[Order]) -> list[int]:
    return list(orders.order_by("deadline", "pk").values_list("pk", flat=True))


def yellow_unwarned(*, now: datetime, yellow_fraction: float) -> list[int]:
    """Orders in the last ``yellow_fraction`` of their time, not yet warned for their
    deadline: now ≥ deadline − fraction × (deadline − received), i.e. now is past
    (1 − fraction) × deadline + fraction × received, on the epoch scale."""
    yellow_from = Epoch("deadline") * Value(1 - yellow_fraction) + Epoch("received_at") * Value(
        yellow_fraction
    )
    orders = (
        _on_the_clock()
        .filter(deadline__gte=now)
        .alias(yellow_from=yellow_from)
        .filter(yellow_from__lte=now.timestamp())
        .exclude(_marked(Step.YELLOW))
    )
    return _ids(orders)


def overdue_unmarked(*, now: datetime) -> list[int]:
    return _ids(_on_the_clock().filter(deadline__lt=now).exclude(_marked(Step.OVERDUE)))


def overdue_unsupervised(*, now: datetime) -> list[int]:
    """Overdue orders without the watch's card for this deadline nor one from the office
    as strong (the rule itself is asked again for each, under its lock)."""
    orders = (
        _on_the_clock()
        .filter(deadline__lt=now)
        .exclude(supervision__in=[level.value for level in settled_levels()])
        .exclude(_marked(Step.SUPERVISION))
    )
    return _ids(orders)


def supervisions_unanswered(*, now: datetime) -> list[int]:
    """Orders being handled whose supervision is still owed an answer past its deadline
    (SPEC 4, 2026-12); the rule is asked again for each, under its lock."""
    rows = Supervision.objects.filter(
        answered_at__isnull=True,
        superseded_at__isnull=True,
        leader_told_at__isnull=True,
        unit__isnull=False,
        deadline__lt=now,
        order__status__in=[s.value for s in HANDLING],
    )
    return list(rows.order_by("deadline", "order_id").values_list("order_id", flat=True).distinct())


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
