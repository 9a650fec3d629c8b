"""Who is told what, and when a failed delivery is tried again.

Units hear of orders dispatched to them, of a reply deadline turning yellow or red and of
a reply sent back for rework; the citizen hears their order number once the order goes
to a unit (or joins an open order about the same matter), and later that it has an
accepted reply; each caller merged into an order hears of its reply too (the outbox).
What an event implies is read from the states before and after it, so every way of
reaching a situation (dispatch, re-dispatch, an accepted return, designation; rework at
review or after a callback) tells the same people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from hotline.domain.enums import Status, Vocabulary
from hotline.domain.lifecycle import OrderState


class NoticeKind(Vocabulary):
    NEW_ORDER = "new_order", "新工单"
    YELLOW = "yellow", "即将到期"
    RED = "red", "已超期"
    REWORK = "rework", "返工"
    ACCEPTED = "accepted", "已受理"
    REPLIED = "replied", "已答复"
    # SPEC 4 (2026-12): to the office's supervisors and administrators, about no order.
    CALENDAR = "calendar", "节假日安排待录入"
    SUPERVISION_LEADER = "leader_told", "督办逾期未回复"
    SIGN_YELLOW = "sign_yellow", "即将签收超时"
    SIGN_OVERDUE = "sign_overdue", "签收超时"
    # SPEC 3 (2026-12): the conclusion of a matter 110 handed over, fed back to 110.
    FEEDBACK_110 = "feedback_110", "110联动反馈"


@dataclass(frozen=True)
class Notice:
    kind: NoticeKind
    unit: str | None = None  # the unit's code; None is the order's citizen

    @property
    def for_citizen(self) -> bool:
        return self.unit is None


def _units(state: OrderState) -> list[str]:
    """The units an order is with: lead, co-units, sub-unit."""
    units = [state.lead, *state.co_units, state.sub_unit]
    return [u for u in dict.fromkeys(units) if u]


def implied(before: OrderState, after: OrderState) -> tuple[Notice, ...]:
    """The notices an event that took the order from ``before`` to ``after`` implies."""
    assigned = set(_units(before))
    notices = [Notice(NoticeKind.NEW_ORDER, u) for u in _units(after) if u not in assigned]
    # SPEC 3 (2026-12): a caller merged into an open order is told their own number too.
    if before.status is Status.REGISTERED and after.status in (Status.DISPATCHED, Status.MERGED):
        notices.append(Notice(NoticeKind.ACCEPTED))
    if after.reworks > before.reworks and after.lead:
        notices.append(Notice(NoticeKind.REWORK, after.lead))
    if before.concluded_at is None and after.concluded_at is not None:
        notices.append(Notice(NoticeKind.REPLIED))
    return tuple(notices)


# A failed delivery waits longer each time, up to an hour, and is never given up: the
# notification stays pending with its last error until a try succeeds.
RETRY_STEPS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15))
RETRY_CEILING = timedelta(hours=1)


def retry_after(attempts: int) -> timedelta:
    """How long to wait before the next try, after ``attempts`` failed ones (≥ 1)."""
    if attempts < 1:
        raise ValueError(f"a retry follows at least one failed attempt, not {attempts}")
    return RETRY_STEPS[attempts - 1] if attempts <= len(RETRY_STEPS) else RETRY_CEILING
