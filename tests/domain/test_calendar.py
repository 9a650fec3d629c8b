from datetime import date, datetime, timedelta

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline.domain.calendar import WorkingCalendar

CALENDAR = WorkingCalendar()

# A few rows of a 2027 schedule as the office would enter them (not the real one).
TABLE_2027 = {
    date(2027, 1, 1): False,  # Friday, New Year
    date(2027, 2, 6): True,  # Saturday, make-up working day
    date(2027, 2, 8): False,  # Monday, Spring Festival
    date(2027, 2, 9): False,
}


def test_package_years_agree_with_chinese_calendar_day_by_day():
    day = date(2004, 1, 1)
    while day.year <= 2026:
        assert CALENDAR.is_workday(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


def test_make_up_saturday_is_a_working_day():
    assert CALENDAR.is_workday(date(2026, 10, 10))
    assert not CALENDAR.is_workday(date(2026, 10, 11))
    # Thursday 10-08 and Friday 10-09 come first, then the make-up Saturday.
    assert CALENDAR.add_working_days(date(2026, 10, 7), 3) == date(2026, 10, 10)
    assert CALENDAR.working_days_between(date(2026, 10, 9), date(2026, 10, 12)) == 2


def test_make_up_sunday_is_a_working_day():
    assert CALENDAR.is_workday(date(2026, 1, 4))
    assert not CALENDAR.is_workday(date(2026, 1, 2))  # Friday, New Year holiday


def test_national_day_2026():
    assert not any(CALENDAR.is_workday(date(2026, 10, d)) for d in range(1, 8))
    assert CALENDAR.add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert CALENDAR.add_working_days(date(2026, 9, 30), 5) == date(2026, 10, 13)


def test_spring_festival_2026():
    # Holidays Sun 02-15 to Mon 02-23, made up on Saturdays 02-14 and 02-28.
    assert not any(CALENDAR.is_workday(date(2026, 2, d)) for d in range(15, 24))
    assert CALENDAR.is_workday(date(2026, 2, 14))
    assert CALENDAR.is_workday(date(2026, 2, 28))
    assert CALENDAR.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert CALENDAR.add_working_days(date(2026, 2, 13), 2) == date(2026, 2, 24)
    assert CALENDAR.add_working_days(date(2026, 2, 13), 6) == date(2026, 2, 28)
    assert CALENDAR.working_days_between(date(2026, 2, 13), date(2026, 3, 1)) == 6


def test_zero_days_is_the_start_and_negative_is_refused():
    assert CALENDAR.add_working_days(date(2026, 10, 3), 0) == date(2026, 10, 3)
    with pytest.raises(ValueError):
        CALENDAR.add_working_days(date(2026, 10, 3), -1)


def test_working_days_between_excludes_start_and_includes_end():
    monday, friday = date(2026, 3, 9), date(2026, 3, 13)
    assert CALENDAR.working_days_between(monday, friday) == 4
    assert CALENDAR.working_days_between(monday, monday) == 0
    assert CALENDAR.working_days_between(friday, monday) == 0


def test_table_covered_year_uses_rows_and_weekday_rule():
    calendar = WorkingCalendar(TABLE_2027)
    assert calendar.covers(2027)
    assert not calendar.is_workday(date(2027, 1, 1))
    assert not calendar.is_workday(date(2027, 1, 2))  # Saturday, no row
    assert not calendar.is_workday(date(2027, 1, 3))  # Sunday, no row
    assert calendar.is_workday(date(2027, 1, 4))  # Monday, no row
    assert calendar.is_workday(date(2027, 2, 6))
    # Across the year end, from the package's 2026 into the table's 2027.
    assert calendar.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert calendar.add_working_days(date(2027, 2, 5), 2) == date(2027, 2, 10)
    assert calendar.working_days_between(date(2027, 2, 5), date(2027, 2, 10)) == 2


def test_a_year_known_to_neither_follows_the_provisional_calendar():
    calendar = WorkingCalendar(TABLE_2027)
    assert not calendar.covers(2028)
    assert calendar.is_provisional(date(2028, 3, 1))
    assert not calendar.is_provisional(date(2027, 3, 1))
    assert not calendar.is_provisional(date(2026, 3, 1))
    assert calendar.is_workday(date(2028, 3, 1))  # a Wednesday
    assert not calendar.is_workday(date(2028, 1, 25))  # 除夕, a Tuesday


def test_running_into_an_unknown_year_counts_on_the_provisional_calendar():
    # 2027-01-01 (Friday) is 元旦; the weekend follows.
    assert CALENDAR.add_working_days(date(2026, 12, 28), 5) == date(2027, 1, 5)
    assert CALENDAR.working_days_between(date(2026, 12, 1), date(2027, 1, 5)) == 22 + 2


def test_without_the_package_only_table_years_are_official():
    calendar = WorkingCalendar(TABLE_2027, use_package=False)
    assert calendar.is_workday(date(2027, 1, 4))
    assert calendar.is_provisional(date(2026, 3, 2))
    # 2026 then follows the statutory rule, without the official make-up days.
    assert not calendar.is_workday(date(2026, 10, 1))
    assert calendar.is_workday(date(2026, 10, 8))
    assert not calendar.is_workday(date(2026, 10, 10))  # official make-up Saturday unknown


def test_table_rows_win_over_the_package():
    calendar = WorkingCalendar({date(2026, 10, 12): False, date(2026, 10, 11): True})
    assert not calendar.is_workday(date(2026, 10, 12))
    assert calendar.is_workday(date(2026, 10, 11))
    # Other 2026 days still follow the package, not the weekday rule.
    assert not calendar.is_workday(date(2026, 10, 5))
    assert calendar.is_workday(date(2026, 10, 10))


def test_the_table_is_copied_so_later_edits_do_not_leak_in():
    table = {date(2027, 1, 1): False}
    calendar = WorkingCalendar(table)
    table[date(2027, 1, 4)] = False
    assert calendar.is_workday(date(2027, 1, 4))


@pytest.mark.parametrize(
    "table",
    [{datetime(2027, 1, 1, 0, 0): False}, {"2027-01-01": False}, {date(2027, 1, 1): "False"}],
)
def test_malformed_table_rows_are_refused(table):
    with pytest.raises(TypeError):
        WorkingCalendar(table)


def test_is_workday_refuses_a_datetime():
    with pytest.raises(TypeError):
        CALENDAR.is_workday(datetime(2026, 3, 2, 12, 0))


dates = st.dates(min_value=date(2010, 1, 1), max_value=date(2026, 10, 31))


@given(start=dates, n=st.integers(min_value=1, max_value=40))
def test_add_working_days_lands_n_working_days_later(start, n):
    end = CALENDAR.add_working_days(start, n)
    assert end > start
    assert CALENDAR.is_workday(end)
    assert CALENDAR.working_days_between(start, end) == n
    assert CALENDAR.working_days_between(start, end - timedelta(days=1)) == n - 1


@given(days=st.lists(dates, min_size=3, max_size=3).map(sorted))
def test_working_days_between_is_additive(days):
    a, b, c = days
    assert CALENDAR.working_days_between(a, c) == (
        CALENDAR.working_days_between(a, b) + CALENDAR.working_days_between(b, c)
    )
