"""The schedule: slots on the hotline's wall clock, the monthly draft's period and
when retraining is due."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline.domain.schedule import (
    SCHEDULE,
    Every,
    Monthly,
    due,
    month_before,
    retraining_due,
)

TZ = ZoneInfo("Asia/Shanghai")
UTC = ZoneInfo("UTC")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


instants = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)
rules = st.one_of(
    st.sampled_from([1, 5, 10, 15, 30, 60, 120, 24 * 60]).map(Every),
    st.builds(Monthly, st.integers(1, 28), st.times()),
)


def test_every_ten_minutes_counts_from_local_midnight():
    rule = Every(10)
    assert rule.slot(local(2026, 3, 2, 9, 7, 30)) == local(2026, 3, 2, 9, 0)
    assert rule.slot(local(2026, 3, 2, 9, 10)) == local(2026, 3, 2, 9, 10)
    # 16:05 UTC is 00:05 the next day in Shanghai.
    assert Every(24 * 60).slot(datetime(2026, 3, 2, 16, 5, tzinfo=UTC)) == local(2026, 3, 3)


def test_monthly_is_the_latest_such_day_and_time_passed():
    rule = Monthly(1, time(6, 0))
    assert rule.slot(local(2026, 3, 1, 6, 0)) == local(2026, 3, 1, 6, 0)
    assert rule.slot(local(2026, 3, 1, 5, 59)) == local(2026, 2, 1, 6, 0)
    assert rule.slot(local(2026, 1, 1, 0, 0)) == local(2025, 12, 1, 6, 0)
    assert rule.following(local(2025, 12, 1, 6, 0)) == local(2026, 1, 1, 6, 0)


@pytest.mark.parametrize("minutes", [0, 7, 25 * 60, -5])
def test_slots_must_divide_the_day(minutes):
    with pytest.raises(ValueError):
        Every(minutes)


@pytest.mark.parametrize("day", [0, 29, 31])
def test_a_monthly_day_must_be_in_every_month(day):
    with pytest.raises(ValueError):
        Monthly(day, time(0))


def test_naive_instants_are_refused():
    with pytest.raises(ValueError):
        Every(5).slot(datetime(2026, 3, 2, 9, 0))


@settings(deadline=None)
@given(rules, instants)
def test_now_lies_in_its_slot(rule, now):
    slot = rule.slot(now)
    assert slot <= now < rule.following(slot)
    assert rule.slot(slot) == slot


@settings(deadline=None)
@given(rules, instants)
def test_a_slot_is_due_once(rule, now):
    slot = due(rule, now, None)
    assert slot == rule.slot(now)
    assert due(rule, now, slot) is None
    assert due(rule, rule.following(slot), slot) == rule.following(slot)


def test_a_scheduler_that_was_down_catches_up_with_the_latest_slot_only():
    rule = Every(10)
    assert due(rule, local(2026, 3, 2, 12, 3), local(2026, 3, 2, 9, 0)) == local(2026, 3, 2, 12)


def test_every_scheduled_job_has_a_rule_with_a_label():
    assert {rule.label for rule in SCHEDULE.values()} >= {"每 5 分钟", "每月 1 日 06:00"}


def test_the_monthly_draft_is_for_the_month_before():
    assert month_before(local(2026, 3, 1, 6, 0)).start == date(2026, 2, 1)
    assert month_before(local(2026, 3, 1, 6, 0)).end == date(2026, 2, 28)
    january = month_before(local(2026, 1, 1, 0, 0))
    assert (january.start, january.end) == (date(2025, 12, 1), date(2025, 12, 31))
    # 2026-03-31 20:00 UTC is already April in Shanghai.
    assert month_before(datetime(2026, 3, 31, 20, 0, tzinfo=UTC)).start == date(2026, 3, 1)


def test_retraining_is_due_without_a_model_or_when_the_history_grew():
    last = local(2026, 2, 28, 18, 0)
    assert retraining_due(trained_on=None, trained_to=None, history=10, history_to=last)
    assert not retraining_due(trained_on=None, trained_to=None, history=0, history_to=None)
    assert not retraining_due(trained_on=10, trained_to=last, history=10, history_to=last)
    assert retraining_due(trained_on=10, trained_to=last, history=11, history_to=last)
    later = last + timedelta(hours=1)
    assert retraining_due(trained_on=10, trained_to=last, history=10, history_to=later)
    assert retraining_due(trained_on=10, trained_to=None, history=10, history_to=later)
