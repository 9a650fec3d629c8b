"""A year's holiday schedule as the office enters it (SPEC 4, 2026-12): the lines of the
State Council's notice pasted as they are published, or the rows of a file (date,
rest|work, name). Either way the whole year is read first and every bad line named, so
that the schedule is saved whole or not at all.

The notice's common phrasing, e.g.::

    一、元旦：1月1日（周五）至3日（周日）放假调休，共3天。1月4日（周一）上班。
    二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。
    2月14日（周六）、2月28日（周六）上班。

A sentence with 放假 gives days off (a day, or a range 「X月X日至X日」 / 「X月X日至Y月Y日」),
one with 上班 the make-up working days; 「共N天」 is checked against the range. Lines with
no date (the title, the preamble) are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType

from hotline.domain.errors import DomainError

REST, WORK = "rest", "work"
_KINDS = {"rest": False, "放假": False, "休": False, "work": True, "上班": True, "班": True}


@dataclass(frozen=True)
class ScheduleProblem:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"第 {self.line} 行：{self.reason}"


class InvalidSchedule(DomainError):
    code = "invalid_schedule"

    def __init__(self, problems: list[ScheduleProblem]):
        super().__init__("；".join(map(str, problems)))
        self.problems = problems


@dataclass(frozen=True)
class ScheduledDay:
    day: date
    workday: bool  # True: a make-up working day (调休上班); False: a day off
    name: str


@dataclass(frozen=True)
class YearSchedule:
    year: int
    days: Mapping[date, ScheduledDay]

    @property
    def rest_days(self) -> list[ScheduledDay]:
        return [d for d in self.days.values() if not d.workday]

    @property
    def work_days(self) -> list[ScheduledDay]:
        return [d for d in self.days.values() if d.workday]

    def table(self) -> dict[date, bool]:
        return {day: entry.workday for day, entry in self.days.items()}


# 「2027年1月1日」, 「1月1日」 or, after a 至, 「3日」 (the month of the range's start).
_DAY = r"(?:(?P<{p}y>\d{{4}})年)?(?:(?P<{p}m>\d{{1,2}})月)?(?P<{p}d>\d{{1,2}})日"
_RANGE = re.compile(_DAY.format(p="a") + r"(?:\s*[至到\-—~～]\s*" + _DAY.format(p="b") + ")?")
_TITLE = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]\s*(?P<name>[^：:]+?)\s*[：:]")
_NOTE = re.compile(r"[（(][^）)]*[）)]")
_TOTAL = re.compile(r"共\s*(\d+)\s*天")


class _Bad(Exception):
    pass


def parse_notice(text: str, *, year: int) -> YearSchedule:
    """The schedule in the pasted notice; ``InvalidSchedule`` names every bad line."""
    entries: list[tuple[int, date, bool, str]] = []
    problems: list[ScheduleProblem] = []
    name = ""
    for number, line in enumerate(text.splitlines(), start=1):
        title = _TITLE.match(line)
        if title:
            name = title.group("name")
            line = line[title.end() :]
        line = _NOTE.sub("", line)
        if "日" not in line or not _RANGE.search(line):
            continue
        try:
            for sentence in re.split(r"[。；;]", line):
                entries.extend((number, *found, name) for found in _sentence(sentence, year))
        except _Bad as error:
            problems.append(ScheduleProblem(number, str(error)))
    return _schedule(year, entries, problems)


def _sentence(sentence: str, year: int) -> list[tuple[date, bool]]:
    ranges = list(_RANGE.finditer(sentence))
    if not ranges:
        return []
    rest, work = "放假" in sentence or "休息" in sentence, "上班" in sentence
    if rest == work:
        raise _Bad(f"「{sentence.strip()}」未说明是放假还是上班")
    days: list[date] = []
    for found in ranges:
        start = _date(found, "a", year, None)
        end = _date(found, "b", year, start) if found.group("bd") else start
        if end < start:
            raise _Bad(f"「{found.group(0)}」结束日期早于开始日期")
        if (end - start).days > 31:
            raise _Bad(f"「{found.group(0)}」跨度超过一个月")
        days.extend(start + timedelta(days=i) for i in range((end - start).days + 1))
    total = _TOTAL.search(sentence)
    if rest and total and int(total.group(1)) != len(days):
        raise _Bad(f"写明共 {total.group(1)} 天，但日期范围为 {len(days)} 天")
    return [(day, work) for day in days]


def _date(found: re.Match, side: str, year: int, start: date | None) -> date:
    y, m, d = (found.group(side + part) for part in "ymd")
    if m is None and start is None:
        raise _Bad(f"「{found.group(0)}」缺少月份")
    try:
        return date(
            int(y) if y else (start.year if start and not m else year),
            int(m) if m else start.month,
            int(d),
        )
    except ValueError:
        raise _Bad(f"「{found.group(0)}」不是有效日期") from None


def parse_rows(rows: Iterable[tuple[int, list[str]]], *, year: int) -> YearSchedule:
    """The schedule from a file's rows (line number, cells: date, rest|work, name); a
    first row that is not a date is a header."""
    entries: list[tuple[int, date, bool, str]] = []
    problems: list[ScheduleProblem] = []
    for index, (number, cells) in enumerate(rows):
        cells = [str(c).strip() if c is not None else "" for c in cells]
        if not any(cells):
            continue
        text, kind = cells[0], cells[1] if len(cells) > 1 else ""
        try:
            day = date.fromisoformat(text[:10])
        except ValueError:
            if index == 0:
                continue  # the header
            problems.append(ScheduleProblem(number, f"日期「{text}」应为 YYYY-MM-DD 格式"))
            continue
        if kind.lower() not in _KINDS:
            problems.append(
                ScheduleProblem(number, f"类型「{kind}」应为 rest（放假）或 work（上班）")
            )
            continue
        entries.append((number, day, _KINDS[kind.lower()], cells[2] if len(cells) > 2 else ""))
    return _schedule(year, entries, problems)


def _schedule(
    year: int, entries: list[tuple[int, date, bool, str]], problems: list[ScheduleProblem]
) -> YearSchedule:
    days: dict[date, ScheduledDay] = {}
    for number, day, workday, name in entries:
        if day.year != year:
            problems.append(ScheduleProblem(number, f"{day:%Y-%m-%d} 不在 {year} 年内"))
            continue
        if len(name) > 50:
            problems.append(ScheduleProblem(number, "说明不能超过 50 个字"))
            continue
        seen = days.get(day)
        if seen is not None and seen.workday != workday:
            problems.append(ScheduleProblem(number, f"{day:%Y-%m-%d} 既被列为放假又被列为上班"))
            continue
        days[day] = ScheduledDay(day, workday, name)
    if not problems and not days:
        problems.append(ScheduleProblem(0, "没有识别出任何放假或上班日期"))
    if problems:
        raise InvalidSchedule(sorted(problems, key=lambda p: p.line))
    return YearSchedule(year, MappingProxyType(dict(sorted(days.items()))))
