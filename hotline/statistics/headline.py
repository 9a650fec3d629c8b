"""The leader dashboard's headline figures, today's and this month's, by the periodic
report's own statements (SPEC 7), so that they are the report's figures for the same
days:

- ``received`` the orders registered (the report's 受理), ``dispatched`` those sent to
  units (转办), ``concluded`` the dispatched ones whose reply was accepted (办结);
- ``reached`` and ``satisfied``: the orders in the callback scope whose latest callback
  reached the citizen, and of those the satisfied or basically satisfied (回访满意率);
- ``due`` and ``on_time``: SPEC 5's 按期办结率 over the city, of the lead assignments
  that fell due on the days (the assessment's cohort), those concluded by the deadline.

The month's days before today are the stored per-day counts summed
(``statistics/facts.py``; days not stored yet or touched by later events are counted
from the orders), so a load reads today's orders and a few hundred stored rows, not the
month's orders; today is counted from the orders once and added to the month.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from hotline.configuration.selectors import callback_scope
from hotline.domain.callback_scope import CallbackScope
from hotline.domain.enums import Disposition
from hotline.domain.statistics import Period, rate
from hotline.statistics.assessment import ASSESSMENT_DUE
from hotline.statistics.callbacks import callback_figures
from hotline.statistics.facts import Counts, counted, totals
from hotline.statistics.handling import HANDLING
from hotline.statistics.intake import INTAKE


@dataclass(frozen=True)
class Figures:
    received: int = 0
    dispatched: int = 0
    concluded: int = 0
    reached: int = 0  # orders whose latest callback reached the citizen
    satisfied: int = 0  # of those, satisfied or basically satisfied
    due: int = 0  # lead assignments that fell due
    on_time: int = 0  # of those, concluded by the deadline

    @property
    def satisfied_rate(self) -> float | None:
        return rate(self.satisfied, self.reached)

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.on_time, self.due)

    def __add__(self, other: Figures) -> Figures:
        return Figures(*(a + b for a, b in zip(self._values(), other._values(), strict=True)))

    def _values(self) -> tuple[int, ...]:
        return tuple(getattr(self, name) for name in self.__dataclass_fields__)


def headline_figures(*, today: date) -> tuple[Figures, Figures]:
    """Today's and this month's figures as everything recorded so far leaves them
    (call inside ``statistics.document.report_session`` for one reading of the counts)."""
    scope = callback_scope()
    today_figures = period_figures(Period(today, today), scope)
    if today.day == 1:
        return today_figures, today_figures
    before = period_figures(Period(today.replace(day=1), today - timedelta(days=1)), scope)
    return today_figures, before + today_figures


# The statements' counts the figures read: today's orders are counted live on every
# load, so the rest of each statement (the citizens' kinds, the returns and extensions,
# the reworks) is not counted for them.
_DISPATCHED = f"outcome_{Disposition.DISPATCHED.value}"
INTAKE_READ = ("accepted", _DISPATCHED)
HANDLING_READ = ("n_concluded",)
DUE_READ = ("due", "handled", "overdue")


def period_figures(period: Period, scope: CallbackScope) -> Figures:
    intake = totals(counted(INTAKE, period=period, names=INTAKE_READ))
    handling = totals(counted(HANDLING, period=period, names=HANDLING_READ))
    callbacks = callback_figures(period=period, scope=scope)
    due, on_time = due_counts(counted(ASSESSMENT_DUE, period=period, names=DUE_READ))
    return Figures(
        received=intake["accepted"],
        dispatched=intake[_DISPATCHED],
        concluded=handling["n_concluded"],
        reached=callbacks["reached"],
        satisfied=callbacks["satisfied"],
        due=due,
        on_time=on_time,
    )


def due_counts(counts: Counts) -> tuple[int, int]:
    """``(due, on time)`` of the ``ASSESSMENT_DUE`` statement's counts over every unit:
    those concluded by the deadline are the handled ones not overdue."""
    found = sum(counts.values(), Counter())
    return found["due"], found["handled"] - found["overdue"]
