"""Supervision that must be answered (SPEC 4, 2026-12): the answer, the refusals and
the escalation one level at a time once the answer deadline has passed."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline.domain import events as ev
from hotline.domain.calendar import WorkingCalendar
from hotline.domain.enums import ReviewDecision, Status, SupervisionLevel
from hotline.domain.lifecycle import (
    DeadlineRequired,
    EmptyText,
    NoSupervisionAwaiting,
    NotSupervisedUnit,
    apply,
    replay,
)
from hotline.domain.supervision import (
    Escalation,
    InvalidSupervisionRule,
    SupervisionRule,
    escalation_due,
)

TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=TZ)  # a Monday
ANSWER_BY = datetime(2026, 3, 9, 23, 59, 59, tzinfo=TZ)


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def supervised(level=SupervisionLevel.NORMAL, deadline=ANSWER_BY):
    return replay(
        [
            ev.Register(at(0)),
            ev.Dispatch(at(1), unit="U1", sign_by=at(3)),
            ev.Sign(at(2), unit="U1", deadline=at(24 * 20)),
            ev.Supervise(at(3), level=level, note="请加快办理", deadline=deadline),
        ]
    )


def test_a_supervision_with_a_deadline_awaits_the_lead_units_answer():
    state = supervised()
    assert state.supervision_unit == "U1"
    assert state.supervision_due == ANSWER_BY
    assert state.supervision is SupervisionLevel.NORMAL


def test_a_supervision_without_a_deadline_asks_no_answer_as_in_older_histories():
    state = supervised(deadline=None)
    assert state.supervision_unit is None and state.supervision_due is None


def test_the_supervised_unit_answers_and_nothing_is_owed_any_more():
    state = apply(supervised(), ev.SupervisionReply(at(5), unit="U1", text="已现场整改"))
    assert state.supervision_unit is None and state.supervision_due is None
    assert state.status is Status.IN_PROGRESS
    assert escalation_due(state, ANSWER_BY + timedelta(days=30)) is None


def test_another_unit_may_not_answer_someone_elses_supervision():
    with pytest.raises(NotSupervisedUnit) as refused:
        apply(supervised(), ev.SupervisionReply(at(5), unit="U2", text="已整改"))
    assert "「U2」不是被督办单位" in refused.value.message


@pytest.mark.parametrize("text", ["", "   "])
def test_an_empty_answer_is_refused(text):
    with pytest.raises(EmptyText):
        apply(supervised(), ev.SupervisionReply(at(5), unit="U1", text=text))


def test_an_answer_without_a_supervision_awaiting_is_refused():
    answered = apply(supervised(), ev.SupervisionReply(at(5), unit="U1", text="已整改"))
    with pytest.raises(NoSupervisionAwaiting):
        apply(answered, ev.SupervisionReply(at(6), unit="U1", text="再次回复"))


def test_an_answer_is_still_taken_after_the_order_is_concluded():
    state = supervised()
    for event in (
        ev.Reply(at(4), unit="U1", text="已清理"),
        ev.Review(at(5), decision=ReviewDecision.ACCEPT),
    ):
        state = apply(state, event)
    assert (
        apply(state, ev.SupervisionReply(at(6), unit="U1", text="已办结")).supervision_unit is None
    )


# --- escalation -----------------------------------------------------------------------


def test_escalation_is_due_only_after_the_answer_deadline_not_at_it():
    state = supervised()
    assert escalation_due(state, ANSWER_BY) is None
    assert escalation_due(state, ANSWER_BY + timedelta(seconds=1)) == Escalation(
        SupervisionLevel.YELLOW
    )


@pytest.mark.parametrize(
    ("level", "step"),
    [
        (SupervisionLevel.NORMAL, Escalation(SupervisionLevel.YELLOW)),
        (SupervisionLevel.YELLOW, Escalation(SupervisionLevel.RED)),
        (SupervisionLevel.RED, Escalation(SupervisionLevel.RED, leader=True)),
    ],
)
def test_an_unanswered_supervision_goes_up_one_level(level, step):
    assert escalation_due(supervised(level), ANSWER_BY + timedelta(minutes=1)) == step


def test_the_ladder_ends_with_the_leader_told_and_then_nothing_more():
    state, now = supervised(), ANSWER_BY
    seen = []
    for _ in range(5):
        now += timedelta(days=10)
        step = escalation_due(state, now)
        if step is None:
            break
        seen.append("leader" if step.leader else step.level.value)
        state = apply(
            state,
            ev.SupervisionEscalate(
                now,
                level=step.level,
                leader=step.leader,
                unit="U1",
                deadline=None if step.leader else now + timedelta(days=3),
            ),
        )
    assert seen == ["yellow", "red", "leader"]
    assert state.supervision is SupervisionLevel.RED and state.supervision_leader
    assert state.supervision_unit == "U1"  # the answer is still owed
    assert apply(state, ev.SupervisionReply(now, unit="U1", text="已整改")).supervision_unit is None


def test_an_escalation_to_a_card_needs_its_new_deadline():
    with pytest.raises(DeadlineRequired):
        apply(supervised(), ev.SupervisionEscalate(at(5), level=SupervisionLevel.YELLOW, unit="U1"))


def test_a_concluded_order_does_not_escalate():
    state = supervised()
    for event in (
        ev.Reply(at(4), unit="U1", text="已清理"),
        ev.Review(at(5), decision=ReviewDecision.ACCEPT),
    ):
        state = apply(state, event)
    assert escalation_due(state, ANSWER_BY + timedelta(days=1)) is None


@given(st.integers(min_value=-10 * 24 * 60, max_value=10 * 24 * 60))
def test_escalation_is_due_exactly_when_the_clock_is_past_the_deadline(minutes):
    now = ANSWER_BY + timedelta(minutes=minutes)
    assert (escalation_due(supervised(), now) is not None) == (now > ANSWER_BY)


# --- the rule (a setting) -------------------------------------------------------------


def test_the_answer_deadline_counts_working_days_by_level():
    rule = SupervisionRule()
    calendar = WorkingCalendar()
    wednesday = datetime(2026, 9, 30, 16, 0, tzinfo=TZ)
    # SPEC 4's example: 10-01…10-07 are National Day holidays, Sat 10-10 is worked.
    red = rule.answer_deadline(wednesday, SupervisionLevel.RED, calendar)
    assert red.date() == date(2026, 10, 9)
    normal = rule.answer_deadline(wednesday, SupervisionLevel.NORMAL, calendar)
    assert normal.date() == date(2026, 10, 13)
    assert (normal.hour, normal.minute, normal.second) == (23, 59, 59)


def test_the_office_sets_the_days_per_level():
    rule = SupervisionRule.from_settings(
        {"supervision_reply_days": {"normal": 10, "yellow": 5, "red": 1}}
    )
    assert rule.reply_days["normal"] == 10
    assert SupervisionRule.from_settings({}).reply_days["red"] == 2


@pytest.mark.parametrize(
    "value", [{"normal": 5}, {"normal": 0, "yellow": 3, "red": 2}, [5, 3, 2], {"normal": "5"}]
)
def test_a_bad_setting_is_refused(value):
    with pytest.raises(InvalidSupervisionRule):
        SupervisionRule.from_settings({"supervision_reply_days": value})
