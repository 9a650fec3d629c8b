"""The call-event rules of live telephony (SPEC 8): folding, the missed-call list, the
GB/T 33358 figures."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline.domain.telephony import (
    CallEvent,
    CallEventKind,
    CallStatus,
    InvalidCallEvent,
    call_figures,
    check_event,
    fold,
    on_callback_list,
)

T0 = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)
R, A, E, M = (
    CallEventKind.RINGING,
    CallEventKind.ANSWERED,
    CallEventKind.ENDED,
    CallEventKind.MISSED,
)


def ev(kind, seconds, **fields):
    return CallEvent(call_id="c1", kind=kind, at=T0 + timedelta(seconds=seconds), **fields)


ANSWERED_CALL = [
    ev(R, 0, caller="13800000001", callee="12345", queue="hotline"),
    ev(A, 12, seat="8001"),
    ev(E, 100, recording="https://rec.example/c1.wav"),
]


def test_an_answered_call_waits_until_it_is_answered_and_talks_until_it_ends():
    record = fold(ANSWERED_CALL)
    assert record.status is CallStatus.ENDED
    assert (record.wait_seconds, record.talk_seconds) == (12, 88)
    assert (record.caller, record.seat, record.queue) == ("13800000001", "8001", "hotline")
    assert record.recording == "https://rec.example/c1.wav"


def test_a_call_nobody_answered_is_missed_and_its_wait_is_until_the_caller_left():
    record = fold([ev(R, 0, caller="13800000001"), ev(M, 40)])
    assert record.status is CallStatus.MISSED
    assert (record.answered, record.wait_seconds, record.talk_seconds) == (False, 40, None)


def test_an_end_without_an_answer_is_a_missed_call():
    assert fold([ev(R, 0), ev(E, 9)]).status is CallStatus.MISSED


def test_a_call_still_ringing_or_talking():
    assert fold([ev(R, 0)]).status is CallStatus.RINGING
    assert fold(ANSWERED_CALL[:2]).status is CallStatus.ANSWERED


def test_an_answer_reported_after_the_end_still_makes_the_call_answered():
    record = fold([ANSWERED_CALL[2], ANSWERED_CALL[0], ANSWERED_CALL[1]])
    assert record == fold(ANSWERED_CALL)


def test_without_a_ringing_report_the_call_begins_at_its_first_event():
    record = fold([ev(E, 50), ev(A, 20, seat="8002")])
    assert record.started_at == T0 + timedelta(seconds=20)
    assert record.wait_seconds == 0


def test_a_kind_reported_twice_with_other_facts_keeps_the_earliest_report():
    late = ev(A, 30, seat="8009")
    assert fold([*ANSWERED_CALL, late]).seat == "8001"
    assert fold([late, *ANSWERED_CALL]).seat == "8001"


@pytest.mark.parametrize(
    ("event", "field"),
    [
        (CallEvent(call_id=" ", kind=R, at=T0), "call_id"),
        (CallEvent(call_id="c", kind=R, at=datetime(2026, 12, 7)), "at"),
        (CallEvent(call_id="c", kind=A, at=T0), "seat"),
    ],
)
def test_events_that_cannot_be_kept_are_refused_naming_the_field(event, field):
    with pytest.raises(InvalidCallEvent) as refused:
        check_event(event)
    assert refused.value.field == field


def test_events_of_two_calls_cannot_be_folded_together():
    with pytest.raises(InvalidCallEvent):
        fold([ev(R, 0), CallEvent(call_id="c2", kind=E, at=T0)])


events_of_a_call = st.lists(
    st.builds(
        ev,
        st.sampled_from(list(CallEventKind)),
        st.integers(min_value=0, max_value=600),
        caller=st.sampled_from(["", "13800000001", "13900000002"]),
        seat=st.sampled_from(["8001", "8002"]),
    ),
    min_size=1,
    max_size=8,
)


@settings(deadline=None)  # the machine is shared; the property, not the speed, is tested
@given(events_of_a_call, st.randoms(use_true_random=False), st.data())
def test_any_order_or_repetition_of_a_calls_events_gives_the_same_record(events, rng, data):
    repeated = events + data.draw(st.lists(st.sampled_from(events), max_size=6))
    rng.shuffle(repeated)
    assert fold(repeated) == fold(events)


@given(events_of_a_call)
def test_a_record_is_consistent(events):
    record = fold(events)
    assert record.answered == (record.status in (CallStatus.ANSWERED, CallStatus.ENDED))
    assert record.wait_seconds is None or record.wait_seconds >= 0
    assert record.talk_seconds is None or record.talk_seconds >= 0
    if record.status is CallStatus.RINGING:
        assert record.wait_seconds is None


# --- the missed-call list -------------------------------------------------------------------


def test_a_missed_call_lands_on_the_list_only_after_the_settings_minutes():
    rule = dict(missed_at=T0, minutes=30, contacts=[], callbacks=[])
    assert not on_callback_list(now=T0 + timedelta(minutes=29), **rule)
    assert on_callback_list(now=T0 + timedelta(minutes=30), **rule)


def test_a_number_that_reached_an_operator_or_was_called_back_is_not_on_the_list():
    later = T0 + timedelta(minutes=5)
    now = T0 + timedelta(hours=2)
    assert not on_callback_list(missed_at=T0, now=now, minutes=30, contacts=[later], callbacks=[])
    assert not on_callback_list(missed_at=T0, now=now, minutes=30, contacts=[], callbacks=[later])
    earlier = T0 - timedelta(minutes=5)
    assert on_callback_list(missed_at=T0, now=now, minutes=30, contacts=[earlier], callbacks=[])


# --- GB/T 33358 -------------------------------------------------------------------------------


def test_the_figures_of_a_hand_computed_call_log():
    def call(call_id, wait, answered):
        kinds = [CallEvent(call_id=call_id, kind=R, at=T0)]
        end = T0 + timedelta(seconds=wait)
        kinds.append(CallEvent(call_id=call_id, kind=A if answered else M, at=end, seat="8001"))
        return fold(kinds)

    records = [call("a", 5, True), call("b", 15, True), call("c", 16, True), call("d", 60, True)]
    records += [call("e", 30, False), fold([CallEvent(call_id="f", kind=R, at=T0)])]
    figures = call_figures(records)
    # 5 offered (f still rings), 4 answered, 2 within 15 s, waits 5+15+16+60 = 96, 1 abandoned
    assert (figures.offered, figures.answered, figures.abandoned) == (5, 4, 1)
    assert figures.answer_rate == 0.8
    assert figures.answered_within_15s_rate == 0.4
    assert figures.average_wait_seconds == 24.0


def test_no_calls_give_no_rates():
    figures = call_figures([])
    assert figures.answer_rate is None and figures.average_wait_seconds is None
