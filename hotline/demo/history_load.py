"""The demo's recent history: months up to today, generated into the variable folder
for ``hotline demo`` to import, so that the queues hold the orders of the last days in
handling."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from hotline.demo import DIRECTORY
from hotline.demo.history.generator import generate
from hotline.domain.calendar import WorkingCalendar

DEMO_SEED = 12345


@dataclass(frozen=True)
class DemoHistory:
    start: date
    orders: int
    folder: Path  # orders.jsonl and calls.csv


def demo_history_generate(
    *, months: int, today: date, folder: Path, calendar: WorkingCalendar
) -> DemoHistory:
    first = today.year * 12 + today.month - months
    start = date(first // 12, first % 12 + 1, 1)
    counts = generate(
        directory=DIRECTORY,
        start=start,
        months=months,
        seed=DEMO_SEED,
        out=folder,
        calendar=calendar,
        until=today,
    )
    return DemoHistory(start=start, orders=counts["orders"], folder=folder)
