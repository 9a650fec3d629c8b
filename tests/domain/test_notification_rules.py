"""Who is told what: the notices each step of an order implies, and the retry waits."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline.domain import events as ev
from hotline.domain.enums import CallbackResult, ReturnDecision, ReviewDecision
from hotline.domain.lifecycle import apply, replay
from hotline.domain.notification_rules import (
    RETRY_CEILING,
    Notice,
    NoticeKind,
    implied,
    retry_after,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


DEADLINE = at(60 * 24 * 10)
REGISTER = ev.Register(at=at(0))
DISPATCH = ev.Dispatch(at=at(1), unit="A", co_units=("C",), sign_by=at(120))
SIGN = ev.Sign(at=at(2), unit="A", deadline=DEADLINE)
REPLY = ev.Reply(at=at(3), unit="A", text="已处理")


def told(history: list[ev.Event], event: ev.Event) -> tuple[Notice, ...]:
    before = replay(history)
    return implied(before, apply(before, event))


def test_a_dispatch_tells_lead_and_co_units_and_gives_the_citizen_the_number():
    assert told([REGISTER], DISPATCH) == (
        Notice(NoticeKind.NEW_ORDER, "A"),
        Notice(NoticeKind.NEW_ORDER, "C"),
        Notice(NoticeKind.ACCEPTED),
    )


def test_a_redispatch_tells_only_the_units_new_to_the_order():
    redispatch = ev.Redispatch(at=at(3), unit="B", co_units=("C",), sign_by=at(180))
    assert told([REGISTER, DISPATCH], redispatch) == (Notice(NoticeKind.NEW_ORDER, "B"),)


def test_an_accepted_return_tells_the_next_unit_and_a_refused_one_nobody():
    returned = [REGISTER, DISPATCH, ev.Return(at=at(2), unit="A", reason="不属本单位")]
    accepted = ev.ReturnReview(at=at(3), decision=ReturnDecision.ACCEPT, unit="B", sign_by=at(180))
    assert told(returned, accepted) == (Notice(NoticeKind.NEW_ORDER, "B"),)
    assert told(returned, ev.ReturnReview(at=at(3), decision=ReturnDecision.REFUSE)) == ()


def test_a_sub_dispatch_tells_the_sub_unit():
    sub = ev.SubDispatch(at=at(3), unit="A", sub_unit="A1")
    assert told([REGISTER, DISPATCH, SIGN], sub) == (Notice(NoticeKind.NEW_ORDER, "A1"),)


def test_rework_at_review_or_after_a_callback_tells_the_lead():
    replied = [REGISTER, DISPATCH, SIGN, REPLY]
    rework = ev.Review(at=at(4), decision=ReviewDecision.REWORK, note="答复空泛")
    assert told(replied, rework) == (Notice(NoticeKind.REWORK, "A"),)
    accept = ev.Review(at=at(4), decision=ReviewDecision.ACCEPT)
    unhappy = ev.Callback(at=at(5), result=CallbackResult.UNSATISFIED, rework=True)
    assert told([*replied, accept], unhappy) == (Notice(NoticeKind.REWORK, "A"),)


def test_the_citizen_hears_of_the_accepted_reply_each_time_the_order_is_concluded():
    replied = [REGISTER, DISPATCH, SIGN, REPLY]
    accept = ev.Review(at=at(4), decision=ReviewDecision.ACCEPT)
    assert told(replied, accept) == (Notice(NoticeKind.REPLIED),)
    # A history without review: the close after a reply concludes it.
    assert told(replied, ev.Close(at=at(4))) == (Notice(NoticeKind.REPLIED),)
    concluded = [*replied, accept]
    assert told(concluded, ev.Close(at=at(5))) == ()
    satisfied = ev.Callback(at=at(5), result=CallbackResult.SATISFIED)
    assert told(concluded, satisfied) == ()


@pytest.mark.parametrize(
    "event",
    [
        ev.Answer(at=at(1)),
        ev.MarkHarassment(at=at(1)),
        ev.Instruct(at=at(1), text="请尽快办理"),
    ],
)
def test_what_happens_at_intake_tells_nobody(event):
    assert told([REGISTER], event) == ()


@pytest.mark.parametrize(
    "event",
    [
        SIGN,
        ev.Pause(at=at(3), reason="等待材料"),
        ev.Supervise(at=at(3)),
        ev.CoReply(at=at(3), unit="C", text="已配合"),
        ev.ExtensionRequest(at=at(3), unit="A", until=DEADLINE + timedelta(days=3), reason="协调"),
    ],
)
def test_handling_steps_tell_nobody(event):
    history = [REGISTER, DISPATCH] if event is SIGN else [REGISTER, DISPATCH, SIGN]
    assert told(history, event) == ()


def test_only_the_citizen_notices_have_no_unit():
    assert Notice(NoticeKind.ACCEPTED).for_citizen
    assert not Notice(NoticeKind.RED, "A").for_citizen


def test_retries_wait_longer_each_time_up_to_an_hour():
    assert [retry_after(n) for n in (1, 2, 3, 4)] == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=15),
        timedelta(hours=1),
    ]
    with pytest.raises(ValueError):
        retry_after(0)


@settings(deadline=None)
@given(st.integers(min_value=1, max_value=10_000))
def test_retry_waits_never_shrink_and_never_pass_the_ceiling(attempts):
    assert retry_after(attempts) <= retry_after(attempts + 1) <= RETRY_CEILING
