"""How the report writes numbers and periods (SPEC 7: 0.6882 → 68.82%)."""

from datetime import date

import pytest

from hotline.reports import text


@pytest.mark.parametrize(
    ("rate", "shown"),
    [(0.6882, "68.82%"), (20676 / 30044, "68.82%"), (1.0, "100.00%"), (0.0, "0.00%"), (None, "—")],
)
def test_percent(rate, shown):
    assert text.percent(rate) == shown


@pytest.mark.parametrize(
    ("rate", "shown"),
    [(0.112, "增长11.20%"), (-0.031, "下降3.10%"), (0.0, "持平"), (None, "—")],
)
def test_change(rate, shown):
    assert text.change(rate) == shown


@pytest.mark.parametrize(
    ("score", "shown"), [(99.2, "99.2"), (70.0, "70"), (100.0, "100"), (92.84, "92.8")]
)
def test_score_as_the_yueyang_appendix_prints_it(score, shown):
    assert text.score(score) == shown


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        (date(2024, 11, 1), date(2024, 11, 30), "2024年11月"),
        (date(2024, 2, 1), date(2024, 2, 29), "2024年2月"),
        (date(2020, 1, 1), date(2020, 3, 31), "2020年第一季度"),
        (date(2024, 10, 1), date(2024, 12, 31), "2024年第四季度"),
        (date(2024, 1, 1), date(2024, 12, 31), "2024年"),
        (date(2024, 1, 1), date(2024, 6, 30), "2024年上半年"),
        (date(2024, 11, 1), date(2024, 11, 15), "2024年11月1日至11月15日"),
        (date(2024, 12, 20), date(2025, 1, 10), "2024年12月20日至2025年1月10日"),
        (date(2024, 11, 5), date(2024, 11, 5), "2024年11月5日"),
    ],
)
def test_period_label(start, end, label):
    assert text.period_label(start, end) == label


def test_default_title():
    assert (
        text.default_title(date(2024, 11, 1), date(2024, 11, 30))
        == "12345政务服务便民热线2024年11月份运行情况通报"
    )
    assert (
        text.default_title(date(2020, 1, 1), date(2020, 3, 31))
        == "12345政务服务便民热线2020年第一季度运行情况通报"
    )


def test_numerals():
    assert [text.numeral(n) for n in (1, 6, 10, 11, 20, 23)] == [
        "一",
        "六",
        "十",
        "十一",
        "二十",
        "二十三",
    ]


def test_daily_average_in_whole_calls():
    assert text.daily(111139 / 31) == "3585"  # Changsha, December 2018
    assert text.daily(3085 / 91) == "34"  # Longshan, Q1 2020
