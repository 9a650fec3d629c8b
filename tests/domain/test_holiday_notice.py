"""Reading a year's schedule from the State Council's notice or from a file's rows."""

from datetime import date, timedelta

import chinese_calendar
import pytest

from hotline.domain.calendar import WorkingCalendar
from hotline.domain.holiday_notice import InvalidSchedule, parse_notice, parse_rows

# The State Council's notice for 2026, as published (国办发明电〔2025〕7号).
NOTICE_2026 = """国务院办公厅关于2026年部分节假日安排的通知
经国务院批准，现将2026年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
三、清明节：4月4日（周六）至6日（周一）放假，共3天。
四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
五、端午节：6月19日（周五）至21日（周日）放假，共3天。
六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作。
"""


def test_the_2026_notice_gives_the_official_calendar_day_by_day():
    schedule = parse_notice(NOTICE_2026, year=2026)
    assert (len(schedule.rest_days), len(schedule.work_days)) == (33, 6)
    calendar = WorkingCalendar(schedule.table(), use_package=False)
    day = date(2026, 1, 1)
    while day.year == 2026:
        assert calendar.is_workday(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)
    assert schedule.days[date(2026, 2, 14)].name == "春节"
    assert schedule.days[date(2026, 2, 14)].workday


def test_a_range_may_cross_a_month_and_a_day_may_stand_alone():
    schedule = parse_notice(
        "二、春节：1月28日至2月3日放假调休，共7天。\n五、端午节：5月31日放假。", year=2025
    )
    assert [d.day for d in schedule.rest_days][:2] == [date(2025, 1, 28), date(2025, 1, 29)]
    assert schedule.rest_days[6].day == date(2025, 2, 3)
    assert schedule.days[date(2025, 5, 31)].name == "端午节"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("一、元旦：1月1日至3日放假，共4天。", "第 1 行：写明共 4 天，但日期范围为 3 天"),
        ("一、元旦：2月30日放假。", "「2月30日」不是有效日期"),
        ("一、元旦：1月3日至1日放假。", "结束日期早于开始日期"),
        ("一、元旦：1月1日。", "未说明是放假还是上班"),
        ("一、元旦：2026年12月31日上班。", "2026-12-31 不在 2027 年内"),
        (
            "一、元旦：1月1日放假。\n二、春节：1月1日上班。",
            "第 2 行：2027-01-01 既被列为放假又被列为上班",
        ),
        ("通知如下。", "没有识别出任何放假或上班日期"),
    ],
)
def test_bad_lines_are_named_with_their_number_and_reason(text, reason):
    with pytest.raises(InvalidSchedule) as refused:
        parse_notice(text, year=2027)
    assert reason in refused.value.message


def test_every_bad_line_is_named_at_once():
    with pytest.raises(InvalidSchedule) as refused:
        parse_notice("一、元旦：2月30日放假。\n二、春节：2月6日至14日放假，共3天。", year=2027)
    assert [p.line for p in refused.value.problems] == [1, 2]


def test_file_rows_with_a_header_and_chinese_kinds():
    rows = [
        (1, ["date", "kind", "name"]),
        (2, ["2027-01-01", "rest", "元旦"]),
        (3, ["2027-02-20", "上班", "春节"]),
        (4, ["", "", ""]),
        (5, ["2027-02-08", "放假", ""]),
    ]
    schedule = parse_rows(rows, year=2027)
    assert [d.day for d in schedule.rest_days] == [date(2027, 1, 1), date(2027, 2, 8)]
    assert [d.day for d in schedule.work_days] == [date(2027, 2, 20)]


def test_bad_file_rows_are_named():
    rows = [(1, ["2027-01-01", "holiday", ""]), (2, ["2027/01/02", "rest", ""])]
    with pytest.raises(InvalidSchedule) as refused:
        parse_rows(rows, year=2027)
    assert [str(p) for p in refused.value.problems] == [
        "第 1 行：类型「holiday」应为 rest（放假）或 work（上班）",
        "第 2 行：日期「2027/01/02」应为 YYYY-MM-DD 格式",
    ]
