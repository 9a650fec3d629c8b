"""Sign-for and reply deadlines, pauses and warning colours.

Every instant is timezone-aware. Dates and office hours are read on the hotline's own
wall clock, because "the fifth working day" is a day in Shanghai whatever zone an
instant arrived in.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import StrEnum
from types import MappingProxyType
from zoneinfo import ZoneInfo

from hotline.domain.calendar import WorkingCalendar
from hotline.domain.enums import AppealType
from hotline.domain.errors import DomainError

# UTC+8 without daylight saving since 1991, so wall-clock and elapsed time agree and
# adding a timedelta to a local datetime is exact.
LOCAL_TZ = ZoneInfo("Asia/Shanghai")

# A working-day deadline covers the whole of its last day.
END_OF_DAY = time(23, 59, 59)

DEFAULT_DAYS_BY_APPEAL_TYPE: Mapping[str, int] = MappingProxyType(
    {
        "consult": 5,
        "help": 15,
        "complaint": 10,
        "report": 15,
        "suggestion": 15,
        "praise": 5,
        "criticism": 10,
        "other": 10,
    }
)

_APPEAL_TYPES = frozenset(t.value for t in AppealType)


class InvalidPolicy(DomainError):
    code = "invalid_policy"


@dataclass(frozen=True)
class OfficeHours:
    start: time = time(8, 30)
    end: time = time(17, 30)

    def __post_init__(self):
        if self.end <= self.start:
            raise InvalidPolicy(f"下班时间 {self.end:%H:%M} 须晚于上班时间 {self.start:%H:%M}")


@dataclass(frozen=True)
class DeadlinePolicy:
    sign_for_hours: float = 2
    urgent_sign_for_minutes: int = 30
    urgent_reply_hours: int = 24
    days_by_appeal_type: Mapping[str, int] = field(default_factory=DEFAULT_DAYS_BY_APPEAL_TYPE.copy)
    days_by_category: Mapping[str, int] = field(default_factory=dict)
    default_days: int = 10
    office_hours: OfficeHours = OfficeHours()
    yellow_fraction: float = 0.2
    # SPEC 4 (2026-12): an order still unsigned this many working hours after its
    # sign-for deadline is supervised automatically (4 working hours after dispatch
    # with the default sign-for time).
    sign_for_supervision_hours: float = 2
    # SPEC 4 (2026-12): a pause planned longer than this needs the supervisor's approval.
    pause_approval_days: int = 5

    def __post_init__(self):
        if not (math.isfinite(self.sign_for_hours) and self.sign_for_hours > 0):
            raise InvalidPolicy(f"签收时限须为正数（工作小时），当前为 {self.sign_for_hours!r}")
        _require_positive_int("紧急工单签收时限（分钟）", self.urgent_sign_for_minutes)
        _require_positive_int("紧急工单办理时限（小时）", self.urgent_reply_hours)
        _require_positive_int("默认办理时限（工作日）", self.default_days)
        for key, days in self.days_by_appeal_type.items():
            if key not in _APPEAL_TYPES:
                raise InvalidPolicy(f"未知的诉求类型：{key}")
            _require_positive_int(f"诉求类型「{AppealType(key).label}」的办理时限", days)
        for code, days in self.days_by_category.items():
            _require_positive_int(f"分类 {code} 的办理时限", days)
        if not (
            math.isfinite(self.sign_for_supervision_hours) and self.sign_for_supervision_hours >= 0
        ):
            hours = self.sign_for_supervision_hours
            raise InvalidPolicy(f"签收超时自动督办时间须为非负数（工作小时），当前为 {hours!r}")
        _require_positive_int("需审批的暂停计时天数（工作日）", self.pause_approval_days)
        if not 0 <= self.yellow_fraction <= 1:
            raise InvalidPolicy(f"黄色预警比例须在 0 到 1 之间，当前为 {self.yellow_fraction!r}")
        # Frozen all the way down: a policy is shared by every order it is applied to.
        for name in ("days_by_appeal_type", "days_by_category"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))

    @classmethod
    def from_settings(cls, values: Mapping[str, object]) -> DeadlinePolicy:
        """A policy from the flat settings store; absent (and foreign) keys are ignored.

        ``days_by_appeal_type`` updates the default table instead of replacing it, so
        setting one type does not quietly drop the others to ``default_days``.
        """
        kwargs: dict[str, object] = {}
        for name, kind in _NUMBER_SETTINGS.items():
            if name in values:
                kwargs[name] = _number(name, values[name], kind)
        if "days_by_appeal_type" in values:
            given = _day_table("days_by_appeal_type", values["days_by_appeal_type"])
            kwargs["days_by_appeal_type"] = {**DEFAULT_DAYS_BY_APPEAL_TYPE, **given}
        if "days_by_category" in values:
            kwargs["days_by_category"] = _day_table("days_by_category", values["days_by_category"])
        if "office_hours_start" in values or "office_hours_end" in values:
            kwargs["office_hours"] = OfficeHours(
                _clock("office_hours_start", values.get("office_hours_start", OfficeHours.start)),
                _clock("office_hours_end", values.get("office_hours_end", OfficeHours.end)),
            )
        return cls(**kwargs)


_NUMBER_SETTINGS: Mapping[str, type] = MappingProxyType(
    {
        "sign_for_hours": float,
        "urgent_sign_for_minutes": int,
        "urgent_reply_hours": int,
        "default_days": int,
        "yellow_fraction": float,
        "sign_for_supervision_hours": float,
        "pause_approval_days": int,
    }
)


def _require_positive_int(what: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidPolicy(f"{what}须为正整数，当前为 {value!r}")


def _number(name: str, value: object, kind: type) -> int | float:
    # Settings may arrive as JSON numbers or as form text; anything else is a mistake.
    accepted = (int, str) if kind is int else (int, float, str)
    if isinstance(value, accepted) and not isinstance(value, bool):
        try:
            return kind(value)
        except ValueError:
            pass
    raise InvalidPolicy(f"设置项 {name} 的值 {value!r} 不是{'整数' if kind is int else '数字'}")


def _day_table(name: str, value: object) -> dict[str, int]:
    if not isinstance(value, Mapping):
        raise InvalidPolicy(f"设置项 {name} 须为对照表，当前为 {value!r}")
    return {key: _number(f"{name}.{key}", days, int) for key, days in value.items()}


def _clock(name: str, value: object) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        try:
            return time.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidPolicy(f"设置项 {name} 的值 {value!r} 不是 HH:MM 格式的时间")


def _local(at: datetime) -> datetime:
    if at.utcoffset() is None:
        raise ValueError(f"deadlines need timezone-aware datetimes, got {at!r}")
    return at.astimezone(LOCAL_TZ)


def sign_by(
    dispatched_at: datetime, *, urgent: bool, policy: DeadlinePolicy, calendar: WorkingCalendar
) -> datetime:
    """When a dispatched order must be signed for.

    Urgent orders run on the wall clock; the others count working hours, i.e. only time
    inside office hours on working days.
    """
    at = _local(dispatched_at)
    if urgent:
        return at + timedelta(minutes=policy.urgent_sign_for_minutes)
    return add_working_time(
        at, timedelta(hours=policy.sign_for_hours), hours=policy.office_hours, calendar=calendar
    )


def add_working_time(
    at: datetime, amount: timedelta, *, hours: OfficeHours, calendar: WorkingCalendar
) -> datetime:
    """The moment ``amount`` of working time (office hours on working days) after ``at``."""
    at = _local(at)
    remaining = amount
    day = at.date()
    if not calendar.is_workday(day):
        day = calendar.add_working_days(day, 1)
    while True:
        opens = datetime.combine(day, hours.start, LOCAL_TZ)
        closes = datetime.combine(day, hours.end, LOCAL_TZ)
        begin = max(at, opens)
        if begin + remaining <= closes:
            return begin + remaining
        remaining -= max(closes - begin, timedelta(0))
        day = calendar.add_working_days(day, 1)


def working_time_between(
    start: datetime, end: datetime, *, hours: OfficeHours, calendar: WorkingCalendar
) -> timedelta:
    """The working time (office hours on working days) from ``start`` to ``end``."""
    start, end = _local(start), _local(end)
    total = timedelta(0)
    day = start.date()
    while day <= end.date():
        if calendar.is_workday(day):
            opens = max(start, datetime.combine(day, hours.start, LOCAL_TZ))
            closes = min(end, datetime.combine(day, hours.end, LOCAL_TZ))
            total += max(closes - opens, timedelta(0))
        day += timedelta(days=1)
    return total


def reply_days(*, appeal_type: str, category_codes: Sequence[str], policy: DeadlinePolicy) -> int:
    """Working days to reply: the most specific configured category, else the appeal type.

    ``category_codes`` is the order's category followed by its ancestors.
    """
    for code in category_codes:
        if code in policy.days_by_category:
            return policy.days_by_category[code]
    return policy.days_by_appeal_type.get(appeal_type, policy.default_days)


def reply_deadline(
    signed_at: datetime,
    *,
    urgent: bool,
    appeal_type: str,
    category_codes: Sequence[str],
    policy: DeadlinePolicy,
    calendar: WorkingCalendar,
) -> datetime:
    """When a signed-for order must be replied to.

    Urgent orders run on the wall clock; the others end at 23:59:59 of the N-th working
    day after the sign-for day, so the time of day of signing does not matter.
    """
    at = _local(signed_at)
    if urgent:
        return at + timedelta(hours=policy.urgent_reply_hours)
    days = reply_days(appeal_type=appeal_type, category_codes=category_codes, policy=policy)
    return datetime.combine(calendar.add_working_days(at.date(), days), END_OF_DAY, LOCAL_TZ)


def extend_for_pause(
    deadline: datetime,
    paused_at: datetime,
    resumed_at: datetime,
    *,
    calendar: WorkingCalendar,
    urgent: bool,
) -> datetime:
    """The deadline after a pause, during which the clock did not run.

    Hour-based (urgent) deadlines move by the pause's length; working-day deadlines move
    by the working days the pause covered, so a pause within one day moves nothing.
    """
    deadline, paused_at, resumed_at = map(_local, (deadline, paused_at, resumed_at))
    if resumed_at < paused_at:
        raise ValueError(f"resumed at {resumed_at} before being paused at {paused_at}")
    if urgent:
        return deadline + (resumed_at - paused_at)
    days = calendar.working_days_between(paused_at.date(), resumed_at.date())
    return datetime.combine(calendar.add_working_days(deadline.date(), days), deadline.timetz())


def pause_limit(
    paused_at: datetime, *, policy: DeadlinePolicy, calendar: WorkingCalendar
) -> datetime:
    """SPEC 4 (2026-12): the latest planned end of a pause the unit may take without the
    supervisor's approval — the end of the ``pause_approval_days``-th working day after
    the day it begins. It is also where a pause without approval stops counting."""
    day = calendar.add_working_days(_local(paused_at).date(), policy.pause_approval_days)
    return datetime.combine(day, END_OF_DAY, LOCAL_TZ)


# Shadows the builtin Warning, but only for modules that import this one by name.
class Warning(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


def warning_level(
    now: datetime, *, start: datetime, deadline: datetime, yellow_fraction: float = 0.2
) -> Warning:
    """RED once the deadline has passed, YELLOW in its last ``yellow_fraction``."""
    now, start, deadline = map(_local, (now, start, deadline))
    if now > deadline:
        return Warning.RED
    if deadline - now <= (deadline - start) * yellow_fraction:
        return Warning.YELLOW
    return Warning.GREEN


def relaid(
    deadline: datetime,
    *,
    counted_from: datetime,
    before: WorkingCalendar,
    after: WorkingCalendar,
) -> datetime:
    """A working-day deadline counted again once a provisional year is entered (SPEC 4,
    2026-12): as many working days after the day it was counted from as it had on the
    calendar it was computed with — the handling time and the working days pauses
    added, as they were counted then — laid out on the entered calendar. The time of
    day is kept (23:59:59 for a reply deadline, the office hour for a sign-for)."""
    start, end = _local(counted_from).date(), _local(deadline)
    days = before.working_days_between(start, end.date())
    return datetime.combine(after.add_working_days(start, days), end.timetz())


def is_provisional(moment: datetime | None, *, urgent: bool, calendar: WorkingCalendar) -> bool:
    """SPEC 4 (2026-12): a working-day deadline that falls in a year on the provisional
    calendar is marked provisional wherever it is shown; wall-clock (urgent) ones never."""
    return moment is not None and not urgent and calendar.is_provisional(_local(moment).date())
