"""SPEC 5 (2026-12): an order falls in the period in which it is concluded or falls due,
whichever comes first, and stays there."""

from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from hotline.domain.assessment_cohort import falls_due_at
from hotline.domain.enums import Status
from hotline.domain.lifecycle import OrderState, replace

DISPATCHED = datetime(2026, 11, 20, 9, 0)
SIGN_BY = DISPATCHED + timedelta(hours=2)
SIGNED = DISPATCHED + timedelta(hours=1)
DEADLINE = datetime(2026, 12, 4, 23, 59, 59)

dispatched = OrderState(
    status=Status.DISPATCHED, registered_at=DISPATCHED, last_at=DISPATCHED, lead="U1",
    sign_by=SIGN_BY,
)  # fmt: skip
signed = replace(dispatched, status=Status.IN_PROGRESS, signed_at=SIGNED, deadline=DEADLINE)


def test_an_order_not_yet_signed_falls_due_at_its_sign_for_deadline():
    assert falls_due_at(None, dispatched, DISPATCHED) == SIGN_BY


def test_a_signed_order_falls_due_at_its_deadline():
    assert falls_due_at(SIGN_BY, signed, SIGNED) == DEADLINE


def test_a_late_sign_for_leaves_the_order_where_it_fell_due():
    late = replace(signed, signed_at=SIGN_BY + timedelta(hours=3))
    assert falls_due_at(SIGN_BY, late, SIGN_BY + timedelta(hours=3)) == SIGN_BY


def test_a_conclusion_inside_the_deadline_is_the_moment():
    at = datetime(2026, 11, 30, 10, 0)
    concluded = replace(signed, status=Status.CONCLUDED, concluded_at=at)
    assert falls_due_at(DEADLINE, concluded, at) == at


def test_a_conclusion_after_the_deadline_keeps_the_deadline():
    at = DEADLINE + timedelta(days=3)
    concluded = replace(signed, status=Status.CONCLUDED, concluded_at=at)
    assert falls_due_at(DEADLINE, concluded, at) == DEADLINE


def test_an_extension_granted_before_the_deadline_moves_it():
    later = DEADLINE + timedelta(days=10)
    extended = replace(signed, deadline=later)
    assert falls_due_at(DEADLINE, extended, DEADLINE - timedelta(days=1)) == later


def test_an_extension_granted_after_the_deadline_does_not():
    extended = replace(signed, deadline=DEADLINE + timedelta(days=30))
    assert falls_due_at(DEADLINE, extended, DEADLINE + timedelta(days=10)) == DEADLINE


def test_a_paused_clock_cannot_fall_due_and_resumes_with_the_moved_deadline():
    at = DEADLINE - timedelta(days=2)
    paused = replace(signed, paused_at=at, stopped_since=at)
    assert falls_due_at(DEADLINE, paused, at) is None
    resumed = replace(signed, deadline=DEADLINE + timedelta(days=5))
    assert falls_due_at(None, resumed, at + timedelta(days=5)) == DEADLINE + timedelta(days=5)


def test_a_rework_after_the_conclusion_leaves_the_order_in_its_period():
    at = datetime(2026, 11, 30, 10, 0)
    reworked = replace(signed, deadline=DEADLINE + timedelta(days=20))
    assert falls_due_at(at, reworked, at + timedelta(days=2)) == at


@given(
    previous=st.none() | st.datetimes(datetime(2026, 1, 1), datetime(2027, 1, 1)),
    at=st.datetimes(datetime(2026, 1, 1), datetime(2027, 1, 1)),
    deadline=st.datetimes(datetime(2026, 1, 1), datetime(2027, 1, 1)),
)
def test_once_passed_the_moment_never_moves(previous, at, deadline):
    result = falls_due_at(previous, replace(signed, deadline=deadline), at)
    if previous is not None and previous <= at:
        assert result == previous
    else:
        assert result == deadline
