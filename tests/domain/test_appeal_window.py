"""SPEC 4 (2026-12): how long a unit may appeal."""

from datetime import date, datetime

from hotline.domain.appeal_window import grades_appear_on, window_end
from hotline.domain.calendar import WorkingCalendar
from hotline.domain.deadlines import LOCAL_TZ


def test_the_window_runs_from_the_later_of_the_callback_and_the_grades():
    calendar = WorkingCalendar()
    grades = grades_appear_on(datetime(2026, 11, 20, 10, tzinfo=LOCAL_TZ))
    assert grades == date(2026, 12, 1)
    # Called back in November: three working days from the grades (Tue 1 December).
    early = window_end(
        callback_at=datetime(2026, 11, 25, 9, tzinfo=LOCAL_TZ), grades_on=grades, days=3,
        calendar=calendar,
    )  # fmt: skip
    assert early == datetime(2026, 12, 3, 23, 59, 59, tzinfo=LOCAL_TZ)
    # Called back on Fri 4 December: three working days from then.
    late = window_end(
        callback_at=datetime(2026, 12, 4, 9, tzinfo=LOCAL_TZ), grades_on=grades, days=3,
        calendar=calendar,
    )  # fmt: skip
    assert late == datetime(2026, 12, 9, 23, 59, 59, tzinfo=LOCAL_TZ)
    assert grades_appear_on(None) is None
