"""SPEC 4 (2026-12): the provisional calendar of a year without its official schedule."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline.domain import deadlines
from hotline.domain.calendar import WorkingCalendar
from hotline.domain.deadlines import LOCAL_TZ, DeadlinePolicy
from hotline.domain.statutory_holidays import statutory_holidays

CALENDAR = WorkingCalendar()
POLICY = DeadlinePolicy()


def _days_off(year: int) -> set[date]:
    return {d for d in _year(year) if d.weekday() < 5 and not CALENDAR.is_workday(d)}


def _year(year: int):
    day = date(year, 1, 1)
    while day.year == year:
        yield day
        day += timedelta(days=1)


@pytest.mark.parametrize(
    ("year", "eve", "qingming", "duanwu", "mid_autumn"),
    [
        (2027, date(2027, 2, 5), date(2027, 4, 5), date(2027, 6, 9), date(2027, 9, 15)),
        (2028, date(2028, 1, 25), date(2028, 4, 4), date(2028, 5, 28), date(2028, 10, 3)),
    ],
)
def test_the_statutory_holidays_of_a_provisional_year(year, eve, qingming, duanwu, mid_autumn):
    holidays = statutory_holidays(year)
    assert holidays[date(year, 1, 1)] == "元旦"
    # 春节: 除夕 and the three days after it.
    assert [d for d, name in holidays.items() if name == "春节"] == [
        eve + timedelta(days=i) for i in range(4)
    ]
    assert holidays[qingming] == "清明节"
    assert holidays[date(year, 5, 1)] == holidays[date(year, 5, 2)] == "劳动节"
    assert holidays[duanwu] == "端午节"
    assert holidays[mid_autumn] == "中秋节"
    assert sum(name == "国庆节" for name in holidays.values()) == 3
    assert len(holidays) == 13  # 1 + 4 + 1 + 2 + 1 + 1 + 3 days, as the rule gives


def test_national_day_keeps_three_days_when_mid_autumn_falls_on_it():
    holidays = statutory_holidays(2028)
    assert holidays[date(2028, 10, 3)] == "中秋节"
    assert [d for d, name in holidays.items() if name == "国庆节"] == [
        date(2028, 10, 1),
        date(2028, 10, 2),
        date(2028, 10, 4),
    ]


def test_2027_provisional_working_days_are_weekdays_without_the_holidays():
    assert CALENDAR.is_provisional(date(2027, 6, 1))
    # Weekdays off: 元旦 Fri 01-01, 春节 Fri 02-05 and Mon 02-08, 清明 Mon 04-05,
    # 端午 Wed 06-09, 中秋 Wed 09-15, 国庆 Fri 10-01 (May 1–2 and Oct 2–3 are a weekend).
    assert _days_off(2027) == {
        date(2027, 1, 1),
        date(2027, 2, 5),
        date(2027, 2, 8),
        date(2027, 4, 5),
        date(2027, 6, 9),
        date(2027, 9, 15),
        date(2027, 10, 1),
    }
    # No make-up working day is guessed.
    assert not any(CALENDAR.is_workday(d) for d in _year(2027) if d.weekday() >= 5)


def test_2028_provisional_spring_festival_and_national_day():
    for day in (date(2028, 1, 25), date(2028, 1, 26), date(2028, 1, 27), date(2028, 1, 28)):
        assert not CALENDAR.is_workday(day)
    assert CALENDAR.is_workday(date(2028, 1, 24))
    assert CALENDAR.is_workday(date(2028, 1, 31))
    assert not any(CALENDAR.is_workday(date(2028, 10, d)) for d in (2, 3, 4))
    assert CALENDAR.is_workday(date(2028, 10, 5))


def test_a_consultation_signed_on_monday_28_december_2026_is_due_on_tuesday_5_january():
    signed = datetime(2026, 12, 28, 10, 0, tzinfo=LOCAL_TZ)
    due = deadlines.reply_deadline(
        signed,
        urgent=False,
        appeal_type="consult",
        category_codes=[],
        policy=POLICY,
        calendar=CALENDAR,
    )
    # 12-29, 12-30, 12-31, then 01-04 and 01-05 (01-01 元旦 and the weekend are off).
    assert due == datetime(2027, 1, 5, 23, 59, 59, tzinfo=LOCAL_TZ)
    assert CALENDAR.is_provisional(due.date())


def test_a_fifteen_day_order_dispatched_on_20_december_2026_can_be_signed_and_timed():
    dispatched = datetime(2026, 12, 20, 9, 0, tzinfo=LOCAL_TZ)  # a Sunday
    sign_by = deadlines.sign_by(dispatched, urgent=False, policy=POLICY, calendar=CALENDAR)
    assert sign_by == datetime(2026, 12, 21, 10, 30, tzinfo=LOCAL_TZ)
    due = deadlines.reply_deadline(
        sign_by,
        urgent=False,
        appeal_type="help",
        category_codes=[],
        policy=POLICY,
        calendar=CALENDAR,
    )
    assert due == datetime(2027, 1, 12, 23, 59, 59, tzinfo=LOCAL_TZ)


_INSTANTS = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 12, 31, 23, 59)
).map(lambda moment: moment.replace(tzinfo=LOCAL_TZ))


@settings(max_examples=200, deadline=None)
@given(
    at=_INSTANTS,
    later=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=60)),
    days=st.integers(min_value=0, max_value=60),
    urgent=st.booleans(),
    appeal_type=st.sampled_from(sorted(deadlines.DEFAULT_DAYS_BY_APPEAL_TYPE)),
)
def test_no_deadline_computation_raises_for_any_date_from_2000_to_2100(
    at, later, days, urgent, appeal_type
):
    calendar = WorkingCalendar()
    sign_by = deadlines.sign_by(at, urgent=urgent, policy=POLICY, calendar=calendar)
    assert sign_by >= at
    due = deadlines.reply_deadline(
        at,
        urgent=urgent,
        appeal_type=appeal_type,
        category_codes=[],
        policy=POLICY,
        calendar=calendar,
    )
    assert due > at
    moved = deadlines.extend_for_pause(due, at, at + later, calendar=calendar, urgent=urgent)
    assert moved >= due
    day = at.date()
    end = calendar.add_working_days(day, days)
    assert calendar.working_days_between(day, end) == days
    assert calendar.is_provisional(day) == (not 2004 <= day.year <= 2026)


@settings(max_examples=100, deadline=None)
@given(at=_INSTANTS, appeal_type=st.sampled_from(sorted(deadlines.DEFAULT_DAYS_BY_APPEAL_TYPE)))
def test_a_deadline_counted_again_on_the_same_calendar_does_not_move(at, appeal_type):
    due = deadlines.reply_deadline(
        at,
        urgent=False,
        appeal_type=appeal_type,
        category_codes=[],
        policy=POLICY,
        calendar=CALENDAR,
    )
    assert deadlines.relaid(due, counted_from=at, before=CALENDAR, after=CALENDAR) == due


def test_a_deadline_counted_again_keeps_its_working_days_on_the_entered_calendar():
    entered = WorkingCalendar({date(2027, 2, 12): False, date(2027, 2, 20): True})
    signed = datetime(2027, 2, 10, 15, 0, tzinfo=LOCAL_TZ)
    due = deadlines.reply_deadline(
        signed,
        urgent=False,
        appeal_type="consult",
        category_codes=[],
        policy=POLICY,
        calendar=CALENDAR,
    )
    # Provisionally 02-11, 02-12, 02-15, 02-16, 02-17; the entered year's weekday rule
    # (02-08 and 02-09 now working, 02-12 off, Sat 02-20 working): 02-11, 02-15 … 02-18.
    assert due == datetime(2027, 2, 17, 23, 59, 59, tzinfo=LOCAL_TZ)
    moved = deadlines.relaid(due, counted_from=signed, before=CALENDAR, after=entered)
    assert moved == datetime(2027, 2, 18, 23, 59, 59, tzinfo=LOCAL_TZ)
