"""Intake figures (SPEC 7 ``intake``): one aggregate over the period's orders (the
stored days' counts summed, ``statistics/facts.py``)."""

from django.db.models import Count, Q

from hotline.domain.enums import CitizenKind, Disposition, RejectReason
from hotline.domain.statistics import (
    NOT_A_CITIZEN,
    Period,
    count_list,
    ranked_mapping,
    rate,
    resolved_at_intake,
)
from hotline.orders.models import Order
from hotline.statistics.conditions import disposition_is
from hotline.statistics.facts import Statement, counted, totals


def _counts(since, made_at) -> dict:
    outcomes = {d: Count("pk", filter=disposition_is(d)) for d in Disposition}
    reasons = {
        r: Count("pk", filter=Q(disposition=Disposition.REJECTED, reject_reason=r))
        for r in RejectReason
    }
    citizen = ~Q(disposition__in=NOT_A_CITIZEN)
    kinds = {k: Count("pk", filter=citizen & Q(citizen__kind=k)) for k in CitizenKind}
    return {
        "accepted": Count("pk"),
        **{f"kind_{k.value}": count for k, count in kinds.items()},
        **{f"outcome_{d.value}": count for d, count in outcomes.items()},
        **{f"reason_{r.value}": count for r, count in reasons.items()},
    }


INTAKE = Statement("intake", "received_at", lambda since, made_at: Order.objects.all(), _counts)
# Every count but the citizens' kinds, which join each order to its citizen.
WITHOUT_CITIZENS = tuple(name for name in _counts(None, None) if not name.startswith("kind_"))


def intake_figures(*, period: Period, citizens: bool = True) -> dict:
    """The period's intake figures; without ``citizens`` (a page that does not show
    who asked), no ``citizens`` and no join to the citizens for the days counted from
    the orders (70 ms for a day of 10 000 orders)."""
    counts = totals(counted(INTAKE, period=period, names=None if citizens else WITHOUT_CITIZENS))
    accepted = counts["accepted"]
    by_outcome = {d: counts[f"outcome_{d.value}"] for d in Disposition}
    resolved = resolved_at_intake(by_outcome)
    figures = {
        "accepted": accepted,
        "resolved_at_intake": resolved,
        "resolved_at_intake_rate": rate(resolved, accepted),
        "dispatched": by_outcome[Disposition.DISPATCHED],
        "rejected": by_outcome[Disposition.REJECTED],
        "rejected_by_reason": ranked_mapping(
            {r.label: counts[f"reason_{r.value}"] for r in RejectReason}
        ),
        # SPEC 7 (2026-12): emergency transfers, never among the not accepted.
        "transferred": by_outcome[Disposition.TRANSFERRED],
        "harassment": by_outcome[Disposition.HARASSMENT],
        "invalid": by_outcome[Disposition.INVALID],
    }
    if citizens:
        # SPEC 7 (2026-12): who asked, by the citizen's kind (城镇居民/乡镇村民/企业).
        figures["citizens"] = count_list({k.label: counts[f"kind_{k.value}"] for k in CitizenKind})
    return figures
