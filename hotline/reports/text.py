"""How a report writes its numbers, periods and changes: the seeds' conventions
(SPEC 7: rates as percentages with two decimals, 0.6882 → 68.82%)."""

from __future__ import annotations

import calendar
import math
import re
from datetime import date
from itertools import combinations

from hotline.domain.letterhead import DEFAULT_HOTLINE

NONE = "—"
# SPEC 7 (2026-12): an earlier period without the figure is not "增加 N 件".
NO_DATA = "无可比数据"
NUMERALS = "一二三四五六七八九十"
QUARTERS = "一二三四"


def percent(rate: float | None) -> str:
    """0.6882 → 68.82%; no rate (nothing to divide by) → —."""
    if rate is None:
        return NONE
    return f"{rate * 100:.2f}%"


def change(rate: float | None) -> str:
    """A relative change: 0.112 → 增长11.20%, -0.031 → 下降3.10%."""
    if rate is None:
        return NONE
    if abs(rate) < 0.00005:
        return "持平"
    return f"{'增长' if rate > 0 else '下降'}{abs(rate) * 100:.2f}%"


def signed(rate: float | None) -> str:
    """A relative change for a table cell: +11.20% / -3.10%."""
    if rate is None:
        return NONE
    return f"{rate * 100:+.2f}%"


def score(value: float | None) -> str:
    """The assessment score as the Yueyang appendix prints it: 99.2, 70, 100."""
    if value is None:
        return NONE
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def daily(value: float | None) -> str:
    """A daily average in whole calls, as the seeds print it (3585个, 日均34个)."""
    if value is None:
        return NONE
    return str(int(value + 0.5))


def numeral(n: int) -> str:
    """1 → 一 … 10 → 十, 11 → 十一 (section numbers)."""
    if n <= 10:
        return NUMERALS[n - 1]
    if n < 20:
        return "十" + NUMERALS[n - 11]
    tens, units = divmod(n, 10)
    return NUMERALS[tens - 1] + "十" + (NUMERALS[units - 1] if units else "")


def day_text(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def period_label(start: date, end: date) -> str:
    """The period as a report names it: 2024年11月, 2024年第四季度, 2024年上半年, 2024年,
    or the two dates for any other range."""
    last_of_end_month = calendar.monthrange(end.year, end.month)[1]
    whole_months = start.day == 1 and end.day == last_of_end_month and start.year == end.year
    if whole_months:
        if start.month == end.month:
            return f"{start.year}年{start.month}月"
        if start.month == 1 and end.month == 12:
            return f"{start.year}年"
        if start.month % 3 == 1 and end.month == start.month + 2:
            return f"{start.year}年第{QUARTERS[start.month // 3]}季度"
        if (start.month, end.month) == (1, 6):
            return f"{start.year}年上半年"
        if (start.month, end.month) == (7, 12):
            return f"{start.year}年下半年"
    if start == end:
        return day_text(start)
    if start.year == end.year:
        return f"{day_text(start)}至{end.month}月{end.day}日"
    return f"{day_text(start)}至{day_text(end)}"


def is_calendar_period(start: date, end: date) -> bool:
    """A month, a quarter, a half or a year: its name says which days it has."""
    label = period_label(start, end)
    return not label.endswith("日")


def default_title(start: date, end: date, *, hotline: str = DEFAULT_HOTLINE) -> str:
    """湘潭市12345政务服务便民热线2024年11月份运行情况通报: the office's hotline name
    (a setting) and the period."""
    label = period_label(start, end)
    month = label.endswith("月") and "日" not in label
    return f"{hotline}{label}{'份' if month else ''}运行情况通报"


# GB/T 9704-2012 7.3.1: the title in 二号 (22 pt) on the 156 mm type area holds 20
# characters a line; a digit or a Latin letter takes half.
TITLE_WIDTH = 20
_TOKEN = re.compile(
    r"\d+(?:年度|年|月份|月|季度|日)?|[A-Za-z]+|上半年|下半年|政务服务|便民热线|市民服务|"
    r"公众服务|运行情况|热线|平台|通报|关于|工作|专报|."
)
# Where a title reads well broken: before the period or the subject, after the hotline.
_GOOD_BEFORE = re.compile(r"^(\d{4}|运行情况|关于|工作)")
_GOOD_AFTER = ("热线", "平台")
_NEVER_LAST = ("关于", "的")


def _width(text: str) -> float:
    return sum(0.5 if ord(c) < 0x2E80 else 1 for c in text)


def title_lines(title: str, width: float = TITLE_WIDTH) -> list[str]:
    """The title broken into lines between words, never inside one (GB/T 9704 7.3.1: 回行
    时词意完整，排列对称，长短适宜): as few lines as fit, then as even as can be, breaking
    where a title reads well (before the period, after the hotline's name)."""
    tokens = _TOKEN.findall(title)
    total = _width(title)
    if total <= width or len(tokens) < 2:
        return [title]

    def cost(breaks: tuple[int, ...]) -> float | None:
        edges = (0, *breaks, len(tokens))
        lines = ["".join(tokens[a:b]) for a, b in zip(edges, edges[1:], strict=False)]
        widths = [_width(line) for line in lines]
        if max(widths) > width:
            return None
        awkward = sum(
            not (_GOOD_BEFORE.match(tokens[b]) or tokens[b - 1] in _GOOD_AFTER)
            or tokens[b - 1] in _NEVER_LAST
            for b in breaks
        )
        return max(widths) - min(widths) + 4 * awkward

    for count in range(math.ceil(total / width), len(tokens) + 1):
        found = [
            (c, breaks)
            for breaks in combinations(range(1, len(tokens)), count - 1)
            if (c := cost(breaks)) is not None
        ]
        if found:
            _, best = min(found)
            edges = (0, *best, len(tokens))
            return ["".join(tokens[a:b]) for a, b in zip(edges, edges[1:], strict=False)]
    return [title]


def paragraphs(text: str) -> list[str]:
    """A narrative text as the paragraphs the supervisor typed (one per line)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
