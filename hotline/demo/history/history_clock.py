"""Time for the generator: whole seconds on the hotline's wall clock, and its deadlines.

Instants are integers (seconds since 2000-01-01 00:00 in Asia/Shanghai, which has had no
daylight saving since 1991, so wall clock and elapsed time agree). They print as ISO 8601
with a cached per-day prefix. Deadlines come from the domain's own pure functions with
the importer's policy and calendar, so an order is on time or overdue exactly as the
importer will judge it; working-day deadlines depend only on the day and the number of
days, so they are cached by those.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date, datetime, timedelta

from hotline.domain import deadlines
from hotline.domain.calendar import WorkingCalendar
from hotline.domain.deadlines import LOCAL_TZ, DeadlinePolicy

DAY = 86400
HOUR = 3600
MINUTE = 60
SIGN_BY_BUCKET = 5 * MINUTE
_EPOCH_DATE = date(2000, 1, 1)
_EPOCH_ORDINAL = _EPOCH_DATE.toordinal()
_EPOCH = datetime(2000, 1, 1, tzinfo=LOCAL_TZ)
_TIMES_OF_DAY = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}+08:00" for s in range(DAY)]


def day_number(day: date) -> int:
    return day.toordinal() - _EPOCH_ORDINAL


def date_of(day: int) -> date:
    return date.fromordinal(day + _EPOCH_ORDINAL)


def to_datetime(t: int) -> datetime:
    return _EPOCH + timedelta(seconds=t)


def from_datetime(moment: datetime) -> int:
    return int((moment - _EPOCH).total_seconds())


class Clock:
    """Stamps, working days and deadlines over a range of days the calendar knows."""

    def __init__(
        self, *, first: date, last: date, calendar: WorkingCalendar, policy: DeadlinePolicy
    ):
        self.calendar = calendar
        self.policy = policy
        self._stamps: dict[int, str] = {}
        self._dates: dict[int, str] = {}
        self._deadlines: dict[tuple[int, int], int] = {}
        self._days: dict[tuple[str, str], int] = {}
        self._sign_by: dict[tuple[int, bool], int] = {}
        self.workdays: list[int] = []  # day numbers of working days, ascending
        day = first
        while day <= last:
            if calendar.is_workday(day):
                self.workdays.append(day_number(day))
            day += timedelta(days=1)

    # --- printing ----------------------------------------------------------------------

    def stamp(self, t: int) -> str:
        day, second = divmod(t, DAY)
        prefix = self._stamps.get(day)
        if prefix is None:
            prefix = self._stamps[day] = date_of(day).isoformat() + "T"
        return prefix + _TIMES_OF_DAY[second]

    def month_day(self, t: int) -> str:
        """「11月3日」: how replies mention a date."""
        day = t // DAY
        text = self._dates.get(day)
        if text is None:
            d = date_of(day)
            text = self._dates[day] = f"{d.month}月{d.day}日"
        return text

    # --- working days ------------------------------------------------------------------

    def workday_at_or_after(self, day: int) -> int:
        """Index into ``workdays`` of the first working day on or after ``day``."""
        return bisect_left(self.workdays, day)

    def is_workday(self, day: int) -> bool:
        i = bisect_left(self.workdays, day)
        return i < len(self.workdays) and self.workdays[i] == day

    # --- deadlines (the domain's, cached) ----------------------------------------------

    def sign_by(self, t: int, urgent: bool) -> int:
        """About when the unit must sign for an order dispatched at ``t``.

        Only used to pick a plausible sign-for time (the importer computes the real one),
        so it is cached per five minutes: the domain's working-hours walk is the slowest
        step of an order otherwise.
        """
        bucket = t - t % SIGN_BY_BUCKET
        key = (bucket, urgent)
        due = self._sign_by.get(key)
        if due is None:
            moment = deadlines.sign_by(
                to_datetime(bucket), urgent=urgent, policy=self.policy, calendar=self.calendar
            )
            due = self._sign_by[key] = from_datetime(moment)
        return due

    def reply_deadline(self, t: int, *, urgent: bool, appeal_type: str, chain: list[str]) -> int:
        """The deadline the importer sets for a sign-for (or a rework) at ``t``.

        Working-day deadlines end on a day that only depends on the sign-for day and the
        number of days (``reply_days``), so they are cached by those two.
        """
        days = 0 if urgent else self.reply_days(appeal_type, chain)
        key = (t // DAY, days)
        deadline = None if urgent else self._deadlines.get(key)
        if deadline is None:
            moment = deadlines.reply_deadline(
                to_datetime(t),
                urgent=urgent,
                appeal_type=appeal_type,
                category_codes=chain,
                policy=self.policy,
                calendar=self.calendar,
            )
            deadline = from_datetime(moment)
            if not urgent:
                self._deadlines[key] = deadline
        return deadline

    def after_pause(self, deadline: int, paused: int, resumed: int, urgent: bool) -> int:
        moment = deadlines.extend_for_pause(
            to_datetime(deadline),
            to_datetime(paused),
            to_datetime(resumed),
            calendar=self.calendar,
            urgent=urgent,
        )
        return from_datetime(moment)

    def reply_days(self, appeal_type: str, chain: list[str]) -> int:
        key = (appeal_type, chain[0] if chain else "")
        days = self._days.get(key)
        if days is None:
            days = self._days[key] = deadlines.reply_days(
                appeal_type=appeal_type, category_codes=chain, policy=self.policy
            )
        return days
