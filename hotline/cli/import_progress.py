"""What ``hotline import orders`` prints while it runs.

A history of ten million orders takes some twenty minutes on two cores, five of them
building indexes and statistics after the rows: the operator sees
how far the import is, how fast it goes and how long the writing still takes, and
which stage it is in after the rows — not a wall of lines (one per 5 000 orders) nor a
silence that looks like a hang.
"""

import sys
import time
from collections.abc import Callable
from typing import TextIO

from hotline.orders.services.history_import import ANALYSING, REBUILDING, ImportResult

# A line about the rows at most this often (the first and the last always).
EVERY_SECONDS = 5.0


def duration_text(seconds: float) -> str:
    """「1 小时 5 分」, 「3 分 20 秒」, 「45 秒」: as precise as an estimate deserves."""
    seconds = max(round(seconds), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} 小时 {minutes} 分"
    if minutes:
        return f"{minutes} 分 {seconds} 秒"
    return f"{seconds} 秒"


class ImportProgress:
    """The ``progress`` of ``orders_import``, writing to ``out`` (standard error: the
    summary on standard output stays one line a script can read)."""

    def __init__(
        self,
        *,
        out: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
        every: float = EVERY_SECONDS,
    ):
        self.out = out
        self.clock = clock
        self.every = every
        self.started = clock()
        self.shown: float | None = None  # when the last line about the rows was written

    def elapsed(self) -> float:
        return self.clock() - self.started

    def __call__(self, result: ImportResult) -> None:
        now = self.clock()
        elapsed = now - self.started
        if result.stage == REBUILDING:
            self._say(
                f"工单已全部写入（{result.orders:,} 件，{result.rows:,} 行，"
                f"用时 {duration_text(elapsed)}），正在重建索引与约束……"
            )
        elif result.stage == ANALYSING:
            self._say("正在更新数据库的查询统计（ANALYZE）……")
        else:
            done = result.orders >= result.lines
            if self.shown is not None and now - self.shown < self.every and not done:
                return
            self.shown = now
            self._say(self._writing(result, elapsed))

    def _writing(self, result: ImportResult, elapsed: float) -> str:
        rate = result.rows / elapsed if elapsed > 0 else 0.0
        text = f"已处理 {result.orders:,}"
        if result.lines:
            share = min(result.orders / result.lines, 1.0)
            text += f" / {result.lines:,} 件工单（{share:.1%}）"
        else:
            text += " 件工单"
        text += f"，{result.rows:,} 行（{rate:,.0f} 行/秒）"
        left = result.lines - result.orders
        if left > 0 and result.orders and elapsed > 0:
            text += f"，写入预计还需约 {duration_text(left * elapsed / result.orders)}"
        return text

    def _say(self, text: str) -> None:
        print(text, file=self.out or sys.stderr, flush=True)
