"""本月统计's charts as small SVG drawn by the server (no script, no outside asset), as
the dashboard's trend lines are (``web/trend_chart.py``): horizontal bars, the largest on
top, each with its count and share; and a pie of shares with its legend. The report's
documents keep matplotlib's PNG (``reports/charts.py``); three PNGs drawn on the page's
first load after new data cost it about half a second of CPU.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from hotline.reports.charts import PALETTE

# The width of a chart's card at 1366 pixels (three cards in a row), so that its text is
# drawn at the size the style sheet gives it rather than scaled down to be unreadable.
WIDTH = 420
ROW = 24  # height of one bar's row
NAMES = 120  # the names' column (nine characters), right-aligned against the bars
LABELS = 110  # room after the longest bar for its count and share
PIE_HEIGHT = 240
RADIUS = 100


def _share(item: dict) -> str:
    share = item.get("share")
    return f"{item['count']}件" + (f"（{share * 100:.2f}%）" if share is not None else "")


@dataclass(frozen=True)
class Bar:
    y: float
    width: float
    name: str
    label: str

    @property
    def middle(self) -> float:
        return self.y + 8

    @property
    def label_x(self) -> float:
        return NAMES + self.width + 4


@dataclass(frozen=True)
class BarChart:
    kind = "bars"
    title: str
    width: int
    height: int
    bars: list[Bar]
    summary: str  # for screen readers

    @property
    def names_x(self) -> int:
        return NAMES - 8

    @property
    def bars_x(self) -> int:
        return NAMES


def bar_chart(items: list[dict], *, title: str) -> BarChart:
    longest = max((item["count"] for item in items), default=0)
    span = WIDTH - NAMES - LABELS
    bars = [
        Bar(
            y=i * ROW + 4,
            width=round(span * item["count"] / longest, 1) if longest else 0,
            name=item["name"],
            label=_share(item),
        )
        for i, item in enumerate(items)
    ]
    summary = f"{title}：" + (
        "；".join(f"{item['name']} {_share(item)}" for item in items) or "本期无数据"
    )
    return BarChart(title, WIDTH, max(len(items), 1) * ROW + 8, bars, summary)


@dataclass(frozen=True)
class Wedge:
    path: str  # the SVG path's d
    colour: str
    label: str
    legend_y: float

    @property
    def box_y(self) -> float:
        return self.legend_y - 6


@dataclass(frozen=True)
class PieChart:
    kind = "pie"
    title: str
    width: int
    height: int
    wedges: list[Wedge]
    summary: str

    @property
    def legend_x(self) -> int:
        return 2 * RADIUS + 40

    @property
    def legend_text_x(self) -> int:
        return self.legend_x + 18


def _point(angle: float) -> str:
    """A point of the circle, the angle clockwise from twelve o'clock."""
    x = RADIUS + 10 + RADIUS * math.sin(angle)
    y = PIE_HEIGHT / 2 - RADIUS * math.cos(angle)
    return f"{x:.1f},{y:.1f}"


def _wedge(start: float, end: float) -> str:
    centre = f"{RADIUS + 10},{PIE_HEIGHT / 2:.0f}"
    if end - start >= 2 * math.pi - 1e-9:  # the whole circle: two half arcs
        half = start + math.pi
        return (
            f"M{_point(start)} A{RADIUS},{RADIUS} 0 1 1 {_point(half)} "
            f"A{RADIUS},{RADIUS} 0 1 1 {_point(start)} Z"
        )
    large = 1 if end - start > math.pi else 0
    return f"M{centre} L{_point(start)} A{RADIUS},{RADIUS} 0 {large} 1 {_point(end)} Z"


def pie_chart(items: list[dict], *, title: str) -> PieChart:
    total = sum(item["count"] for item in items)
    wedges, angle = [], 0.0
    spacing = min(22, (PIE_HEIGHT - 20) / max(len(items), 1))
    for i, item in enumerate(items):
        end = angle + (2 * math.pi * item["count"] / total if total else 0)
        wedges.append(
            Wedge(
                path=_wedge(angle, end) if end > angle else "",
                colour=PALETTE[i % len(PALETTE)],
                label=f"{item['name']} {_share(item)}",
                legend_y=round(PIE_HEIGHT / 2 - spacing * (len(items) - 1) / 2 + i * spacing, 1),
            )
        )
        angle = end
    summary = f"{title}：" + ("；".join(w.label for w in wedges) or "本期无数据")
    return PieChart(title, WIDTH, PIE_HEIGHT, wedges, summary)
