"""The report's period as people write it (SPEC 11: ``--period 2024-11``, ``2024Q4``,
``2024``, or ``--from`` / ``--to``)."""

from datetime import date

import pytest

from hotline.domain.statistics import InvalidPeriod, Period
from hotline.statistics.periods import period_between, period_parse


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("2024-11", Period(date(2024, 11, 1), date(2024, 11, 30))),
        ("2024-2", Period(date(2024, 2, 1), date(2024, 2, 29))),
        ("2018-12", Period(date(2018, 12, 1), date(2018, 12, 31))),
        ("2024Q4", Period(date(2024, 10, 1), date(2024, 12, 31))),
        ("2020q1", Period(date(2020, 1, 1), date(2020, 3, 31))),
        ("2024", Period(date(2024, 1, 1), date(2024, 12, 31))),
        (" 2024-11 ", Period(date(2024, 11, 1), date(2024, 11, 30))),
    ],
)
def test_a_month_a_quarter_or_a_year(text, period):
    assert period_parse(text) == period


@pytest.mark.parametrize(
    "text", ["2024-13", "2024-00", "2024Q5", "2024Q0", "24-11", "2024/11", "十一月", "", "0000"]
)
def test_anything_else_is_refused_with_the_forms_it_may_take(text):
    with pytest.raises(InvalidPeriod) as refused:
        period_parse(text)
    assert "格式不正确" in refused.value.message
    assert "2024-11（月）、2024Q4（季度）或 2024（年）" in refused.value.message


def test_two_dates_make_any_range_both_days_included():
    period = period_between("2024-11-11", "2024-11-20")
    assert period == Period(date(2024, 11, 11), date(2024, 11, 20))
    assert period.days == 10
    assert period_between(date(2024, 11, 11), date(2024, 11, 11)).days == 1


def test_a_bad_date_or_a_range_backwards_is_refused_in_chinese():
    with pytest.raises(InvalidPeriod, match="开始日期「2024-11-31」格式不正确"):
        period_between("2024-11-31", "2024-12-01")
    with pytest.raises(InvalidPeriod, match="早于开始日期"):
        period_between("2024-11-20", "2024-11-11")
