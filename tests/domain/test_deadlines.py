from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline.domain.calendar import WorkingCalendar
from hotline.domain.deadlines import (
    DEFAULT_DAYS_BY_APPEAL_TYPE,
    LOCAL_TZ,
    DeadlinePolicy,
    InvalidPolicy,
    OfficeHours,
    Warning,
    extend_for_pause,
    reply_days,
    reply_deadline,
    sign_by,
    warning_level,
)
from hotline.domain.enums import AppealType
from hotline.domain.errors import DomainError

CALENDAR = WorkingCalendar()
POLICY = DeadlinePolicy()


def local(*args) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)


def signed(at: datetime, **kwargs) -> datetime:
    kwargs = {"urgent": False, "appeal_type": "consult", "category_codes": ()} | kwargs
    kwargs.setdefault("policy", POLICY)
    kwargs.setdefault("calendar", CALENDAR)
    return reply_deadline(at, **kwargs)


def dispatched(at: datetime, **kwargs) -> datetime:
    kwargs = {"urgent": False, "policy": POLICY, "calendar": CALENDAR} | kwargs
    return sign_by(at, **kwargs)


# --- reply deadlines ------------------------------------------------------------------


@pytest.mark.parametrize("clock", [time(0, 0), time(9, 0), time(17, 45), time(23, 59, 59)])
def test_spec_national_day_example(clock):
    # 10-01..10-07 are holidays and Saturday 10-10 is a make-up working day.
    deadline = signed(datetime.combine(date(2026, 9, 30), clock, LOCAL_TZ))
    assert deadline == local(2026, 10, 13, 23, 59, 59)
    assert deadline.isoformat() == "2026-10-13T23:59:59+08:00"


def test_table_row_overriding_the_package_moves_the_deadline():
    calendar = WorkingCalendar({date(2026, 10, 12): False})
    assert signed(local(2026, 9, 30, 10), calendar=calendar) == local(2026, 10, 14, 23, 59, 59)


def test_spring_festival_2026_reply_deadline():
    # After Friday 02-13: make-up Saturday 02-14, then 02-24..02-27 past the holiday.
    assert signed(local(2026, 2, 13, 16)) == local(2026, 2, 27, 23, 59, 59)
    # Complaints take 10 working days: the make-up Saturday 02-28 is the sixth.
    assert signed(local(2026, 2, 13, 16), appeal_type="complaint") == local(2026, 3, 5, 23, 59, 59)


def test_signed_on_a_holiday_counts_from_the_following_working_days():
    assert signed(local(2026, 10, 3, 11)) == local(2026, 10, 13, 23, 59, 59)


def test_reply_deadline_takes_the_local_date_of_the_sign_for():
    # 16:30 UTC on 09-29 is already 00:30 on 09-30 in Shanghai.
    at = datetime(2026, 9, 29, 16, 30, tzinfo=UTC)
    assert signed(at) == local(2026, 10, 13, 23, 59, 59)


def test_reply_deadline_in_a_table_covered_year():
    calendar = WorkingCalendar({date(2027, 1, 1): False})
    # Thursday 12-31: then Monday 01-04 .. Friday 01-08 (the weekend of 01-02 rests).
    assert signed(local(2026, 12, 31, 9), calendar=calendar) == local(2027, 1, 8, 23, 59, 59)


def test_urgent_reply_runs_on_the_wall_clock_through_holidays():
    at = local(2026, 9, 30, 20, 15)
    assert signed(at, urgent=True) == local(2026, 10, 1, 20, 15)
    policy = DeadlinePolicy(urgent_reply_hours=48)
    assert signed(at, urgent=True, policy=policy) == local(2026, 10, 2, 20, 15)


def test_urgent_deadline_is_given_in_local_time():
    deadline = signed(datetime(2026, 9, 30, 12, 15, tzinfo=UTC), urgent=True)
    assert deadline.utcoffset() == timedelta(hours=8)
    assert deadline == local(2026, 10, 1, 20, 15)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        signed(datetime(2026, 9, 30, 10))
    with pytest.raises(ValueError):
        dispatched(datetime(2026, 9, 30, 10))


# --- reply days -----------------------------------------------------------------------


def test_reply_days_precedence():
    policy = DeadlinePolicy(days_by_category={"traffic": 3, "traffic.parking": 7}, default_days=12)
    codes = ("traffic.parking.night", "traffic.parking", "traffic")
    assert reply_days(appeal_type="consult", category_codes=codes, policy=policy) == 7
    assert reply_days(appeal_type="consult", category_codes=codes[::2], policy=policy) == 3
    assert reply_days(appeal_type="help", category_codes=("water",), policy=policy) == 15
    assert reply_days(appeal_type="mystery", category_codes=(), policy=policy) == 12


def test_reply_days_accepts_the_appeal_type_enum():
    assert reply_days(appeal_type=AppealType.HELP, category_codes=(), policy=POLICY) == 15


def test_category_days_drive_the_reply_deadline():
    policy = DeadlinePolicy(days_by_category={"traffic": 1})
    deadline = signed(local(2026, 9, 30, 10), category_codes=["traffic"], policy=policy)
    assert deadline == local(2026, 10, 8, 23, 59, 59)


# --- sign-for deadlines ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        # Friday 17:00: half an hour on Friday, an hour and a half on Monday.
        (local(2026, 3, 13, 17, 0), local(2026, 3, 16, 10, 0)),
        # The next working day after Friday 10-09 is the make-up Saturday.
        (local(2026, 10, 9, 17, 0), local(2026, 10, 10, 10, 0)),
        # Before opening: counted from 08:30.
        (local(2026, 3, 11, 7, 0), local(2026, 3, 11, 10, 30)),
        (local(2026, 3, 11, 9, 0), local(2026, 3, 11, 11, 0)),
        # Exactly fills the rest of the day.
        (local(2026, 3, 11, 15, 30), local(2026, 3, 11, 17, 30)),
        # After closing: counted from the next opening.
        (local(2026, 3, 11, 18, 0), local(2026, 3, 12, 10, 30)),
        (local(2026, 3, 11, 17, 30), local(2026, 3, 12, 10, 30)),
        # On a holiday: counted from the next working day's opening.
        (local(2026, 10, 3, 14, 0), local(2026, 10, 8, 10, 30)),
        # Saturday in Spring Festival's run-up is a make-up day, Sunday a holiday.
        (local(2026, 2, 14, 17, 0), local(2026, 2, 24, 10, 0)),
        # 16:30 UTC on Thursday 03-12 is 00:30 on Friday in Shanghai.
        (datetime(2026, 3, 12, 16, 30, tzinfo=UTC), local(2026, 3, 13, 10, 30)),
    ],
)
def test_sign_by_counts_working_hours(at, expected):
    assert dispatched(at) == expected


def test_sign_by_with_other_hours_and_fractions():
    policy = DeadlinePolicy(sign_for_hours=1.5, office_hours=OfficeHours(time(9), time(17)))
    assert dispatched(local(2026, 3, 13, 16, 30), policy=policy) == local(2026, 3, 16, 10, 0)


def test_sign_by_spanning_several_days():
    # Nine working hours a day: Monday and Tuesday take 18 of the 20.
    policy = DeadlinePolicy(sign_for_hours=20)
    assert dispatched(local(2026, 3, 9, 8, 30), policy=policy) == local(2026, 3, 11, 10, 30)


def test_urgent_sign_by_runs_on_the_wall_clock():
    assert dispatched(local(2026, 10, 3, 23, 50), urgent=True) == local(2026, 10, 4, 0, 20)
    policy = DeadlinePolicy(urgent_sign_for_minutes=10)
    at = datetime(2026, 3, 13, 10, 0, tzinfo=UTC)
    assert dispatched(at, urgent=True, policy=policy) == local(2026, 3, 13, 18, 10)


# --- pauses ---------------------------------------------------------------------------


def test_pause_adds_the_working_days_it_covered():
    deadline = local(2026, 10, 13, 23, 59, 59)
    # Covered 10-08 and 10-09 (the holidays do not count): two working days later.
    extended = extend_for_pause(
        deadline, local(2026, 9, 30, 10), local(2026, 10, 9, 15), calendar=CALENDAR, urgent=False
    )
    assert extended == local(2026, 10, 15, 23, 59, 59)


def test_pause_over_a_weekend_counts_only_the_working_day():
    # Friday to Monday covers Monday 03-16; the deadline Friday 03-20 moves to 03-23.
    extended = extend_for_pause(
        local(2026, 3, 20, 23, 59, 59),
        local(2026, 3, 13, 16),
        local(2026, 3, 16, 9),
        calendar=CALENDAR,
        urgent=False,
    )
    assert extended == local(2026, 3, 23, 23, 59, 59)


@pytest.mark.parametrize(
    ("paused", "resumed"),
    [
        (local(2026, 3, 11, 9), local(2026, 3, 11, 17)),  # within one day
        (local(2026, 10, 1, 9), local(2026, 10, 7, 17)),  # only holidays
        (local(2026, 3, 11, 9), local(2026, 3, 11, 9)),  # zero length
    ],
)
def test_pause_covering_no_working_day_changes_nothing(paused, resumed):
    deadline = local(2026, 10, 13, 23, 59, 59)
    assert extend_for_pause(deadline, paused, resumed, calendar=CALENDAR, urgent=False) == deadline


def test_urgent_pause_adds_its_wall_clock_length():
    extended = extend_for_pause(
        local(2026, 10, 1, 20),
        local(2026, 9, 30, 21),
        datetime(2026, 9, 30, 19, 30, tzinfo=UTC),  # 10-01 03:30 in Shanghai
        calendar=CALENDAR,
        urgent=True,
    )
    assert extended == local(2026, 10, 2, 2, 30)


def test_resuming_before_pausing_is_refused():
    with pytest.raises(ValueError):
        extend_for_pause(
            local(2026, 10, 13, 23, 59, 59),
            local(2026, 10, 9),
            local(2026, 10, 8),
            calendar=CALENDAR,
            urgent=False,
        )


# --- warnings -------------------------------------------------------------------------

START = local(2026, 3, 2, 8, 0)
DEADLINE = START + timedelta(hours=10)  # the last 2 hours are yellow
TICK = timedelta(microseconds=1)


@pytest.mark.parametrize(
    ("now", "level"),
    [
        (START, Warning.GREEN),
        (DEADLINE - timedelta(hours=2) - TICK, Warning.GREEN),
        (DEADLINE - timedelta(hours=2), Warning.YELLOW),
        (DEADLINE, Warning.YELLOW),
        (DEADLINE + TICK, Warning.RED),
    ],
)
def test_warning_level_boundaries(now, level):
    assert warning_level(now, start=START, deadline=DEADLINE) is level


def test_warning_level_with_another_fraction_and_zone():
    now = (DEADLINE - timedelta(hours=5)).astimezone(UTC)
    assert warning_level(now, start=START, deadline=DEADLINE) is Warning.GREEN
    assert warning_level(now, start=START, deadline=DEADLINE, yellow_fraction=0.5) is (
        Warning.YELLOW
    )


def test_warning_values():
    assert [w.value for w in Warning] == ["green", "yellow", "red"]
    assert Warning.RED == "red"


# --- policy ---------------------------------------------------------------------------


def test_default_policy():
    assert POLICY.sign_for_hours == 2
    assert POLICY.urgent_sign_for_minutes == 30
    assert POLICY.urgent_reply_hours == 24
    assert dict(POLICY.days_by_appeal_type) == dict(DEFAULT_DAYS_BY_APPEAL_TYPE)
    assert set(POLICY.days_by_appeal_type) == {t.value for t in AppealType}
    assert dict(POLICY.days_by_category) == {}
    assert POLICY.default_days == 10
    assert POLICY.office_hours == OfficeHours(time(8, 30), time(17, 30))
    assert POLICY.yellow_fraction == 0.2


def test_policy_tables_are_frozen_copies():
    table = {"traffic": 3}
    policy = DeadlinePolicy(days_by_category=table)
    table["traffic"] = 30
    assert policy.days_by_category["traffic"] == 3
    with pytest.raises(TypeError):
        policy.days_by_category["traffic"] = 4


def test_from_settings_with_nothing_is_the_default():
    assert DeadlinePolicy.from_settings({}) == POLICY


def test_from_settings_reads_every_key_and_ignores_foreign_ones():
    policy = DeadlinePolicy.from_settings(
        {
            "sign_for_hours": 1.5,
            "urgent_sign_for_minutes": 20,
            "urgent_reply_hours": "12",
            "days_by_appeal_type": {"consult": 3, "help": "20"},
            "days_by_category": {"traffic.parking": 7},
            "default_days": 8,
            "office_hours_start": "09:00",
            "office_hours_end": "18:00",
            "yellow_fraction": "0.25",
            "site_name": "12345",
        }
    )
    assert policy == DeadlinePolicy(
        sign_for_hours=1.5,
        urgent_sign_for_minutes=20,
        urgent_reply_hours=12,
        days_by_appeal_type={**DEFAULT_DAYS_BY_APPEAL_TYPE, "consult": 3, "help": 20},
        days_by_category={"traffic.parking": 7},
        default_days=8,
        office_hours=OfficeHours(time(9), time(18)),
        yellow_fraction=0.25,
    )


def test_from_settings_keeps_the_other_office_hour():
    assert DeadlinePolicy.from_settings({"office_hours_end": "18:00"}).office_hours == (
        OfficeHours(time(8, 30), time(18))
    )


@pytest.mark.parametrize(
    "values",
    [
        {"default_days": -1},
        {"default_days": 0},
        {"default_days": True},
        {"default_days": "ten"},
        {"urgent_reply_hours": 2.5},
        {"urgent_sign_for_minutes": None},
        {"sign_for_hours": 0},
        {"sign_for_hours": "nan"},
        {"sign_for_hours": "two"},
        {"days_by_appeal_type": {"consult": -3}},
        {"days_by_appeal_type": {"gossip": 5}},
        {"days_by_appeal_type": [("consult", 5)]},
        {"days_by_category": {"traffic": 0}},
        {"days_by_category": {"traffic": "soon"}},
        {"office_hours_start": "18:00", "office_hours_end": "09:00"},
        {"office_hours_end": "08:30"},
        {"office_hours_start": "half past eight"},
        {"office_hours_start": 830},
        {"yellow_fraction": 1.5},
        {"yellow_fraction": -0.1},
    ],
)
def test_from_settings_refuses_bad_values(values):
    with pytest.raises(InvalidPolicy) as raised:
        DeadlinePolicy.from_settings(values)
    assert isinstance(raised.value, DomainError)
    assert raised.value.code == "invalid_policy"
    assert raised.value.message


def test_invalid_policy_messages_name_the_problem():
    with pytest.raises(InvalidPolicy, match="gossip"):
        DeadlinePolicy.from_settings({"days_by_appeal_type": {"gossip": 5}})
    with pytest.raises(InvalidPolicy, match="咨询"):
        DeadlinePolicy.from_settings({"days_by_appeal_type": {"consult": -3}})
    with pytest.raises(InvalidPolicy, match="17:00.*18:00"):
        OfficeHours(time(18), time(17))


# --- properties -----------------------------------------------------------------------

instants = st.datetimes(
    min_value=datetime(2010, 1, 1), max_value=datetime(2026, 10, 31), timezones=st.just(LOCAL_TZ)
)
appeal_types = st.sampled_from([t.value for t in AppealType])


@given(a=instants, b=instants, urgent=st.booleans())
def test_sign_by_is_monotone_and_later(a, b, urgent):
    a, b = sorted((a, b))
    assert a < dispatched(a, urgent=urgent) <= dispatched(b, urgent=urgent)


@given(at=instants)
def test_sign_by_falls_within_office_hours_of_a_working_day(at):
    deadline = dispatched(at)
    assert CALENDAR.is_workday(deadline.date())
    assert POLICY.office_hours.start < deadline.time() <= POLICY.office_hours.end


@given(a=instants, b=instants, urgent=st.booleans(), appeal_type=appeal_types)
def test_reply_deadline_is_monotone_and_later(a, b, urgent, appeal_type):
    a, b = sorted((a, b))
    first = signed(a, urgent=urgent, appeal_type=appeal_type)
    assert a < first <= signed(b, urgent=urgent, appeal_type=appeal_type)


@given(at=instants, appeal_type=appeal_types)
def test_reply_deadline_ends_the_nth_working_day(at, appeal_type):
    deadline = signed(at, appeal_type=appeal_type)
    assert deadline.time() == time(23, 59, 59)
    assert CALENDAR.is_workday(deadline.date())
    assert (
        CALENDAR.working_days_between(at.date(), deadline.date())
        == (DEFAULT_DAYS_BY_APPEAL_TYPE[appeal_type])
    )
