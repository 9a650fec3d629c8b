"""A month-by-month rate as a small SVG line chart drawn by the server (no script, no
outside asset): each month a point with its figures on hover, gaps where a month had
nothing to divide by."""

from __future__ import annotations

from dataclasses import dataclass

from hotline.statistics.trends import Trend

WIDTH, HEIGHT = 360, 140
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 10, 24


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    title: str


@dataclass(frozen=True)
class TrendChart:
    name: str
    width: int
    height: int
    segments: list[str]  # polyline points, one string per run of months with a rate
    points: list[Point]
    months: list[tuple[float, str]]  # x and label under the axis
    grid: list[tuple[float, str]]  # y and label of 0 %, 50 %, 100 %
    summary: str  # for screen readers


def trend_chart(trend: Trend) -> TrendChart:
    span_x = (WIDTH - LEFT - RIGHT) / max(len(trend.months) - 1, 1)
    span_y = HEIGHT - TOP - BOTTOM

    def y_of(rate: float) -> float:
        return round(TOP + span_y * (1 - rate), 1)

    segments, run, points = [], [], []
    for i, month in enumerate(trend.months):
        x = round(LEFT + i * span_x, 1)
        label = f"{month.month:%Y-%m}"
        if month.rate is None:
            if run:
                segments.append(" ".join(run))
            run = []
            continue
        y = y_of(month.rate)
        run.append(f"{x},{y}")
        points.append(
            Point(
                x,
                y,
                f"{label} {trend.name} {month.rate * 100:.2f}%："
                f"{trend.numerator_name} {month.numerator} / "
                f"{trend.denominator_name} {month.denominator}",
            )
        )
    if run:
        segments.append(" ".join(run))
    shown = [0, len(trend.months) // 2, len(trend.months) - 1]
    months = [
        (round(LEFT + i * span_x, 1), f"{trend.months[i].month:%Y-%m}")
        for i in dict.fromkeys(shown)
    ]
    grid = [(y_of(level), f"{int(level * 100)}%") for level in (0.0, 0.5, 1.0)]
    latest = next((m for m in reversed(trend.months) if m.rate is not None), None)
    summary = f"近 {len(trend.months)} 个月{trend.name}" + (
        f"，最近 {latest.month:%Y-%m} 为 {latest.rate * 100:.2f}%" if latest else "，暂无数据"
    )
    return TrendChart(trend.name, WIDTH, HEIGHT, segments, points, months, grid, summary)
