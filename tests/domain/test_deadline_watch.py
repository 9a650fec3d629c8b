"""The deadline watch's rules: which step an order's clock calls for, and when an
overdue order is supervised automatically."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from hotline.domain.deadline_watch import (
    AUTOMATIC_LEVEL,
    Step,
    automatic_supervision,
    notice_for,
    settled_levels,
    warning_step,
)
from hotline.domain.enums import SupervisionLevel
from hotline.domain.notification_rules import NoticeKind

TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 3, 2, 9, 0, tzinfo=TZ)
DEADLINE = START + timedelta(days=10)


def step_at(days: float, fraction: float = 0.2):
    now = START + timedelta(days=days)
    return warning_step(now, start=START, deadline=DEADLINE, yellow_fraction=fraction)


def test_green_then_yellow_in_the_last_fifth_then_overdue():
    assert step_at(7.9) is None
    assert step_at(8) is Step.YELLOW
    assert step_at(10) is Step.YELLOW  # the deadline itself is still in time
    assert step_at(10.0001) is Step.OVERDUE


def test_the_yellow_share_is_the_offices():
    assert step_at(5, fraction=0.5) is Step.YELLOW
    assert step_at(9.9, fraction=0) is None


def test_steps_tell_the_unit_yellow_and_red_and_supervision_tells_nobody():
    assert notice_for(Step.YELLOW) is NoticeKind.YELLOW
    assert notice_for(Step.OVERDUE) is NoticeKind.RED
    assert notice_for(Step.SUPERVISION) is None


@settings(deadline=None)
@given(
    st.floats(min_value=-5, max_value=20, allow_nan=False),
    st.floats(min_value=0, max_value=1, allow_nan=False),
)
def test_overdue_exactly_when_past_the_deadline(days, fraction):
    step = step_at(days, fraction)
    now = START + timedelta(days=days)
    assert (step is Step.OVERDUE) == (now > DEADLINE)
    assert step is not Step.SUPERVISION


def test_an_overdue_order_gets_a_yellow_card():
    late = DEADLINE + timedelta(minutes=1)
    assert automatic_supervision(late, deadline=DEADLINE, current=None) is SupervisionLevel.YELLOW
    normal = SupervisionLevel.NORMAL
    assert automatic_supervision(late, deadline=DEADLINE, current=normal) is AUTOMATIC_LEVEL


def test_no_card_in_time_nor_over_the_offices_yellow_or_red():
    assert automatic_supervision(DEADLINE, deadline=DEADLINE, current=None) is None
    late = DEADLINE + timedelta(days=3)
    for level in (SupervisionLevel.YELLOW, SupervisionLevel.RED):
        assert automatic_supervision(late, deadline=DEADLINE, current=level) is None


def test_the_settled_levels_are_the_automatic_one_and_stronger():
    assert settled_levels() == {SupervisionLevel.YELLOW, SupervisionLevel.RED}


@settings(deadline=None)
@given(st.sampled_from([None, *SupervisionLevel]), st.integers(-10_000, 10_000))
def test_a_card_only_when_overdue_and_not_settled(current, minutes):
    now = DEADLINE + timedelta(minutes=minutes)
    card = automatic_supervision(now, deadline=DEADLINE, current=current)
    assert (card is not None) == (minutes > 0 and current not in settled_levels())
