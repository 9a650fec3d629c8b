"""The statutory holidays of a year, for the provisional calendar (SPEC 4, 2026-12).

《全国年节及纪念日放假办法》 (2025 revision) gives every citizen these days off: 元旦 1 day,
春节 4 days (除夕 to 初三), 清明 (the solar-term day), 劳动节 2 days (May 1–2), 端午 (五月
初五), 中秋 (八月十五), 国庆 3 days (Oct 1–3). The State Council's yearly notice then moves
days around them (调休); those moves cannot be predicted, so a provisional year has none.
Lunar and solar-term dates come from ``lunar_python``, never from a table of our own.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from functools import cache
from types import MappingProxyType

from lunar_python import Lunar


@cache
def statutory_holidays(year: int) -> Mapping[date, str]:
    """The year's statutory days off, each with its festival's name."""
    days: dict[date, str] = {date(year, 1, 1): "元旦"}
    # 除夕 is the day before 正月初一; 正月初一 of ``year`` always falls inside it.
    new_year = _solar(Lunar.fromYmd(year, 1, 1))
    for offset in range(-1, 3):
        days[new_year + timedelta(days=offset)] = "春节"
    days[_solar(Lunar.fromYmd(year, 3, 1).getJieQiTable()["清明"])] = "清明节"
    days.update({date(year, 5, 1): "劳动节", date(year, 5, 2): "劳动节"})
    days[_solar(Lunar.fromYmd(year, 5, 5))] = "端午节"
    days[_solar(Lunar.fromYmd(year, 8, 15))] = "中秋节"
    # 国庆 is three days of its own: when 中秋 falls on one of 1–3 October the two
    # holidays together still give four days off, as the 2020 notice did.
    national_day = date(year, 10, 1)
    for _ in range(3):
        while national_day in days:
            national_day += timedelta(days=1)
        days[national_day] = "国庆节"
    return MappingProxyType(dict(sorted(days.items())))


def _solar(value) -> date:
    solar = value.getSolar() if isinstance(value, Lunar) else value
    return date(solar.getYear(), solar.getMonth(), solar.getDay())
