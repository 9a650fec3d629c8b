"""SPEC 4 (2026-12): an overdue cannot be erased by an extension or a pause; only the
lead keeps the clock; a long pause needs the supervisor's approval."""

from datetime import UTC, datetime, timedelta

import pytest

from hotline.domain import events as ev
from hotline.domain.available_actions import available_actions
from hotline.domain.enums import (
    ExtensionDecision,
    PauseDecision,
    ReviewDecision,
    Role,
    Status,
)
from hotline.domain.lifecycle import (
    DeadlineRequired,
    NoPausePending,
    NotLeadUnit,
    OrderPaused,
    PauseNotLater,
    PausePending,
    apply,
    replay,
)

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
DAY = timedelta(days=1)
DEADLINE = T0 + 7 * DAY


def in_progress():
    return replay(
        [
            ev.Register(T0),
            ev.Dispatch(T0 + timedelta(hours=1), unit="U1", co_units=("U2",), sign_by=T0 + DAY),
            ev.Sign(T0 + timedelta(hours=2), unit="U1", deadline=DEADLINE),
        ]
    )


def conclude(state, at):
    state = apply(state, ev.Reply(at, unit="U1", text="已处理"))
    return apply(state, ev.Review(at + timedelta(hours=1), decision=ReviewDecision.ACCEPT))


def test_ten_days_overdue_an_extension_granted_keeps_it_overdue():
    late = DEADLINE + 10 * DAY
    state = apply(
        in_progress(),
        ev.ExtensionRequest(late, unit="U1", until=late + 5 * DAY, reason="需协调多部门"),
    )
    assert state.overdue
    state = apply(state, ev.ExtensionDecide(late + DAY, decision=ExtensionDecision.GRANTED))
    assert state.deadline == late + 5 * DAY and state.overdue
    state = conclude(state, late + 2 * DAY)  # well inside the extended deadline
    assert state.status is Status.CONCLUDED and state.on_time is False


def test_an_extension_asked_in_time_and_granted_in_time_is_on_time():
    state = apply(
        in_progress(),
        ev.ExtensionRequest(DEADLINE - DAY, unit="U1", until=DEADLINE + 5 * DAY, reason="需协调"),
    )
    state = apply(state, ev.ExtensionDecide(DEADLINE - DAY / 2, ExtensionDecision.GRANTED))
    state = conclude(state, DEADLINE + 2 * DAY)
    assert not state.overdue and state.on_time is True


def test_a_pause_begun_after_the_deadline_does_not_erase_the_overdue():
    state = apply(in_progress(), ev.Pause(DEADLINE + DAY, reason="等待补充材料", unit="U1"))
    state = apply(state, ev.Resume(DEADLINE + 3 * DAY, deadline=DEADLINE + 3 * DAY, unit="U1"))
    assert state.overdue
    assert conclude(state, DEADLINE + 3 * DAY + timedelta(hours=1)).on_time is False


def test_a_pause_begun_in_time_moves_the_deadline_without_an_overdue():
    state = apply(in_progress(), ev.Pause(DEADLINE - DAY, reason="等待补充材料", unit="U1"))
    state = apply(state, ev.Resume(DEADLINE + DAY, deadline=DEADLINE + 2 * DAY, unit="U1"))
    assert not state.overdue
    assert conclude(state, DEADLINE + DAY + timedelta(hours=1)).on_time is True


def test_a_rework_starts_a_fresh_period_and_a_new_lead_a_fresh_clock():
    state = apply(in_progress(), ev.Reply(DEADLINE + DAY, unit="U1", text="已处理"))
    assert state.overdue
    state = apply(
        state,
        ev.Review(
            DEADLINE + 2 * DAY,
            decision=ReviewDecision.REWORK,
            note="未说明",
            deadline=DEADLINE + 9 * DAY,
        ),
    )
    assert not state.overdue
    late = apply(in_progress(), ev.Supervise(DEADLINE + DAY))
    assert late.overdue
    moved = apply(late, ev.Redispatch(DEADLINE + 2 * DAY, unit="U3", sign_by=DEADLINE + 3 * DAY))
    assert not moved.overdue


@pytest.mark.parametrize("unit", ["U1", ""], ids=["lead", "office"])
def test_the_lead_and_the_office_keep_the_clock(unit):
    state = apply(in_progress(), ev.Pause(T0 + DAY, reason="等待补充材料", unit=unit))
    assert state.paused_at == T0 + DAY
    state = apply(state, ev.Resume(T0 + 2 * DAY, deadline=DEADLINE + DAY, unit=unit))
    assert state.paused_at is None


def test_a_co_unit_may_neither_pause_nor_resume_the_leads_clock():
    with pytest.raises(NotLeadUnit, match="只有主办单位可以暂停或恢复计时"):
        apply(in_progress(), ev.Pause(T0 + DAY, reason="等待补充材料", unit="U2"))
    paused = apply(in_progress(), ev.Pause(T0 + DAY, reason="等待补充材料", unit="U1"))
    with pytest.raises(NotLeadUnit):
        apply(paused, ev.Resume(T0 + 2 * DAY, unit="U2"))


def test_the_order_page_offers_no_pause_to_a_co_unit():
    state = in_progress()
    assert "pause" in available_actions(state, role=Role.UNIT_HANDLER, unit="U1")
    assert "pause" not in available_actions(state, role=Role.UNIT_HANDLER, unit="U2")
    paused = apply(state, ev.Pause(T0 + DAY, reason="等待补充材料", unit="U1"))
    assert "resume" not in available_actions(paused, role=Role.UNIT_HANDLER, unit="U2")
    assert "resume" in available_actions(paused, role=Role.SUPERVISOR)


def long_pause_asked():
    return apply(
        in_progress(),
        ev.Pause(T0 + DAY, reason="等待鉴定结果", unit="U1", until=T0 + 20 * DAY, approval=True),
    )


def test_a_long_pause_is_a_request_and_the_clock_runs_until_granted():
    state = long_pause_asked()
    assert state.pause_request == T0 + 20 * DAY
    assert state.paused_at is None and state.stopped_since is None
    with pytest.raises(PausePending):
        apply(state, ev.Pause(T0 + 2 * DAY, reason="再次申请", unit="U1"))
    granted = apply(state, ev.PauseDecide(T0 + 2 * DAY, decision=PauseDecision.GRANTED))
    assert granted.paused_at == T0 + 2 * DAY and granted.stopped_since == T0 + 2 * DAY
    assert granted.pause_until == T0 + 20 * DAY and granted.pause_request is None
    with pytest.raises(OrderPaused):
        apply(granted, ev.Reply(T0 + 3 * DAY, unit="U1", text="已处理"))


def test_a_refused_long_pause_leaves_the_clock_running():
    state = apply(long_pause_asked(), ev.PauseDecide(T0 + 2 * DAY, decision=PauseDecision.REFUSED))
    assert state.pause_request is None and state.paused_at is None
    with pytest.raises(NoPausePending):
        apply(state, ev.PauseDecide(T0 + 3 * DAY, decision=PauseDecision.GRANTED))


def test_the_office_sees_the_decision_and_the_unit_may_still_reply():
    state = long_pause_asked()
    assert "pause_decision" in available_actions(state, role=Role.SUPERVISOR)
    assert "pause_decision" not in available_actions(in_progress(), role=Role.SUPERVISOR)
    replied = apply(state, ev.Reply(T0 + 2 * DAY, unit="U1", text="已处理"))
    assert replied.pause_request is None


def test_a_long_pause_needs_its_planned_end_and_an_end_after_its_start():
    with pytest.raises(DeadlineRequired):
        apply(in_progress(), ev.Pause(T0 + DAY, reason="等待", unit="U1", approval=True))
    with pytest.raises(PauseNotLater):
        apply(in_progress(), ev.Pause(T0 + DAY, reason="等待", unit="U1", until=T0 + DAY))
