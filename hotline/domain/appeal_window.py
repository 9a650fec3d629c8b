"""How long a unit may appeal (SPEC 4, 2026-12): within a number of working days (a
setting, default 3) after the unsatisfied callback or after the provisional grades of
the order's period appear — the day after the period ends — whichever is later."""

from datetime import date, datetime, timedelta

from hotline.domain.calendar import WorkingCalendar
from hotline.domain.deadlines import END_OF_DAY, LOCAL_TZ
from hotline.domain.errors import DomainError

DEFAULT_WINDOW_DAYS = 3


class AppealWindowClosed(DomainError):
    code = "appeal_window_closed"


def grades_appear_on(falls_due_at: datetime | None) -> date | None:
    """The day the provisional grades of the order's month appear: the 1st of the next
    month (``None`` while the order has not fallen in a period)."""
    if falls_due_at is None:
        return None
    day = falls_due_at.astimezone(LOCAL_TZ).date()
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def window_end(
    *, callback_at: datetime, grades_on: date | None, days: int, calendar: WorkingCalendar
) -> datetime:
    """The end (23:59:59 local) of the ``days``-th working day after the later of the
    callback's day and the day the grades appear."""
    start = callback_at.astimezone(LOCAL_TZ).date()
    if grades_on is not None:
        # The grades appear at the start of their day: that day is the window's first.
        start = max(start, grades_on - timedelta(days=1))
    return datetime.combine(calendar.add_working_days(start, days), END_OF_DAY, LOCAL_TZ)


def check_in_window(at: datetime, end: datetime) -> None:
    if at > end:
        raise AppealWindowClosed(
            f"申诉期限已过（截至 {end.astimezone(LOCAL_TZ):%Y-%m-%d %H:%M}），不能再提出申诉"
        )
