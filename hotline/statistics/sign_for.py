"""签收及时率 (sign-for on-time rate, SPEC 5 2026-12): orders signed by their sign-for
deadline / orders dispatched to the unit as lead — per unit for the assessment rows
(``sign_on_time_rate``) and for the whole city in the report (``handling``).

Which dispatches a period counts
--------------------------------
Every time an order is sent to a unit as lead — a dispatch, a re-dispatch (改派), an
accepted return sent elsewhere, a designation — is one lead assignment; it counts in
the period in which it was made (``assigned_at``; SPEC 5: "orders dispatched to the
unit"), once its sign-for time is decided by the time the report is made
(``made_at``):

- signed by the unit (by ``made_at``): counted, and on time when the sign came at or
  before the sign-for deadline set at that dispatch (the deadline itself is in time);
- not signed, its sign-for deadline passed while the unit still held the order:
  counted, not on time (签收超时 — also when the order went elsewhere afterwards);
- returned by the unit within its sign-for time, or taken away (re-dispatched,
  designated elsewhere) before its sign-for deadline: counted nowhere — the unit
  answered in time, or was given no chance; whether the return was right is the
  business of first-dispatch accuracy;
- still inside its sign-for time at ``made_at``: counted nowhere yet.

The sign-for deadline of each dispatch is the one its event carries (``sign_by`` in
the event's data, events carry every fact: SPEC 4), read beside the assignment made by
that event (same order, same time) — or, when the order's urgency was corrected while
the unit held it, the one the latest such correction carries (SPEC 3, 2026-12). One
GROUP BY over the period's lead assignments, with the deadline, the sign and the return
found by correlated subqueries on the order's events, each an index range of
``event_order_sign_for`` (order, type, time) whatever the planner's statistics (the
stored days' counts summed, ``statistics/facts.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce
from django.utils import timezone

from hotline.domain import events as ev
from hotline.domain.enums import AssignmentRole
from hotline.domain.statistics import Period, rate
from hotline.orders.models import ASSIGNING_EVENTS, Assignment, Event
from hotline.statistics.cohort import Cohort
from hotline.statistics.facts import Statement, counted


class Moment(Func):
    """An instant — a timestamp column, or an ISO 8601 text with its offset as the
    events' data hold it — as seconds since 1970, comparable across both."""

    output_field = FloatField()

    def as_postgresql(self, compiler, connection, **extra):
        template = "EXTRACT(EPOCH FROM (%(expressions)s)::timestamptz)::double precision"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        template = "((julianday(%(expressions)s) - 2440587.5) * 86400.0)"
        return self.as_sql(compiler, connection, template=template, **extra)


@dataclass(frozen=True)
class SignForFigures:
    dispatched: int  # dispatches counted (see the module's rule)
    on_time: int  # of those, signed by their sign-for deadline

    @property
    def overdue(self) -> int:
        """签收超时: signed late or not signed by the sign-for deadline."""
        return self.dispatched - self.on_time

    @property
    def rate(self) -> float | None:
        return rate(self.on_time, self.dispatched)


def sign_for_by_unit(
    *, period: Period, made_at: datetime | None = None
) -> dict[int, SignForFigures]:
    """Per unit with a dispatch counted in ``period``: its sign-for figures."""
    counts = counted(SIGN_FOR, period=period, made_at=made_at or timezone.now())
    return {
        unit_id: SignForFigures(row["dispatched"], row["on_time"])
        for (unit_id,), row in counts.items()
        if row["dispatched"]
    }


def sign_for_rows(cohort: Cohort) -> dict[int, dict]:
    """签收及时率 for the assessment rows: the dispatches of the cohort's period, by the
    time the report is made (its own cohort: SPEC 5 counts the orders dispatched to
    the unit, not those fallen due)."""
    figures = sign_for_by_unit(period=cohort.period, made_at=cohort.made_at)
    return {unit_id: {"sign_on_time_rate": f.rate} for unit_id, f in figures.items()}


def sign_for_city(*, period: Period, made_at: datetime | None = None) -> SignForFigures:
    """The whole city's sign-for figures over ``period``."""
    figures = sign_for_by_unit(period=period, made_at=made_at)
    return SignForFigures(
        sum(f.dispatched for f in figures.values()), sum(f.on_time for f in figures.values())
    )


_COUNTS = {
    "dispatched": Count("pk"),
    # A dispatch without a sign-for deadline (old histories) is in time once signed;
    # one not signed compares as NULL, not in time. Written so that PostgreSQL runs each
    # of the two subqueries once per row (it runs an expression's subquery anew at every
    # place it appears: ``signed IS NOT NULL AND (sign_by IS NULL OR signed <= sign_by)``
    # ran four).
    "on_time": Count("pk", filter=Q(signed_moment__lte=Coalesce(F("sign_by"), F("signed_moment")))),
}


def _timed(made_at: datetime) -> QuerySet[Assignment]:
    """The lead assignments made by ``made_at``, with ``sign_by`` and ``signed_moment``
    (the first sign while held, by ``made_at``) as epoch seconds for the comparisons."""
    order_events = Event.objects.filter(order=OuterRef("order_id"), at__lte=made_at)
    held = _while_held(made_at)
    # The sign-for deadline in force: the one the dispatch set, or the latest one a
    # corrected urgency set while the unit held the order (SPEC 3, 2026-12).
    set_by = order_events.filter(
        Q(type__in=ASSIGNING_EVENTS, at=OuterRef("assigned_at"))
        | Q(held, type=ev.Correct.type, data__has_key="sign_by")
    ).order_by("-seq")
    # Only the lead signs (lifecycle), so a sign on the order while the assignment
    # held is this unit's.
    signs = order_events.filter(held, type=ev.Sign.type).order_by("seq")
    return Assignment.objects.filter(
        role=AssignmentRole.LEAD.value, assigned_at__lte=made_at
    ).annotate(
        sign_by=Moment(Subquery(set_by.values(text=KT("data__sign_by"))[:1])),
        signed_moment=Moment(Subquery(signs.values("at")[:1])),
    )


def _decided(made_at: datetime) -> QuerySet[Assignment]:
    """The lead assignments whose sign-for time is decided at ``made_at``."""
    order_events = Event.objects.filter(order=OuterRef("order_id"), at__lte=made_at)
    returns = order_events.filter(_while_held(made_at), type=ev.Return.type)
    returned_in_time = Exists(
        returns.alias(moment=Moment("at")).filter(moment__lte=OuterRef("sign_by"))
    )
    # Not signed: the other arm of the OR below (saying so again would run the sign's
    # subquery once more per row on PostgreSQL).
    unsigned_late = (
        Q(sign_by__lt=made_at.timestamp())
        & (Q(ended_at__isnull=True) | Q(ended_moment__gt=F("sign_by")))
        & ~returned_in_time
    )
    return (
        _timed(made_at)
        .alias(ended_moment=Moment("ended_at"))
        .filter(Q(signed_moment__isnull=False) | unsigned_late)
    )


def _undecided(since: datetime, made_at: datetime | None) -> QuerySet[Assignment]:
    made_at = made_at or timezone.now()
    return _timed(made_at).filter(signed_moment__isnull=True, sign_by__gte=made_at.timestamp())


# The days with a dispatch unsigned and inside its sign-for time when the counts were
# made (a superset of those undecided: a return in time or a re-dispatch decides one
# as well).
UNDECIDED = Statement(
    "sign_for_undecided", "assigned_at", _undecided, lambda since, made_at: {"n": Count("pk")}
)

# The period's lead assignments, by the day each was made. Which are counted changes
# with time alone — an unsigned one once its sign-for deadline passes — so the days
# ``UNDECIDED`` found are counted from the orders until the counts are made again.
SIGN_FOR = Statement(
    "sign_for",
    "assigned_at",
    lambda since, made_at: _decided(made_at or timezone.now()),
    lambda since, made_at: _COUNTS,
    keys=("unit_id",),
    undecided=UNDECIDED,
)


def _while_held(made_at: datetime) -> Q:
    """An event of the order from the outer assignment until it ended (or until
    ``made_at`` for one still held)."""
    until = Coalesce(OuterRef("ended_at"), Value(made_at), output_field=DateTimeField())
    return Q(at__gte=OuterRef("assigned_at"), at__lt=until)
