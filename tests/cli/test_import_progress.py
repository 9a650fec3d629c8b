"""What ``hotline import orders`` tells the operator while it runs."""

import io

import pytest

from hotline.cli.import_progress import ImportProgress, duration_text
from hotline.orders.services.history_import import ANALYSING, REBUILDING, WRITING, ImportResult


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0 秒"),
        (44.6, "45 秒"),
        (59.6, "1 分 0 秒"),
        (200, "3 分 20 秒"),
        (3599.4, "59 分 59 秒"),
        (3900, "1 小时 5 分"),
        (-3, "0 秒"),
    ],
)
def test_durations_read_as_an_operator_says_them(seconds, text):
    assert duration_text(seconds) == text


def _progress():
    clock, out = Clock(), io.StringIO()
    return ImportProgress(out=out, clock=clock, every=5.0), clock, out


def test_the_rows_are_reported_with_the_share_the_rate_and_the_time_left():
    progress, clock, out = _progress()
    clock.now += 10
    progress(ImportResult(orders=250_000, rows=1_500_000, lines=1_000_000))
    assert out.getvalue() == (
        "已处理 250,000 / 1,000,000 件工单（25.0%），1,500,000 行（150,000 行/秒），"
        "写入预计还需约 30 秒\n"
    )


def test_between_two_lines_at_least_the_interval_passes_but_the_last_chunk_is_always_said():
    progress, clock, out = _progress()
    for orders in range(5_000, 100_001, 5_000):  # a chunk a second
        clock.now += 1
        progress(ImportResult(orders=orders, rows=orders * 6, lines=100_000))
    said = [line.split(" / ")[0] for line in out.getvalue().splitlines()]
    assert said == [
        "已处理 5,000",
        "已处理 30,000",
        "已处理 55,000",
        "已处理 80,000",
        "已处理 100,000",
    ]
    assert out.getvalue().splitlines()[-1].startswith("已处理 100,000 / 100,000 件工单（100.0%）")
    assert "预计" not in out.getvalue().splitlines()[-1]  # nothing left to write


def test_the_stages_after_the_rows_are_announced_when_they_start():
    progress, clock, out = _progress()
    clock.now += 125
    result = ImportResult(orders=100_000, rows=640_000, lines=100_000, stage=REBUILDING)
    progress(result)
    result.stage = ANALYSING
    clock.now += 1  # within the interval: a stage is said all the same
    progress(result)
    assert out.getvalue().splitlines() == [
        "工单已全部写入（100,000 件，640,000 行，用时 2 分 5 秒），正在重建索引与约束……",
        "正在更新数据库的查询统计（ANALYZE）……",
    ]


def test_a_file_whose_lines_are_not_known_still_gets_its_counts():
    progress, clock, out = _progress()
    clock.now += 2
    progress(ImportResult(orders=10, rows=60, stage=WRITING))
    assert out.getvalue() == "已处理 10 件工单，60 行（30 行/秒）\n"
