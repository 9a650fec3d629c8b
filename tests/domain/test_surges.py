from datetime import date, timedelta
from statistics import median

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from hotline.domain.surges import (
    InvalidSurgeRule,
    SeriesKey,
    SurgeRule,
    _median,
    baseline,
    judge,
    series_from_groups,
    surges,
)

MONDAY = date(2024, 4, 1)
DAY = timedelta(days=1)
RULE = SurgeRule()


def history(profile, weeks: int, *, level: float = 1, noise=None) -> dict[date, int]:
    """``weeks`` weeks from MONDAY: each day its weekday's share of ``profile`` times
    ``level``, times ``1 + noise[i]`` when noise is given."""
    counts = {}
    for i in range(weeks * 7):
        day = MONDAY + i * DAY
        factor = 1 + (noise[i] if noise else 0)
        counts[day] = round(profile[day.weekday()] * level * factor)
    return counts


# --- the baseline ---------------------------------------------------------------------


def test_the_baseline_is_the_median_of_the_same_weekday_in_earlier_weeks():
    day = date(2024, 5, 13)  # a Monday, six weeks after MONDAY
    counts = {day - 7 * k * DAY: n for k, n in enumerate([20, 10, 12, 30, 11, 8], start=1)}
    counts[day - DAY] = 500  # Sunday does not count for Monday
    base = baseline(counts, day)
    assert base.expected == 11.5
    # |deviations| 8.5, 1.5, .5, 18.5, .5, 3.5 → median 2.5 → ×1.4826 = 3.7065 > √11.5
    assert base.spread == pytest.approx(3.7065)
    assert base.weeks == 6


def test_a_flat_series_is_spread_by_its_poisson_noise_and_at_least_one():
    day = date(2024, 5, 13)
    flat = {day - 7 * k * DAY: 16 for k in range(1, 7)}
    assert baseline(flat, day).spread == 4.0  # √16
    assert baseline({}, day).spread == 1.0  # nothing expected


def test_days_before_the_history_are_unknown_not_zero():
    day = date(2024, 5, 13)
    counts = {day - 7 * k * DAY: 2 for k in range(1, 4)} | {day: 40}
    known = day - 21 * DAY
    assert baseline(counts, day, known_from=known) is None  # three weeks < four
    assert judge(counts, day, known_from=known) is None
    assert judge(counts, day, known_from=day - 28 * DAY).observed == 40


def test_a_surge_needs_a_minimum_count_a_ratio_and_a_score():
    day = date(2024, 5, 13)
    base = {day - 7 * k * DAY: 2 for k in range(1, 7)}
    assert judge(base | {day: 9}, day, rule=SurgeRule(min_score=1)) is None  # under ten
    assert judge(base | {day: 10}, day) is None  # (10 − 2) / √2 = 5.66: under six
    assert judge(base | {day: 10}, day, rule=SurgeRule(min_score=5)).score == 5.66
    three = {day - 7 * k * DAY: 3 for k in range(1, 7)}
    surge = judge(three | {day: 15}, day, series="x")
    assert (surge.series, surge.day, surge.observed, surge.expected) == ("x", day, 15, 3.0)
    assert surge.score == 6.93  # (15 − 3) / √3
    assert surge.ratio == 5.0
    busy = {day - 7 * k * DAY: 100 for k in range(1, 7)}
    assert judge(busy | {day: 290}, day) is None  # score 19, but under three times
    assert judge(busy | {day: 300}, day).score == 20.0


def test_a_category_seen_for_the_first_time_in_numbers_is_a_surge():
    day = date(2024, 5, 13)
    surge = judge({day: 12}, day)
    assert (surge.expected, surge.score, surge.ratio) == (0.0, 12.0, None)


def test_rules_refuse_nonsense():
    with pytest.raises(InvalidSurgeRule):
        SurgeRule(weeks=3, min_weeks=4)
    with pytest.raises(InvalidSurgeRule):
        SurgeRule(min_ratio=1)
    assert RULE.window_start(date(2024, 5, 13)) == date(2024, 4, 1)


# --- holidays and make-up working days ----------------------------------------------------


def _workdays(rest: set[date], work: set[date]):
    def is_workday(day: date) -> bool:
        if day in rest:
            return False
        return day in work or day.weekday() < 5

    return is_workday


def test_a_working_sunday_is_compared_with_working_days_not_with_sundays():
    profile = (40, 40, 40, 40, 40, 12, 10)
    counts = history(profile, 7)
    sunday = date(2024, 5, 12)
    counts[sunday] = 40  # a make-up working day: a weekday's load
    assert judge(counts, sunday) is not None  # by weekday alone: 40 against 10
    is_workday = _workdays(set(), {sunday})
    assert baseline(counts, sunday, is_workday=is_workday).expected == 40
    assert judge(counts, sunday, is_workday=is_workday) is None


def test_a_holiday_is_left_out_of_its_weekday_baseline_and_compared_with_rest_days():
    profile = (40, 40, 40, 40, 40, 12, 10)
    counts = history(profile, 7)
    holiday = date(2024, 4, 22)  # a Monday off
    counts[holiday] = 11
    monday = date(2024, 5, 13)
    is_workday = _workdays({holiday}, set())
    assert baseline(counts, monday, is_workday=is_workday).weeks == 5
    assert baseline(counts, holiday, is_workday=is_workday).expected == 11  # 12s and 10s


def test_today_and_yesterday_need_their_own_weekdays_only():
    today = date(2024, 5, 14)  # a Tuesday
    needed = RULE.days_needed(today - DAY, today)
    assert needed == sorted(
        [today - DAY, today]
        + [today - 7 * k * DAY for k in range(1, 7)]
        + [today - DAY - 7 * k * DAY for k in range(1, 7)]
    )
    assert len(needed) == 14  # of the 44 days since the window starts


def test_an_exceptional_day_needs_the_latest_days_of_its_kind():
    sunday = date(2024, 5, 12)  # a make-up working day
    is_workday = _workdays(set(), {sunday})
    needed = RULE.days_needed(sunday, sunday, is_workday)
    # the six working days before it: Friday back to Monday, then the Friday before
    assert needed == [date(2024, 5, d) for d in (3, 6, 7, 8, 9, 10, 12)]


# --- series -----------------------------------------------------------------------------


def test_groups_become_series_per_category_per_district_and_per_pair():
    d1, d2 = date(2024, 5, 13), date(2024, 5, 14)
    series = series_from_groups(
        [(d1, "roads", "yuetang", 3), (d1, "roads", "yuhu", 2), (d2, "roads", None, 1)]
        + [(d1, None, "yuhu", 4)]
    )
    assert series == {
        SeriesKey("roads", None): {d1: 5, d2: 1},
        SeriesKey(None, "yuetang"): {d1: 3},
        SeriesKey("roads", "yuetang"): {d1: 3},
        SeriesKey(None, "yuhu"): {d1: 6},
        SeriesKey("roads", "yuhu"): {d1: 2},
    }
    assert [key.kind for key in list(series)[:3]] == ["category", "district", "category_district"]


def test_surges_are_listed_by_day_then_strongest_first_within_the_range():
    profile = (4, 4, 4, 4, 4, 4, 4)
    a, b = history(profile, 8), history(profile, 8)
    late, early = date(2024, 5, 20), date(2024, 5, 14)
    a[late], b[late], b[early] = 40, 60, 30
    found = surges({"a": a, "b": b}, start=early, end=late)
    assert [(s.series, s.day) for s in found] == [("b", early), ("b", late), ("a", late)]
    assert surges({"a": a, "b": b}, start=early, end=late - DAY) == found[:1]


# --- properties -----------------------------------------------------------------------------

profiles = st.tuples(*[st.integers(min_value=0, max_value=400)] * 7)
busy_profiles = st.tuples(*[st.integers(min_value=3, max_value=400)] * 7)
WEEKS = 10


@settings(max_examples=200, deadline=None)
@given(profile=profiles, level=st.floats(min_value=0.1, max_value=50))
def test_a_weekly_rhythm_at_any_level_raises_nothing(profile, level):
    """Scaling every day equally — quiet weekends, busy Mondays, any size — is no surge."""
    counts = history(profile, WEEKS, level=level)
    assert (
        surges({"s": counts}, start=MONDAY, end=MONDAY + WEEKS * 7 * DAY, known_from=MONDAY) == []
    )


@settings(max_examples=200, deadline=None)
@given(
    profile=profiles,
    level=st.floats(min_value=0.1, max_value=50),
    noise=st.lists(
        st.floats(min_value=-0.25, max_value=0.25), min_size=WEEKS * 7, max_size=WEEKS * 7
    ),
)
def test_day_to_day_noise_within_a_quarter_raises_nothing_at_any_level(profile, level, noise):
    counts = history(profile, WEEKS, level=level, noise=noise)
    assert (
        surges({"s": counts}, start=MONDAY, end=MONDAY + WEEKS * 7 * DAY, known_from=MONDAY) == []
    )


@settings(max_examples=200, deadline=None)
@given(
    profile=busy_profiles,
    noise=st.lists(
        st.floats(min_value=-0.1, max_value=0.1), min_size=WEEKS * 7, max_size=WEEKS * 7
    ),
    offset=st.integers(min_value=6 * 7, max_value=WEEKS * 7 - 1),
)
def test_a_day_five_times_its_usual_is_flagged_and_only_that_day(profile, noise, offset):
    counts = history(profile, WEEKS, noise=noise)
    storm = MONDAY + offset * DAY
    usual = profile[storm.weekday()]
    counts[storm] = 5 * usual
    found = surges({"s": counts}, start=MONDAY, end=MONDAY + WEEKS * 7 * DAY, known_from=MONDAY)
    assert [(s.series, s.day, s.observed) for s in found] == [("s", storm, 5 * usual)]


@settings(max_examples=200, deadline=None)
@given(
    profile=profiles,
    bursts=st.dictionaries(
        st.integers(min_value=0, max_value=WEEKS * 7 - 1),
        st.integers(min_value=0, max_value=500),
        max_size=12,
    ),
    off=st.sets(st.integers(min_value=0, max_value=WEEKS * 7 - 1), max_size=6),
    on=st.sets(st.integers(min_value=0, max_value=WEEKS * 7 - 1), max_size=3),
    first=st.integers(min_value=0, max_value=WEEKS * 7 - 1),
    length=st.integers(min_value=0, max_value=9),
)
def test_the_days_needed_judge_exactly_as_the_whole_history(
    profile, bursts, off, on, first, length
):
    """Counting only ``days_needed`` changes no judgement: whatever the counts and the
    holidays, the surges of any range are those found with every day known."""
    counts = history(profile, WEEKS)
    for i, n in bursts.items():
        counts[MONDAY + i * DAY] = n
    is_workday = _workdays({MONDAY + i * DAY for i in off}, {MONDAY + i * DAY for i in on})
    start = MONDAY + first * DAY
    end = start + length * DAY
    needed = set(RULE.days_needed(start, end, is_workday))
    only = {d: n for d, n in counts.items() if d in needed}
    judged = {"start": start, "end": end, "known_from": MONDAY, "is_workday": is_workday}
    assert surges({"s": only}, **judged) == surges({"s": counts}, **judged)


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=12))
def test_the_median_is_the_statistics_modules(values):
    assert _median(values) == median(values)
    assert type(_median(values)) is type(median(values))


@given(
    earlier=st.lists(st.integers(min_value=0, max_value=60), min_size=0, max_size=6),
    observed=st.integers(min_value=0, max_value=200),
)
# At the edges: just under and at three times the median with a score of six or more,
# and one known week too few.
@example(earlier=[10, 10, 10, 10], observed=29)
@example(earlier=[10, 10, 10, 10, 10, 10], observed=30)
@example(earlier=[0, 0, 0], observed=50)
def test_a_day_is_judged_by_its_baseline_exactly_as_the_module_defines_it(earlier, observed):
    day = MONDAY + 7 * 6 * DAY
    counts = {day - 7 * (k + 1) * DAY: n for k, n in enumerate(earlier)}
    counts[day] = observed
    known_from = day - 7 * len(earlier) * DAY
    base = baseline(counts, day, known_from=known_from)
    found = judge(counts, day, series="s", known_from=known_from)
    expected_surge = (
        base is not None
        and observed >= RULE.min_count
        and observed >= RULE.min_ratio * base.expected
        and (observed - base.expected) / base.spread >= RULE.min_score
    )
    assert (found is not None) == expected_surge
    if found is not None:
        assert found.expected == base.expected
        assert found.score == round((observed - base.expected) / base.spread, 2)
