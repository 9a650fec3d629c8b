"""The sign-for watch (SPEC 4, 2026-12): yellow at half the sign-for time, 签收超时 after
the sign-for deadline, automatic supervision a setting's working hours later — on the
working-hour clock, with the clock injected at the edges."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline.domain.calendar import WorkingCalendar
from hotline.domain.deadline_watch import (
    Step,
    notice_for,
    sign_for_colour,
    sign_for_step,
    sign_for_supervision_from,
    sign_for_yellow_from,
    signed_late,
)
from hotline.domain.deadlines import (
    DeadlinePolicy,
    InvalidPolicy,
    Warning,
    add_working_time,
    sign_by,
    working_time_between,
)
from hotline.domain.notification_rules import NoticeKind

TZ = ZoneInfo("Asia/Shanghai")
CALENDAR = WorkingCalendar()
POLICY = DeadlinePolicy()


def local(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


def step(now: datetime, dispatched: datetime, *, urgent: bool = False, policy=POLICY):
    deadline = sign_by(dispatched, urgent=urgent, policy=policy, calendar=CALENDAR)
    return sign_for_step(
        now,
        dispatched_at=dispatched,
        sign_by=deadline,
        urgent=urgent,
        policy=policy,
        calendar=CALENDAR,
    )


MONDAY_NINE = local(2026, 3, 2, 9, 0)  # sign-for deadline 11:00


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (local(2026, 3, 2, 9, 59, 59), None),
        (local(2026, 3, 2, 10, 0), Step.SIGN_YELLOW),  # exactly half the sign-for time
        (local(2026, 3, 2, 11, 0), Step.SIGN_YELLOW),  # the deadline itself is in time
        (local(2026, 3, 2, 11, 0, 1), Step.SIGN_OVERDUE),
        (local(2026, 3, 2, 13, 0), Step.SIGN_OVERDUE),
        (local(2026, 3, 2, 13, 0, 1), Step.SIGN_SUPERVISION),  # 4 working hours unsigned
    ],
)
def test_the_steps_of_a_working_day(now, expected):
    assert step(now, MONDAY_NINE) is expected


def test_on_a_holidays_eve_the_time_waits_for_the_next_working_day():
    # Dispatched Wed 2026-09-30 16:30: one working hour that day, then the National Day
    # holidays (10-01…10-07); the second hour runs on Thu 10-08.
    dispatched = local(2026, 9, 30, 16, 30)
    deadline = sign_by(dispatched, urgent=False, policy=POLICY, calendar=CALENDAR)
    assert deadline == local(2026, 10, 8, 9, 30)
    assert step(local(2026, 9, 30, 17, 29), dispatched) is None
    assert step(local(2026, 9, 30, 17, 30), dispatched) is Step.SIGN_YELLOW
    assert step(local(2026, 10, 5, 12, 0), dispatched) is Step.SIGN_YELLOW  # holiday
    assert step(local(2026, 10, 8, 9, 31), dispatched) is Step.SIGN_OVERDUE
    assert step(local(2026, 10, 8, 11, 30), dispatched) is Step.SIGN_OVERDUE
    assert step(local(2026, 10, 8, 11, 31), dispatched) is Step.SIGN_SUPERVISION


def test_urgent_orders_run_on_the_wall_clock():
    dispatched = local(2026, 3, 7, 22, 0)  # a Saturday night: 30 minutes to sign
    assert step(local(2026, 3, 7, 22, 14), dispatched, urgent=True) is None
    assert step(local(2026, 3, 7, 22, 15), dispatched, urgent=True) is Step.SIGN_YELLOW
    assert step(local(2026, 3, 7, 22, 31), dispatched, urgent=True) is Step.SIGN_OVERDUE
    assert step(local(2026, 3, 8, 0, 31), dispatched, urgent=True) is Step.SIGN_SUPERVISION


def test_the_supervision_delay_is_the_offices_setting():
    policy = DeadlinePolicy.from_settings({"sign_for_supervision_hours": "0"})
    assert step(local(2026, 3, 2, 11, 0, 1), MONDAY_NINE, policy=policy) is (Step.SIGN_SUPERVISION)
    later = DeadlinePolicy.from_settings({"sign_for_supervision_hours": 9})
    assert sign_for_supervision_from(
        sign_by=local(2026, 3, 2, 11, 0), urgent=False, policy=later, calendar=CALENDAR
    ) == local(2026, 3, 3, 11, 0)


@pytest.mark.parametrize("value", [-1, "x", float("nan")])
def test_a_bad_supervision_delay_is_refused(value):
    with pytest.raises(InvalidPolicy):
        DeadlinePolicy.from_settings({"sign_for_supervision_hours": value})


def test_colours_and_notices():
    assert sign_for_colour(None) is Warning.GREEN
    assert sign_for_colour(Step.SIGN_YELLOW) is Warning.YELLOW
    assert sign_for_colour(Step.SIGN_OVERDUE) is Warning.RED
    assert sign_for_colour(Step.SIGN_SUPERVISION) is Warning.RED
    assert notice_for(Step.SIGN_YELLOW) is NoticeKind.SIGN_YELLOW
    assert notice_for(Step.SIGN_OVERDUE) is NoticeKind.SIGN_OVERDUE
    assert notice_for(Step.SIGN_SUPERVISION) is None


MOMENTS = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2026, 12, 20), timezones=st.just(TZ)
)
HOURS = st.floats(min_value=0.25, max_value=30)


@settings(deadline=None, max_examples=150)
@given(MOMENTS, HOURS)
def test_working_time_added_is_working_time_between(start, hours):
    amount = timedelta(hours=hours)
    end = add_working_time(start, amount, hours=POLICY.office_hours, calendar=CALENDAR)
    between = working_time_between(start, end, hours=POLICY.office_hours, calendar=CALENDAR)
    assert abs(between - amount) < timedelta(microseconds=10)


@settings(deadline=None, max_examples=150)
@given(MOMENTS, st.booleans(), st.integers(0, 60 * 60 * 24 * 10))
def test_the_steps_only_ever_advance(dispatched, urgent, seconds):
    deadline = sign_by(dispatched, urgent=urgent, policy=POLICY, calendar=CALENDAR)
    yellow = sign_for_yellow_from(
        dispatched_at=dispatched, sign_by=deadline, urgent=urgent, policy=POLICY, calendar=CALENDAR
    )
    assert dispatched <= yellow <= deadline
    order = [None, Step.SIGN_YELLOW, Step.SIGN_OVERDUE, Step.SIGN_SUPERVISION]
    now = dispatched + timedelta(seconds=seconds)
    earlier = step(now, dispatched, urgent=urgent)
    later = step(now + timedelta(hours=1), dispatched, urgent=urgent)
    assert order.index(earlier) <= order.index(later)


def test_signed_late_is_after_the_sign_for_deadline_or_unsigned_past_it():
    from hotline.domain import events as ev
    from hotline.domain import lifecycle

    sign_by = local(2026, 3, 2, 11, 0)
    dispatched = lifecycle.replay(
        [
            ev.Register(at=local(2026, 3, 2, 9, 0)),
            ev.Dispatch(at=local(2026, 3, 2, 9, 5), unit="U1", sign_by=sign_by),
        ]
    )
    assert not signed_late(dispatched, sign_by)  # the deadline itself is in time
    assert signed_late(dispatched, sign_by + timedelta(seconds=1))

    def signed(at):
        return lifecycle.apply(dispatched, ev.Sign(at=at, unit="U1", deadline=at))

    later = sign_by + timedelta(days=3)
    assert not signed_late(signed(sign_by), later)
    assert signed_late(signed(sign_by + timedelta(minutes=1)), later)
