"""The report's period as people write it: ``2024-11``, ``2024Q4``, ``2024`` or two dates."""

import re
from datetime import date

from hotline.domain.statistics import InvalidPeriod, Period

_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_QUARTER = re.compile(r"(\d{4})[Qq]([1-4])")
_YEAR = re.compile(r"\d{4}")

EXPECTED = "应为 2024-11（月）、2024Q4（季度）或 2024（年）"


def period_parse(text: str) -> Period:
    """A month, quarter or year; anything else is refused with the forms it may take."""
    text = (text or "").strip()
    if match := _MONTH.fullmatch(text):
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12 and year >= 1:
            return Period.month(year, month)
    elif match := _QUARTER.fullmatch(text):
        if int(match[1]) >= 1:
            return Period.quarter(int(match[1]), int(match[2]))
    elif _YEAR.fullmatch(text) and int(text) >= 1:
        return Period.year(int(text))
    raise InvalidPeriod(f"统计周期「{text}」格式不正确，{EXPECTED}")


def period_between(start: date | str, end: date | str) -> Period:
    """Any range of days, both included (``--from`` / ``--to``)."""
    return Period(_day(start, "开始"), _day(end, "结束"))


def _day(value: date | str, which: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except (AttributeError, ValueError):
        raise InvalidPeriod(f"{which}日期「{value}」格式不正确，应为 YYYY-MM-DD") from None
