"""The unit assessment (综合评价) of SPEC 5, counted in SQL.

Which orders a period counts (SPEC 5, 2026-12)
----------------------------------------------
An order counts for its lead unit in the period in which it falls due or is concluded,
whichever comes first: its conclusion (reply accepted), or the moment its deadline in
force passes while it is still open — for an order not yet signed for, its sign-for
deadline. That moment is the lead assignment's ``falls_due_at``
(``domain/assessment_cohort.py``, kept by ``orders/projection.py`` for live work and
history import alike); once passed it never moves, so an extension or pause asked after
the deadline, a late sign-for or a rework after the conclusion leave the order where it
fell. A report made at ``made_at`` counts, for a period, the lead assignments

- made by ``made_at`` and still held then (not ended, or ended only after ``made_at``):
  an order counts for one unit, the unit holding the lead at ``made_at``; a unit whose
  return was accepted, or whose order was re-dispatched, is not due for it; a return
  awaiting review or refused leaves it with the unit; co-units and sub-units are not
  assessed on it (SPEC 2, 二级派单);
- whose ``falls_due_at`` lies in the period and at or before ``made_at``.

An order held at ``made_at`` whose moment has not come by then — open inside its
deadline, or its clock stopped — counts in no period yet: it is the row's
``in_handling`` (在办未到期). A truly overdue open order has fallen due: it is due and
not handled. So a report made on the 1st grades only what was really due, and grades do
not change as open orders later conclude on time. (``statistics/cohort.py`` holds these
sets, for this module and for the figures other modules add to the row.)

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
not its time). An order concluded by ``made_at`` and sent back by a later callback
therefore counts as not handled until it is concluded again — in the period of its
first conclusion.

The score and grade come from ``domain.assessment.assess`` with the office's rule
(weights, grade bounds and the minimum of due orders for a grade are settings; below
the minimum the grade is ``None``, 样本不足); its rates are written as every rate of
the report is, fractions rounded half up to four decimals. Each row carries its unit's
``class`` (分档分类, ``domain.assessment_classes``); the list stays best score first,
and pages and the report group it by class (``by_class``), keeping that order within
each class. The previous period (``Period.previous``) is counted with the same
``made_at``, in the same queries; a unit with no order due in it has no previous grade.

Figures other modules add to a row (SPEC 7: the three rates, 签收及时率…) come from
``ROW_PROVIDERS``: functions of the ``Cohort`` returning ``{unit_id: {key: value}}``,
merged into the rows here, in this one place, after SPEC 7's keys.

The counts are statements over the days the lead assignments fell due (grouped by unit,
with rework found by a correlated ``EXISTS`` on the (order, at) indexes for the few
orders ever sent back, and their callbacks), each period's the stored days' counts
summed (``statistics/facts.py``) and the statements over the other days; the orders in
handling are one more query (they have fallen due on no day), and the settings and
units two; plus one per provider (签收及时率: counted from the orders each time — a
dispatch's sign-for time passes without an event).

Idle units (无工单办理单位) are the active member units — units with no parent unit;
sub-units answer to their parent — with no order due in the period (orders in handling
count in no period, so a unit with only those is idle, as the Yueyang appendix lists
市统计局 with an order of July open at the report).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from hotline.configuration.selectors import rates_rule, setting_values
from hotline.directory.models import Unit
from hotline.domain import office_settings
from hotline.domain.assessment import (
    AssessmentRule,
    LossRule,
    UnitCounts,
    assess,
    point_losses,
)
from hotline.domain.assessment_classes import unit_class
from hotline.domain.enums import CallbackResult, ReviewDecision
from hotline.domain.statistics import RATE_PLACES, Period
from hotline.orders.models import Callback, Reply
from hotline.statistics import facts
from hotline.statistics import rates as three_rates
from hotline.statistics.cohort import Cohort, fallen
from hotline.statistics.facts import Statement, counted
from hotline.statistics.sign_for import sign_for_rows


@dataclass(frozen=True)
class RowProvider:
    """Per-unit figures another module adds to the row, over the same cohort: ``keys``
    are in every row (None for a unit without figures), ``figures`` returns
    {unit_id: {key: value}} for the units it has figures for."""

    keys: tuple[str, ...]
    figures: Callable[[Cohort], dict[int, dict]]


ROW_PROVIDERS: tuple[RowProvider, ...] = (RowProvider(("sign_on_time_rate",), sign_for_rows),)
_SATISFIED = (CallbackResult.SATISFIED.value, CallbackResult.BASICALLY_SATISFIED.value)
_UNSATISFIED = CallbackResult.UNSATISFIED.value
_UNREACHABLE = CallbackResult.UNREACHABLE.value


def unit_assessment(
    *, start: date, end: date, made_at: datetime | None = None
) -> tuple[list[dict], list[str]]:
    """The assessment items of SPEC 7 for the period ``start``–``end`` (local dates, both
    included), best score first then by unit name, and the names of the idle units."""
    made_at = made_at or timezone.now()
    values = setting_values()
    rule = office_settings.assessment_rule(values)
    classes = office_settings.assessment_classes(values)
    units = {
        pk: (name, active and parent is None, unit_class(code=code, kind=kind, classes=classes))
        for pk, name, code, kind, active, parent in Unit.objects.values_list(
            "pk", "name", "code", "kind", "active", "parent_id"
        )
    }
    cohort = Cohort(Period(start, end), made_at, tuple(units))
    rates_rule_ = rates_rule()
    with facts.reports_session():
        current, previous, in_handling = _counts(cohort)
        # SPEC 5 (2026-12): the three rates beside the score, over the same cohort; when
        # the office weighs them into the score they give the score and grade
        # (statistics/rates).
        rates_of = three_rates.unit_rates(period=cohort.period, made_at=made_at, rule=rates_rule_)
        extra: dict[int, dict] = {}
        for provider in ROW_PROVIDERS:
            for unit_id, figures in provider.figures(cohort).items():
                extra.setdefault(unit_id, {}).update(figures)
    absent = {key: None for provider in ROW_PROVIDERS for key in provider.keys}

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
                "in_handling": in_handling.get(unit_id, 0),
                "class": units[unit_id][2],
                **absent,
                **extra.get(unit_id, {}),
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
    idle = sorted(name for pk, (name, member, _) in units.items() if member and pk not in current)
    return items, idle


def by_class(items: list[dict]) -> list[tuple[str, list[dict]]]:
    """SPEC 5 (2026-12, 分档分类): the rows grouped by class, classes by name, each
    keeping the rows' order (best score first)."""
    groups: dict[str, list[dict]] = {}
    for item in items:
        groups.setdefault(item["class"], []).append(item)
    return sorted(groups.items())


def _fraction(value: float) -> float:
    """A rate of ``assess`` as the report carries its rates: rounded half up to
    ``RATE_PLACES`` decimals (``domain.statistics``)."""
    quantum = Decimal(1).scaleb(-RATE_PLACES)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def _grade(counts: UnitCounts | None, rule: AssessmentRule) -> str | None:
    return assess(counts, rule).grade if counts is not None else None


def _handled(made_at: datetime) -> Q:
    return Q(order__concluded_at__lte=made_at)


def _overdue(made_at: datetime) -> Q:
    return _handled(made_at) & Q(order__on_time=False)


def _reworked(made_at: datetime) -> Q:
    """Rework read from the records the review and callback events leave: a reply sent
    back at review, a callback that sent the order back. Few orders are ever sent back,
    so the orders sent back by made_at (partial indexes) are one hashed set per kind,
    and only an assignment of such an order is probed, through the (order, at) index,
    for a rework while it was held."""
    since_assigned = {"order_id": OuterRef("order_id"), "at__gte": OuterRef("assigned_at")}
    reworked = Q()
    for sent_back in (
        Reply.objects.filter(decision=ReviewDecision.REWORK.value),
        Callback.objects.filter(rework=True),
    ):
        sent_back = sent_back.filter(at__lte=made_at)
        reworked |= Q(order_id__in=sent_back.values("order_id")) & Q(
            Exists(sent_back.filter(**since_assigned))
        )
    return reworked


def _callback_on_lead(made_at: datetime) -> Q:
    """A callback made while the unit held the lead, by ``made_at``."""
    return Q(order__callbacks__at__gte=F("assigned_at"), order__callbacks__at__lte=made_at)


def _due_counts(since: datetime, made_at: datetime | None) -> dict:
    made_at = made_at or timezone.now()
    return {
        "due": Count("pk"),
        "handled": Count("pk", filter=_handled(made_at)),
        "overdue": Count("pk", filter=_overdue(made_at)),
        "rework": Count("pk", filter=_reworked(made_at)),
    }


# The lead assignments due, by unit, on the day each fell due.
ASSESSMENT_DUE = Statement(
    "assessment_due",
    "falls_due_at",
    lambda since, made_at: fallen(made_at),
    _due_counts,
    keys=("unit_id",),
)


def _callback_counts(since: datetime, made_at: datetime | None) -> dict:
    # Filtering before annotating makes the counts run over the joined callbacks. An
    # upheld appeal takes the callback out.
    kept = ~Q(order__callbacks__appeal_upheld=True)
    callback = Q(order__callbacks__kind=Callback.Kind.CALLBACK)
    reached = kept & callback & ~Q(order__callbacks__result=_UNREACHABLE)
    return {
        "reached": Count("order__callbacks", filter=reached),
        "satisfied": Count(
            "order__callbacks", filter=callback & Q(order__callbacks__result__in=_SATISFIED)
        ),
        "unsatisfied": Count(
            "order__callbacks", filter=kept & Q(order__callbacks__result=_UNSATISFIED)
        ),
    }


# Their callbacks made while the unit held the lead, on the day the order fell due.
ASSESSMENT_CALLBACKS = Statement(
    "assessment_callbacks",
    "falls_due_at",
    lambda since, made_at: fallen(made_at).filter(_callback_on_lead(made_at or timezone.now())),
    _callback_counts,
    keys=("unit_id",),
)


def _counts(
    cohort: Cohort,
) -> tuple[dict[int, UnitCounts], dict[int, UnitCounts], dict[int, int]]:
    """Per unit, the counts of the cohort's period and of the period before it (units
    with orders due only) and the orders in handling: the due lead assignments and
    their callbacks over each period, and one query for those in handling."""
    made_at = cohort.made_at
    in_handling = dict(
        cohort.in_handling()
        .order_by()
        .values("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )
    periods: list[dict[int, UnitCounts]] = []
    for period in (cohort.period, cohort.period.previous()):
        heard = counted(ASSESSMENT_CALLBACKS, period=period, made_at=made_at)
        periods.append({})
        for (unit_id,), row in counted(ASSESSMENT_DUE, period=period, made_at=made_at).items():
            said = heard.get((unit_id,), Counter())
            if row["due"]:
                periods[-1][unit_id] = UnitCounts(
                    due=row["due"],
                    handled=row["handled"],
                    overdue=row["overdue"],
                    rework=row["rework"],
                    reached=said["reached"],
                    satisfied=said["satisfied"],
                    spot_unsatisfied=said["unsatisfied"],
                )
    return periods[0], periods[1], in_handling


def unit_breakdown(
    *, unit: Unit, start: date, end: date, made_at: datetime, items: list[dict] | None = None
) -> dict | None:
    """SPEC 5 (2026-12): the unit's (provisional) row for the period and every point it
    lost — by rule (``domain.assessment.point_losses``), with the orders (or, for the
    callbacks, the orders called back) that cost them; ``None`` when nothing was due.
    ``items``: the period's rows when the caller has them already."""
    if items is None:
        items, _ = unit_assessment(start=start, end=end, made_at=made_at)
    row = next((item for item in items if item["unit"] == unit.name), None)
    if row is None:
        return None
    rule = office_settings.assessment_rule(setting_values())
    counts = UnitCounts(
        due=row["due"],
        handled=row["handled"],
        overdue=row["overdue"],
        rework=row["rework"],
        reached=0,
        satisfied=0,
    )
    due = Cohort(Period(start, end), made_at, (unit.pk,)).due()
    numbers = {
        LossRule.NOT_HANDLED: due.exclude(_handled(made_at)),
        LossRule.OVERDUE: due.filter(_overdue(made_at)),
        LossRule.REWORK: due.filter(_reworked(made_at)),
        LossRule.UNSATISFIED: due.filter(
            _callback_on_lead(made_at),
            Q(order__callbacks__appeal_upheld__isnull=True)
            | Q(order__callbacks__appeal_upheld=False),
            order__callbacks__kind=Callback.Kind.CALLBACK,
            order__callbacks__result=_UNSATISFIED,
        ),
    }
    reached, satisfied = _reached(due, made_at)
    counts = UnitCounts(**{**counts.__dict__, "reached": reached, "satisfied": satisfied})
    losses = [
        {
            "rule": loss.rule.value,
            "label": loss.rule.label,
            "count": loss.count,
            "each": round(float(loss.each), 2),
            "total": round(float(loss.total), 2),
            "orders": sorted(numbers[loss.rule].values_list("order__number", flat=True).distinct()),
        }
        for loss in point_losses(counts, rule)
    ]
    return {"row": row, "losses": losses, "lost": round(100 - row["score"], 1)}


def _reached(due, made_at: datetime) -> tuple[int, int]:
    """The callbacks of the satisfaction rate over the due orders, as the row counts
    them (made while the unit held the lead, appeals upheld taken out): reached,
    satisfied."""
    reached = (
        Q(order__callbacks__kind=Callback.Kind.CALLBACK)
        & ~Q(order__callbacks__appeal_upheld=True)
        & ~Q(order__callbacks__result=_UNREACHABLE)
    )
    figures = due.filter(_callback_on_lead(made_at)).aggregate(
        reached=Count("order__callbacks", filter=reached),
        satisfied=Count(
            "order__callbacks", filter=reached & Q(order__callbacks__result__in=_SATISFIED)
        ),
    )
    return figures["reached"], figures["satisfied"]
