"""What the office's deadline watch does about an order on the clock, pass after pass.

An order in progress whose clock runs is warned yellow in the last part of its time and
red once its deadline has passed (SPEC 4); an overdue order is also supervised
automatically with a yellow card, unless it already carries a yellow or red one. Each
of these happens at most once per deadline: a granted extension or a rework gives a new
deadline, and the watch starts over for it.
"""

from __future__ import annotations

from datetime import datetime

from hotline.domain.deadlines import Warning, warning_level
from hotline.domain.enums import SupervisionLevel, Vocabulary
from hotline.domain.notification_rules import NoticeKind


class Step(Vocabulary):
    """The watch's steps, each taken at most once per order and deadline."""

    YELLOW = "yellow", "黄色预警"
    OVERDUE = "overdue", "超期标记"
    SUPERVISION = "supervision", "超期自动督办"
    # SPEC 4 (2026-12): once per supervision answer deadline (the mark's deadline).
    ESCALATION = "escalation", "督办逾期升级"


AUTOMATIC_LEVEL = SupervisionLevel.YELLOW


def warning_step(
    now: datetime, *, start: datetime, deadline: datetime, yellow_fraction: float
) -> Step | None:
    """The warning the order's colour calls for now (green calls for none)."""
    level = warning_level(now, start=start, deadline=deadline, yellow_fraction=yellow_fraction)
    return {Warning.YELLOW: Step.YELLOW, Warning.RED: Step.OVERDUE}.get(level)


def notice_for(step: Step) -> NoticeKind | None:
    """What the lead unit is told when the step is taken."""
    return {Step.YELLOW: NoticeKind.YELLOW, Step.OVERDUE: NoticeKind.RED}.get(step)


def automatic_supervision(
    now: datetime, *, deadline: datetime, current: SupervisionLevel | None
) -> SupervisionLevel | None:
    """The card an order gets from the watch now, or None.

    Only overdue orders are supervised, and a card the office already gave (yellow or
    red) is not repeated by a weaker or equal automatic one.
    """
    if now <= deadline or current in settled_levels():
        return None
    return AUTOMATIC_LEVEL


def settled_levels() -> frozenset[SupervisionLevel]:
    """The cards that make the automatic one superfluous: itself and the stronger ones."""
    levels = list(SupervisionLevel)
    return frozenset(levels[levels.index(AUTOMATIC_LEVEL) :])
