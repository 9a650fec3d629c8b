"""The orders the deadline watch looks at, found in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, FloatField, Func, OuterRef, QuerySet, Subquery, Value

from hotline.domain.deadline_watch import Step, settled_levels
from hotline.domain.enums import AssignmentRole, Status, SupervisionLevel
from hotline.domain.lifecycle import HANDLING
from hotline.jobs.models import DeadlineMark
from hotline.orders.models import Assignment, Order, Supervision


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
class AwaitingSignFor:
    pk: int
    sign_by: datetime
    dispatched_at: datetime
    urgent: bool
    supervision: SupervisionLevel | None
    marked: frozenset[Step]  # the sign-for steps taken on this sign-for deadline


_SIGN_FOR_STEPS = (Step.SIGN_YELLOW, Step.SIGN_OVERDUE, Step.SIGN_SUPERVISION)


def awaiting_sign_for(*, now: datetime) -> list[AwaitingSignFor]:
    """Orders awaiting sign-for with a running sign-for clock and a sign-for step still
    to take, with when the lead got them (its current assignment) and the steps taken.
    Served by (status, received_at); few orders wait for sign-for at any time."""
    lead_since = Assignment.objects.filter(
        order=OuterRef("pk"), role=AssignmentRole.LEAD.value, ended_at__isnull=True
    ).order_by("-assigned_at")
    orders = (
        Order.objects.filter(
            status=Status.DISPATCHED.value,
            paused=False,
            sign_by__isnull=False,
            received_at__lte=now,
        )
        .annotate(dispatched_at=Subquery(lead_since.values("assigned_at")[:1]))
        .exclude(_marked_sign_for(Step.SIGN_SUPERVISION))
        .filter(dispatched_at__isnull=False)
        .order_by("sign_by", "pk")
    )
    rows = list(orders.values_list("pk", "sign_by", "dispatched_at", "urgent", "supervision"))
    marks: dict[int, set[Step]] = {}
    taken = DeadlineMark.objects.filter(
        order_id__in=[row[0] for row in rows], step__in=[s.value for s in _SIGN_FOR_STEPS]
    ).values_list("order_id", "deadline", "step")
    sign_by = {row[0]: row[1] for row in rows}
    for order_id, deadline, step in taken:
        if deadline == sign_by[order_id]:
            marks.setdefault(order_id, set()).add(Step(step))
    return [
        AwaitingSignFor(
            pk=pk,
            sign_by=deadline,
            dispatched_at=since,
            urgent=urgent,
            supervision=SupervisionLevel(level) if level else None,
            marked=frozenset(marks.get(pk, ())),
        )
        for pk, deadline, since, urgent, level in rows
    ]


def _marked_sign_for(step: Step) -> Exists:
    return Exists(
        DeadlineMark.objects.filter(
            order=OuterRef("pk"), deadline=OuterRef("sign_by"), step=step.value
        )
    )
