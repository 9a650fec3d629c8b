"""The unit assessment (综合评价) of SPEC 5, counted in SQL.

Which orders a unit answers for
-------------------------------
An order is due to a unit in a period when the unit holds its lead assignment
(``Assignment`` with role lead) made in that period, and still held it when the report
is made (``made_at``): the assignment has not ended, or ended only after ``made_at``.
An assignment ends when the lead changes — a re-dispatch (改派), an accepted return
(the dispatcher re-dispatches the order) or the office's designation of a difficult
order — and never on closing. So:

- an order counts once, for one unit: the unit that held the lead at ``made_at``, in
  the period in which that unit was given it;
- a unit that returned an order whose return was accepted, or whose order was
  re-dispatched elsewhere, is not due for it; the unit it went to is, in the period
  of that re-dispatch;
- a return still awaiting review, or refused, leaves the order due to the unit that
  returned it (its assignment never ended);
- co-units and sub-units are not assessed on the order: the lead stays responsible
  for it (SPEC 2, 二级派单).

The figures of a due order, all as of ``made_at``:

- handled (办理数): concluded — reply accepted — at or before ``made_at``;
- overdue (超期办理数): handled, and its accepted reply came after the deadline in force
  (``Order.on_time`` false, SPEC 7);
- rework (返工数): sent back at least once while the unit held the lead — a reply
  given by ``made_at`` that the review sent back, or a callback by ``made_at`` that
  sent the order back (SPEC 5: of the due, counted once however often);
- spot unsatisfied (抽查不满意数): unsatisfied callbacks and spot checks made while the
  unit held the lead, by ``made_at``, less those taken out by an upheld appeal;
- satisfaction (群众满意率): over the callbacks (not the spot checks, which are the
  office's own sample) that reached the citizen while the unit held the lead, those
  satisfied or basically satisfied; an unsatisfied callback whose appeal was upheld is
  taken out of both counts (SPEC 4, 申诉).

Handled and overdue read the order's current conclusion (``Order.concluded_at`` and
``on_time``), and rework the reply's own time (a reply keeps its review's decision,
not its time). For a ``made_at`` in the past, an order concluded by then and sent back
by a later callback therefore counts as not handled until it is concluded again.

The score and grade come from ``domain.assessment.assess`` with the office's rule
(weights and grade bounds are settings); its rates are written as every rate of the
report is, fractions rounded half up to four decimals.
The previous period (``Period.previous``) is counted with the same ``made_at``, in
the same queries; a unit with no order due in it has no previous grade.

Four queries whatever the size of the directory or of the history: the settings, the
units, the lead assignments of both periods (grouped by unit, with rework found by
a correlated ``EXISTS`` on the (order, at) indexes for the few orders ever sent back)
and their callbacks.

Idle units (无工单办理单位) are the active member units — units with no parent unit;
sub-units answer to their parent — with no order due in the period.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from hotline.configuration.selectors import assessment_rule, rates_rule
from hotline.directory.models import Unit
from hotline.domain.assessment import AssessmentRule, UnitCounts, assess
from hotline.domain.enums import AssignmentRole, CallbackResult, ReviewDecision
from hotline.domain.statistics import RATE_PLACES, Period
from hotline.orders.models import Assignment, Callback, Reply
from hotline.statistics import rates as three_rates

_LEAD = AssignmentRole.LEAD.value
_SATISFIED = (CallbackResult.SATISFIED.value, CallbackResult.BASICALLY_SATISFIED.value)
_UNSATISFIED = CallbackResult.UNSATISFIED.value
_UNREACHABLE = CallbackResult.UNREACHABLE.value


def unit_assessment(
    *, start: date, end: date, made_at: datetime | None = None
) -> tuple[list[dict], list[str]]:
    """The assessment items of SPEC 7 for the period ``start``–``end`` (local dates, both
    included), best score first then by unit name, and the names of the idle units."""
    made_at = made_at or timezone.now()
    period = Period(start, end)
    rule = assessment_rule()
    units = {
        pk: (name, active and parent is None)
        for pk, name, active, parent in Unit.objects.values_list(
            "pk", "name", "active", "parent_id"
        )
    }
    current, previous = _counts(period, made_at, unit_ids=list(units))
    # SPEC 5 (2026-12): the three rates beside the score (statistics/rates.py).
    rates_rule_ = rates_rule()
    rates_of = three_rates.unit_rates(
        due=three_rates.due_orders(period=period, made_at=made_at),
        callbacks=three_rates.period_callbacks(period=period, made_at=made_at),
        made_at=made_at,
        rule=rates_rule_,
    )

    items = []
    for unit_id, counts in current.items():
        result = assess(counts, rule)
        before = previous.get(unit_id)
        items.append(
            {
                "unit": units[unit_id][0],
                "due": counts.due,
                "handled": counts.handled,
                "handled_rate": _fraction(result.handled_rate),
                "overdue": counts.overdue,
                "on_time_rate": _fraction(result.on_time_rate),
                "rework": counts.rework,
                "rework_rate": _fraction(result.rework_rate),
                "spot_unsatisfied": counts.spot_unsatisfied,
                "satisfaction_rate": _fraction(result.satisfaction_rate),
                "score": result.score,
                "grade": result.grade,
                "previous_grade": _grade(before, rule),
            }
        )
        items[-1].update(
            three_rates.row_rates(
                rates_of.get(unit_id),
                satisfaction_rate=result.satisfaction_rate,
                rule=rates_rule_,
                grading=rule,
            )
        )
    items.sort(key=lambda item: (-item["score"], item["unit"]))
    idle = sorted(name for pk, (name, member) in units.items() if member and pk not in current)
    return items, idle


def _fraction(value: float) -> float:
    """A rate of ``assess`` as the report carries its rates: rounded half up to
    ``RATE_PLACES`` decimals (``domain.statistics``)."""
    quantum = Decimal(1).scaleb(-RATE_PLACES)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def _grade(counts: UnitCounts | None, rule: AssessmentRule) -> str | None:
    return assess(counts, rule).grade if counts is not None else None


def _counts(
    period: Period, made_at: datetime, *, unit_ids: list[int]
) -> tuple[dict[int, UnitCounts], dict[int, UnitCounts]]:
    """Per unit with orders due, the counts of ``period`` and of the period before it:
    two queries, one over the lead assignments and one over their callbacks."""
    first, _ = period.previous().bounds()
    begins, ends = period.bounds()
    # The unit list leads the (unit, role, assigned_at) index, so each unit's lead
    # assignments of the two periods are one index range.
    held = Assignment.objects.filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=made_at),
        unit_id__in=unit_ids,
        role=_LEAD,
        assigned_at__gte=first,
        assigned_at__lt=ends,
        assigned_at__lte=made_at,
    )
    now = Q(assigned_at__gte=begins)
    before = Q(assigned_at__lt=begins)

    handled = Q(order__concluded_at__lte=made_at)
    overdue = handled & Q(order__on_time=False)
    # Rework read from the records the review and callback events leave: a reply sent
    # back at review, a callback that sent the order back. Few orders are ever sent
    # back, so the orders sent back since the earlier period began (partial indexes)
    # are one hashed set per kind, and only an assignment of such an order is probed,
    # through the (order, at) index, for a rework while it was held.
    since_assigned = {"order_id": OuterRef("order_id"), "at__gte": OuterRef("assigned_at")}
    reworked = Q()
    for sent_back in (
        Reply.objects.filter(decision=ReviewDecision.REWORK.value),
        Callback.objects.filter(rework=True),
    ):
        sent_back = sent_back.filter(at__lte=made_at)
        in_periods = sent_back.filter(at__gte=first).values("order_id")
        reworked |= Q(order_id__in=in_periods) & Q(Exists(sent_back.filter(**since_assigned)))
    orders = held.values("unit_id").annotate(
        due=Count("pk", filter=now),
        handled=Count("pk", filter=now & handled),
        overdue=Count("pk", filter=now & overdue),
        rework=Count("pk", filter=now & reworked),
        due_before=Count("pk", filter=before),
        handled_before=Count("pk", filter=before & handled),
        overdue_before=Count("pk", filter=before & overdue),
        rework_before=Count("pk", filter=before & reworked),
    )

    # Callbacks made while the unit held the lead; filtering before annotating makes the
    # counts run over the joined callbacks. An upheld appeal takes the callback out.
    on_lead = held.filter(
        Q(order__callbacks__at__gte=F("assigned_at")),
        # Implied by the line above; a constant bound reads the callbacks by time.
        Q(order__callbacks__at__gte=first),
        order__callbacks__at__lte=made_at,
    )
    kept = ~Q(order__callbacks__appeal_upheld=True)
    callback = Q(order__callbacks__kind=Callback.Kind.CALLBACK)
    reached = kept & callback & ~Q(order__callbacks__result=_UNREACHABLE)
    satisfied = callback & Q(order__callbacks__result__in=_SATISFIED)
    unsatisfied = kept & Q(order__callbacks__result=_UNSATISFIED)
    callbacks = on_lead.values("unit_id").annotate(
        reached=Count("order__callbacks", filter=now & reached),
        satisfied=Count("order__callbacks", filter=now & satisfied),
        unsatisfied=Count("order__callbacks", filter=now & unsatisfied),
        reached_before=Count("order__callbacks", filter=before & reached),
        satisfied_before=Count("order__callbacks", filter=before & satisfied),
        unsatisfied_before=Count("order__callbacks", filter=before & unsatisfied),
    )
    heard = {row["unit_id"]: row for row in callbacks}

    current: dict[int, UnitCounts] = {}
    previous: dict[int, UnitCounts] = {}
    for row in orders:
        said = heard.get(row["unit_id"], {})
        for suffix, into in (("", current), ("_before", previous)):
            if row["due" + suffix]:
                into[row["unit_id"]] = UnitCounts(
                    due=row["due" + suffix],
                    handled=row["handled" + suffix],
                    overdue=row["overdue" + suffix],
                    rework=row["rework" + suffix],
                    reached=said.get("reached" + suffix, 0),
                    satisfied=said.get("satisfied" + suffix, 0),
                    spot_unsatisfied=said.get("unsatisfied" + suffix, 0),
                )
    return current, previous
