"""Supervision that must be answered (SPEC 4, 2026-12).

A supervision gives the lead unit a deadline to answer (督办回复), in working days by the
supervision's level (an office setting). An answer still owed when that deadline has
passed escalates one step: normal → yellow → red → the unit's leader is told; after
that the answer is still owed but nothing escalates further.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType

from hotline.domain.calendar import WorkingCalendar
from hotline.domain.deadlines import END_OF_DAY, LOCAL_TZ
from hotline.domain.enums import SupervisionLevel
from hotline.domain.errors import DomainError
from hotline.domain.lifecycle import HANDLING, OrderState

DEFAULT_REPLY_DAYS: Mapping[str, int] = MappingProxyType({"normal": 5, "yellow": 3, "red": 2})


class InvalidSupervisionRule(DomainError):
    code = "invalid_supervision_rule"


@dataclass(frozen=True)
class SupervisionRule:
    """Working days the supervised unit has to answer, per level."""

    reply_days: Mapping[str, int] = field(default_factory=lambda: DEFAULT_REPLY_DAYS)

    def __post_init__(self):
        levels = {level.value for level in SupervisionLevel}
        if set(self.reply_days) != levels:
            raise InvalidSupervisionRule(
                f"督办回复期限须为 {'、'.join(sorted(levels))} 三个级别各给出工作日数"
            )
        for level, days in self.reply_days.items():
            if isinstance(days, bool) or not isinstance(days, int) or days < 1:
                raise InvalidSupervisionRule(f"{level} 级督办的回复期限须为正整数工作日")

    @classmethod
    def from_settings(cls, values: Mapping[str, object]) -> SupervisionRule:
        raw = values.get("supervision_reply_days")
        if raw is None:
            return cls()
        if not isinstance(raw, dict):
            raise InvalidSupervisionRule('督办回复期限须为形如 {"normal": 5} 的对象')
        return cls(reply_days=MappingProxyType(dict(raw)))

    def answer_deadline(
        self, at: datetime, level: SupervisionLevel, calendar: WorkingCalendar
    ) -> datetime:
        """The end of the N-th working day after the supervision's day (N by level)."""
        day = at.astimezone(LOCAL_TZ).date()
        last = calendar.add_working_days(day, self.reply_days[level.value])
        return datetime.combine(last, END_OF_DAY, LOCAL_TZ)


@dataclass(frozen=True)
class Escalation:
    """The next step: a stronger card, or (``leader``) the unit's leader told."""

    level: SupervisionLevel
    leader: bool = False


_NEXT = {
    SupervisionLevel.NORMAL: Escalation(SupervisionLevel.YELLOW),
    SupervisionLevel.YELLOW: Escalation(SupervisionLevel.RED),
    SupervisionLevel.RED: Escalation(SupervisionLevel.RED, leader=True),
}


def escalation_due(state: OrderState, now: datetime) -> Escalation | None:
    """The step an unanswered supervision calls for at ``now``, or None.

    Only while the order is still being handled, only once its answer deadline has
    passed (the deadline itself is still in time), never past the leader.
    """
    if state.status not in HANDLING or state.supervision_unit is None:
        return None
    if state.supervision_due is None or now <= state.supervision_due:
        return None
    return _NEXT[state.supervision or SupervisionLevel.NORMAL]


def escalation_note(level: SupervisionLevel) -> str:
    """What the supervision an escalation creates says (SPEC 4, 2026-12)."""
    return f"督办逾期未回复，自动升级为{level.label}，请立即办理并回复。"
