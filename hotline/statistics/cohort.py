"""The assessment's cohort (SPEC 5, 2026-12): which lead assignments a period counts,
as of the moment the report is made. Shared by the assessment row and by every module
that adds per-unit figures to it (``statistics/assessment.ROW_PROVIDERS``), so that all
the figures of a row are over the same orders.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from hotline.domain.enums import AssignmentRole
from hotline.domain.statistics import Period
from hotline.orders.models import Assignment


@dataclass(frozen=True)
class Cohort:
    period: Period
    made_at: datetime
    unit_ids: tuple[int, ...] | None = None  # None: every unit (the city's figures)

    def held(self) -> QuerySet[Assignment]:
        """The units' lead assignments made by ``made_at`` and still held then (a
        re-dispatch or an accepted return after it does not take the order away), less
        those an upheld 无理/重复诉求 appeal took out (SPEC 4, 2026-12)."""
        held = held_at(self.made_at)
        return held if self.unit_ids is None else held.filter(unit_id__in=self.unit_ids)

    def due(self, period: Period | None = None) -> QuerySet[Assignment]:
        """The lead assignments whose order fell in ``period`` (the cohort's own by
        default): concluded or past its deadline in force at a moment of the period,
        by ``made_at``."""
        begins, ends = (period or self.period).bounds()
        return self.held().filter(
            falls_due_at__gte=begins, falls_due_at__lt=ends, falls_due_at__lte=self.made_at
        )

    def in_handling(self) -> QuerySet[Assignment]:
        """在办未到期: held at ``made_at`` and not yet fallen due then — counted in no
        period yet."""
        return self.held().filter(Q(falls_due_at__isnull=True) | Q(falls_due_at__gt=self.made_at))


def held_at(made_at: datetime) -> QuerySet[Assignment]:
    """Every unit's lead assignments held at ``made_at`` (``Cohort.held``)."""
    return Assignment.objects.filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=made_at),
        role=AssignmentRole.LEAD.value,
        assigned_at__lte=made_at,
        excluded=False,
    )


def fallen(made_at: datetime | None) -> QuerySet[Assignment]:
    """Every unit's lead assignments held at ``made_at`` (``None``: now) that fell due
    by then, in whichever period: the rows of the per-day statements over the cohort,
    which choose the days."""
    made_at = made_at or timezone.now()
    return held_at(made_at).filter(falls_due_at__lte=made_at)
