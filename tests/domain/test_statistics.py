"""SPEC 7: what a count becomes in the report — ratios, ranked lists, periods, comparisons."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline.domain.callback_scope import CallbackScope
from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.enums import Disposition
from hotline.domain.statistics import (
    InvalidPeriod,
    Period,
    callback_dispositions,
    change,
    count_list,
    per_day,
    ranked,
    ranked_mapping,
    rate,
    resolved_at_intake,
    share_list,
    top_share,
)

# --- ratios -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (20676, 30044, 0.6882),  # Xiangtan, answered at intake
        (2694, 3085, 0.8733),  # Longshan, resolved at intake
        (242, 288, 0.8403),  # Longshan, concluded
        (100839, 111139, 0.9073),  # Changsha, answer rate
        (7662, 9368, 0.8179),  # Xiangtan, the ten units' share
        (1, 20000, 0.0001),  # exactly half way: rounded up, not to even
        (3, 80000, 0.0),
        (5, 5, 1.0),
    ],
)
def test_rates_are_fractions_rounded_half_up_to_four_decimals(numerator, denominator, expected):
    assert rate(numerator, denominator) == expected


def test_a_rate_over_nothing_is_none_not_zero():
    assert rate(0, 0) is None
    assert rate(3, 0) is None


@given(st.integers(0, 10**9), st.integers(1, 10**9))
def test_a_rate_of_a_part_lies_between_zero_and_one(part, extra):
    value = rate(part, part + extra)
    assert 0 <= value <= 1
    assert abs(value - part / (part + extra)) <= 0.00005 + 1e-12


def test_a_daily_average_is_a_whole_number_as_the_seeds_publish_it():
    assert per_day(111139, 31) == 3585  # Changsha, December 2018
    assert per_day(3085, 91) == 34  # Longshan, first quarter 2020
    assert per_day(45, 2) == 23  # half up
    with pytest.raises(InvalidPeriod):
        per_day(1, 0)


# --- ranked lists -----------------------------------------------------------------------


def test_lists_are_ranked_by_count_then_by_name_without_empty_rows():
    counts = {"雨湖区": 5, "岳塘区": 9, "湘潭县": 5, "韶山市": 0}
    assert ranked(counts) == [("岳塘区", 9), ("湘潭县", 5), ("雨湖区", 5)]
    assert count_list(counts) == [
        {"name": "岳塘区", "count": 9},
        {"name": "湘潭县", "count": 5},
        {"name": "雨湖区", "count": 5},
    ]
    assert list(ranked_mapping(counts)) == ["岳塘区", "湘潭县", "雨湖区"]


def test_shares_are_of_the_given_total_and_the_list_is_cut_after_its_limit():
    counts = {"咨询": 12447, "求助": 11450, "投诉": 5813, "其他": 227, "建议": 107}
    rows = share_list(counts, 30044, limit=3)
    assert rows == [
        {"name": "咨询", "count": 12447, "share": 0.4143},
        {"name": "求助", "count": 11450, "share": 0.3811},
        {"name": "投诉", "count": 5813, "share": 0.1935},
    ]


def test_the_top_share_sums_the_counts_not_the_rounded_shares():
    rows = share_list({"a": 1, "b": 1, "c": 1}, 8)  # 0.125 each, 0.375 together
    assert [row["share"] for row in rows] == [0.125, 0.125, 0.125]
    rows = share_list({"a": 1, "b": 1}, 3)  # 0.3333 each; together 0.6667, not 0.6666
    assert top_share(rows, 3) == 0.6667
    assert top_share([], 0) is None


# --- intake and callbacks ---------------------------------------------------------------


def test_resolved_at_intake_is_answered_plus_harassment_plus_invalid():
    counts = {
        Disposition.ANSWERED: 2533,
        Disposition.HARASSMENT: 161,
        Disposition.REJECTED: 103,
        Disposition.DISPATCHED: 288,
    }
    assert resolved_at_intake(counts) == 2694


def test_the_callback_scope_names_the_outcomes_to_call_back():
    # SPEC 3 (2026-12): callbacks count per caller, each merged caller too.
    assert callback_dispositions(CallbackScope.DISPATCHED) == [
        Disposition.DISPATCHED,
        Disposition.MERGED,
    ]
    assert set(callback_dispositions(CallbackScope.ALL)) == {
        Disposition.ANSWERED,
        Disposition.DISPATCHED,
        Disposition.MERGED,
    }


def test_a_change_carries_both_figures_the_difference_and_the_relative_change():
    assert change(71266, 64085) == {
        "current": 71266,
        "previous": 64085,
        "change": 7181,
        "change_rate": 0.1121,
    }
    assert change(90, 100)["change_rate"] == -0.1
    assert change(5, 0)["change_rate"] is None


# --- periods ----------------------------------------------------------------------------


def span(start: str, end: str) -> Period:
    return Period(date.fromisoformat(start), date.fromisoformat(end))


def test_a_month_a_quarter_and_a_year_know_their_days():
    assert Period.month(2024, 11) == Period(date(2024, 11, 1), date(2024, 11, 30))
    assert Period.month(2024, 2).days == 29
    assert Period.month(2018, 12).days == 31
    assert Period.quarter(2020, 1) == Period(date(2020, 1, 1), date(2020, 3, 31))
    assert Period.quarter(2020, 1).days == 91
    assert Period.year(2024).days == 366
    with pytest.raises(InvalidPeriod):
        Period.quarter(2024, 5)


def test_a_period_ending_before_it_starts_is_refused_in_chinese():
    with pytest.raises(InvalidPeriod, match="早于开始日期"):
        Period(date(2024, 11, 30), date(2024, 11, 1))


def test_a_period_is_local_calendar_days_from_midnight_to_midnight_in_shanghai():
    start, until = Period.month(2024, 11).bounds()
    assert start == datetime(2024, 11, 1, tzinfo=LOCAL_TZ)
    assert until == datetime(2024, 12, 1, tzinfo=LOCAL_TZ)
    assert start.utcoffset() == timedelta(hours=8)


@pytest.mark.parametrize(
    ("period", "previous"),
    [
        (Period.month(2024, 11), Period.month(2024, 10)),
        (Period.month(2024, 3), Period.month(2024, 2)),
        (Period.month(2024, 1), Period.month(2023, 12)),
        (Period.quarter(2020, 1), Period.quarter(2019, 4)),
        (Period.year(2024), Period.year(2023)),
        (span("2024-01-01", "2024-02-29"), span("2023-11-01", "2023-12-31")),
        (span("2024-11-11", "2024-11-20"), span("2024-11-01", "2024-11-10")),
        (span("2024-03-01", "2024-03-15"), span("2024-02-15", "2024-02-29")),
    ],
)
def test_the_previous_period_is_the_same_months_or_days_just_before(period, previous):
    assert period.previous() == previous


@pytest.mark.parametrize(
    ("period", "year_before"),
    [
        (Period.month(2024, 11), Period.month(2023, 11)),
        (Period.month(2024, 2), Period.month(2023, 2)),
        (Period.month(2025, 2), Period.month(2024, 2)),  # ends on the 29th
        (Period.quarter(2020, 1), Period.quarter(2019, 1)),
        (span("2024-02-29", "2024-03-05"), span("2023-02-28", "2023-03-05")),
        (span("2024-11-11", "2024-11-20"), span("2023-11-11", "2023-11-20")),
    ],
)
def test_the_same_period_a_year_before_keeps_its_calendar_days(period, year_before):
    assert period.year_before() == year_before


@given(st.dates(date(1991, 1, 1), date(2090, 12, 31)), st.integers(0, 800))
def test_the_previous_period_ends_the_day_before_and_is_as_long(start, length):
    period = Period(start, start + timedelta(days=length))
    previous = period.previous()
    assert previous.end == period.start - timedelta(days=1)
    if period.whole_months:
        assert previous.whole_months == period.whole_months
    else:
        assert previous.days == period.days


def test_a_period_is_written_as_two_iso_dates():
    assert Period.quarter(2020, 1).as_json() == {"from": "2020-01-01", "to": "2020-03-31"}
