"""The three rates of SPEC 5 (2026-12) per unit and city-wide, counted in SQL.

- 响应率 response: of the due orders that needed a contact — those signed for with a
  response time (``Order.respond_by``, set at sign-for: histories from before contacts
  were recorded have none and are left out rather than counted as unanswered) — the
  share whose first contact with the citizen, by any unit of the order and whatever
  its outcome (an unanswered call is still the unit responding), came by that time.
  The comparison is one probe per order into the contacts' (order, at) index.
- 解决率 resolution: of the callbacks that reached the citizen and asked 问题是否解决
  (callbacks from before the question have no answer and are left out), solved plus
  ``partly_weight`` (setting, default ½) times partly solved; an unsatisfied callback
  whose appeal was upheld is taken out, as for the satisfaction rate.
- 满意率 satisfaction: the assessment's and the report's own satisfaction rate.

Which orders are due is the assessment's business (SPEC 5's cohort,
``statistics/cohort.py``): ``unit_rates`` takes the due lead assignments and groups them
by their unit; the callbacks are
those of a period, grouped by the unit that held the lead when they were made.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from hotline.domain.assessment import AssessmentRule
from hotline.domain.enums import CallbackResult, Solved
from hotline.domain.rates import RatesRule, resolution_rate, response_rate, three_rate_score
from hotline.domain.statistics import Period
from hotline.orders.models import Callback, Contact
from hotline.statistics.cohort import fallen
from hotline.statistics.facts import Statement, counted


def _response_counts(since: datetime, made_at: datetime | None) -> dict:
    in_time = Contact.objects.filter(
        order=OuterRef("order_id"), at__lte=OuterRef("order__respond_by")
    )
    if made_at is not None:
        in_time = in_time.filter(at__lte=made_at)
    return {
        "needing": Count("order_id", distinct=True),
        "responded": Count("order_id", distinct=True, filter=Q(Exists(in_time))),
    }


# The due orders that needed a contact, on the day they fell due.
RESPONSE = Statement(
    "rates_response",
    "falls_due_at",
    lambda since, made_at: fallen(made_at).filter(order__respond_by__isnull=False),
    _response_counts,
    keys=("unit_id",),
)


def _answered(since: datetime, made_at: datetime | None) -> QuerySet[Callback]:
    callbacks = Callback.objects.filter(kind=Callback.Kind.CALLBACK)
    if made_at is not None:
        callbacks = callbacks.filter(at__lte=made_at)
    return (
        callbacks.exclude(result=CallbackResult.UNREACHABLE.value)
        .exclude(appeal_upheld=True)
        .exclude(solved="")
    )


# The callbacks that reached the citizen and asked 问题是否解决, on the day they were made.
RESOLUTION = Statement(
    "rates_resolution",
    "at",
    _answered,
    lambda since, made_at: {
        # Named apart from the ``solved`` column they count.
        "answered_count": Count("pk"),
        "solved_count": Count("pk", filter=Q(solved=Solved.SOLVED.value)),
        "partly_count": Count("pk", filter=Q(solved=Solved.PARTLY.value)),
    },
    keys=("unit_id",),
)


def unit_rates(*, period: Period, made_at: datetime, rule: RatesRule) -> dict[int, dict]:
    """Per unit id: ``response_rate`` and ``resolution_rate`` (fractions, None when
    there is nothing to measure) with the counts behind them, over the orders due in
    the period and its callbacks. Two statements."""
    found: dict[int, dict] = {}
    for (unit_id,), row in counted(RESPONSE, period=period, made_at=made_at).items():
        found.setdefault(unit_id, _empty())
        found[unit_id].update(
            needing=row["needing"],
            responded=row["responded"],
            response_rate=response_rate(responded=row["responded"], needing=row["needing"]),
        )
    for (unit_id,), row in counted(RESOLUTION, period=period, made_at=made_at).items():
        found.setdefault(unit_id, _empty())
        found[unit_id].update(
            answered=row["answered_count"],
            solved=row["solved_count"],
            partly=row["partly_count"],
            resolution_rate=resolution_rate(
                solved=row["solved_count"],
                partly=row["partly_count"],
                answered=row["answered_count"],
                rule=rule,
            ),
        )
    return found


def _empty() -> dict:
    return {
        "needing": 0,
        "responded": 0,
        "response_rate": None,
        "answered": 0,
        "solved": 0,
        "partly": 0,
        "resolution_rate": None,
    }


def city_rates(
    *, period: Period, made_at: datetime, rule: RatesRule, satisfaction_rate: float | None
) -> dict:
    """The report's ``rates`` (SPEC 7): the three rates over the whole city."""
    response = sum(counted(RESPONSE, period=period, made_at=made_at).values(), Counter())
    resolution = sum(counted(RESOLUTION, period=period, made_at=made_at).values(), Counter())
    return {
        "response_rate": response_rate(
            responded=response["responded"], needing=response["needing"]
        ),
        "resolution_rate": resolution_rate(
            solved=resolution["solved_count"],
            partly=resolution["partly_count"],
            answered=resolution["answered_count"],
            rule=rule,
        ),
        "satisfaction_rate": satisfaction_rate,
    }


def row_rates(
    found: dict | None, *, satisfaction_rate: float, rule: RatesRule, grading: AssessmentRule
) -> dict:
    """The assessment row's ``response_rate`` and ``resolution_rate``; and, when the
    office weighs the three rates into the score (setting ``three_rate_weights``), the
    ``score`` and ``grade`` they give in place of SPEC 5's four figures."""
    found = found or _empty()
    columns = {
        "response_rate": found["response_rate"],
        "resolution_rate": found["resolution_rate"],
    }
    weighed = three_rate_score(
        response=found["response_rate"],
        resolution=found["resolution_rate"],
        satisfaction=satisfaction_rate,
        rule=rule,
        grading=grading,
    )
    if weighed is not None:
        columns.update(score=weighed.score, grade=weighed.grade)
    return columns
