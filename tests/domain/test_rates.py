"""The three rates of SPEC 5 (2026-12), the response time, the contact rule and the
automatic 答复与回访不符 violation (SPEC 6)."""

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline.domain import events as ev
from hotline.domain.assessment import AssessmentRule
from hotline.domain.calendar import WorkingCalendar
from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.discipline import violations_from_callback
from hotline.domain.enums import (
    CallbackResult,
    ContactOutcome,
    ContactWay,
    Solved,
    Status,
    ViolationKind,
)
from hotline.domain.lifecycle import NotAssignedUnit, apply, replay
from hotline.domain.office_settings import InvalidSetting, rates_rule
from hotline.domain.rates import (
    InvalidRatesRule,
    RatesRule,
    resolution_rate,
    respond_by,
    response_rate,
    three_rate_score,
)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)


# --- vocabularies -----------------------------------------------------------------------


def test_the_new_vocabularies_speak_the_glossary():
    assert [s.value for s in Solved] == ["solved", "partly", "not_solved"]
    assert [s.label for s in Solved] == ["已解决", "部分解决", "未解决"]
    assert Solved.parse("部分解决") is Solved.PARTLY
    assert {w.value for w in ContactWay} == {"phone", "on_site", "sms", "three_way", "other"}
    assert ContactOutcome.parse("已联系上") is ContactOutcome.REACHED
    assert all(not m.label.isascii() for m in (*ContactWay, *ContactOutcome))


# --- the response time ----------------------------------------------------------------


def test_the_first_contact_is_due_by_the_end_of_the_next_working_day():
    calendar = WorkingCalendar()
    # Signed on Friday 2026-09-25: Monday 2026-09-28 is the next working day.
    assert respond_by(at(2026, 9, 25, 16, 0), rule=RatesRule(), calendar=calendar) == at(
        2026, 9, 28, 23, 59, 59
    )
    # Signed on Wed 2026-09-30: the National Day holidays run to 10-07.
    assert respond_by(at(2026, 9, 30, 9, 0), rule=RatesRule(), calendar=calendar).date() == date(
        2026, 10, 8
    )
    two = RatesRule(response_days=2)
    assert respond_by(at(2026, 9, 25, 16, 0), rule=two, calendar=calendar).date() == date(
        2026, 9, 29
    )


# --- the rates --------------------------------------------------------------------------


def test_response_rate_is_in_time_over_needing_contact():
    assert response_rate(responded=3, needing=4) == 0.75
    assert response_rate(responded=2, needing=3) == 0.6667
    assert response_rate(responded=0, needing=0) is None  # nothing to measure


def test_partly_solved_counts_half_by_default_and_as_the_setting_says():
    assert resolution_rate(solved=2, partly=2, answered=4, rule=RatesRule()) == 0.75
    assert resolution_rate(solved=2, partly=2, answered=4, rule=RatesRule(partly_weight=0)) == 0.5
    assert resolution_rate(solved=0, partly=0, answered=0, rule=RatesRule()) is None


@given(st.integers(0, 500), st.integers(0, 500), st.integers(0, 500), st.floats(0, 1, width=32))
def test_the_resolution_rate_stays_a_fraction(solved, partly, unsolved, weight):
    found = resolution_rate(
        solved=solved,
        partly=partly,
        answered=solved + partly + unsolved,
        rule=RatesRule(partly_weight=weight),
    )
    assert found is None or 0 <= found <= 1


def test_counts_that_do_not_add_up_are_refused():
    with pytest.raises(InvalidRatesRule):
        response_rate(responded=3, needing=2)
    with pytest.raises(InvalidRatesRule):
        resolution_rate(solved=3, partly=1, answered=3, rule=RatesRule())


def test_the_score_stays_spec_5s_unless_the_office_weighs_the_three_rates_in():
    grading = AssessmentRule()
    off = three_rate_score(
        response=0.5, resolution=0.5, satisfaction=0.5, rule=RatesRule(), grading=grading
    )
    assert off is None
    weighed = three_rate_score(
        response=1.0,
        resolution=0.75,
        satisfaction=1.0,
        rule=RatesRule(weights=(30, 30, 40)),
        grading=grading,
    )
    assert (weighed.score, weighed.grade) == (92.5, "B")
    # Nothing to measure counts 100 %, as SPEC 5 counts satisfaction with no callback.
    empty = three_rate_score(
        response=None,
        resolution=None,
        satisfaction=1.0,
        rule=RatesRule(weights=(30, 30, 40)),
        grading=grading,
    )
    assert empty.score == 100.0


def test_the_rates_settings_are_checked_before_they_are_saved():
    assert rates_rule({}) == RatesRule()
    assert rates_rule({"response_days": 2, "partly_solved_weight": 0.3}) == RatesRule(2, 0.3)
    assert rates_rule({"three_rate_weights": None}).weights is None
    weights = {"response": 20, "resolution": 30, "satisfaction": 50}
    assert rates_rule({"three_rate_weights": weights}).weights == (20, 30, 50)
    for bad in (
        {"response_days": 0},
        {"response_days": "one"},
        {"partly_solved_weight": 2},
        {"three_rate_weights": {"response": 50, "resolution": 50}},
        {"three_rate_weights": {"response": 50, "resolution": 50, "satisfaction": 50}},
    ):
        with pytest.raises(InvalidSetting):
            rates_rule(bad)


# --- contacts in the state machine -------------------------------------------------------


def _signed(respond: datetime | None = None):
    return [
        ev.Register(at=at(2026, 3, 2, 9, 0)),
        ev.Dispatch(at=at(2026, 3, 2, 9, 5), unit="U1", co_units=("U2",)),
        ev.Sign(
            at=at(2026, 3, 2, 10, 0),
            unit="U1",
            deadline=at(2026, 3, 9, 23, 59, 59),
            respond_by=respond,
        ),
    ]


def test_the_sign_for_keeps_the_response_time_and_a_redispatch_clears_it():
    state = replay(_signed(at(2026, 3, 3, 23, 59, 59)))
    assert state.respond_by == at(2026, 3, 3, 23, 59, 59)
    again = apply(state, ev.Redispatch(at=at(2026, 3, 2, 11, 0), unit="U3"))
    assert again.respond_by is None


def test_any_unit_of_the_order_records_a_contact_and_nothing_else_changes():
    state = replay(_signed())
    for unit in ("U1", "U2"):
        after = apply(
            state,
            ev.Contact(
                at=at(2026, 3, 2, 11, 0),
                unit=unit,
                way=ContactWay.ON_SITE,
                outcome=ContactOutcome.UNREACHABLE,
            ),
        )
        assert after.status is Status.IN_PROGRESS
        assert after == apply(state, ev.Instruct(at=at(2026, 3, 2, 11, 0), text="请办理"))


def test_a_unit_not_on_the_order_cannot_record_a_contact():
    with pytest.raises(NotAssignedUnit, match="不是该工单的承办单位"):
        apply(replay(_signed()), ev.Contact(at=at(2026, 3, 2, 11, 0), unit="U9"))


# --- 答复与回访不符 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("resolved", "solved", "raised"),
    [
        (True, Solved.NOT_SOLVED, True),
        (True, Solved.PARTLY, False),
        (True, Solved.SOLVED, False),
        (True, None, False),  # the question was not asked
        (False, Solved.NOT_SOLVED, False),  # the unit said so itself
        (None, Solved.NOT_SOLVED, False),  # an older reply said nothing either way
    ],
)
def test_a_reply_said_resolved_that_the_citizen_says_is_not_raises_a_violation(
    resolved, solved, raised
):
    callback = ev.Callback(
        at=at(2026, 3, 10, 9, 0), result=CallbackResult.UNSATISFIED, solved=solved
    )
    found = violations_from_callback(callback, reply_resolved=resolved)
    assert (ViolationKind.CONTRADICTION in found) is raised


def test_the_reply_keeps_its_resolved_answer_in_the_state():
    log = [
        *_signed(),
        ev.Reply(at=at(2026, 3, 3, 9, 0), unit="U1", text="已处理", resolved=True),
    ]
    assert replay(log).reply_resolved is True
    assert replay(log[:-1]).reply_resolved is None
