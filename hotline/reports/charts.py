"""The report's charts as PNG images, drawn with matplotlib's Agg canvas (no display, no
global pyplot state) in a CJK font: every label is Chinese, and a Latin-only font would
print empty boxes. The font is Debian's Noto Sans CJK (package fonts-noto-cjk); without
it drawing refuses with a clear error rather than print boxes.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

CJK_FAMILY = "Noto Sans CJK SC"
# Where Debian's fonts-noto-cjk puts the font, should matplotlib's font list predate it.
DEBIAN_CJK_FILE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")

BAR = "#1d5fa7"
PALETTE = ("#1d5fa7", "#b3261e", "#2e7d32", "#b7791f", "#6a1b9a", "#00838f", "#5f6b7a", "#ad1457")
DPI = 150


class ChartFontMissing(RuntimeError):
    """No CJK font: charts would print boxes instead of Chinese."""


@cache
def cjk_font() -> font_manager.FontProperties:
    """The font every chart writes with; its family is a CJK one or this raises."""
    wanted = font_manager.FontProperties(family=CJK_FAMILY)
    try:
        font_manager.findfont(wanted, fallback_to_default=False)
    except ValueError:
        if not DEBIAN_CJK_FILE.exists():
            raise ChartFontMissing(
                f"未找到中文字体「{CJK_FAMILY}」，无法绘制统计图："
                "请安装 Debian 软件包 fonts-noto-cjk"
            ) from None
        font_manager.fontManager.addfont(str(DEBIAN_CJK_FILE))
        font_manager.findfont(wanted, fallback_to_default=False)
    return wanted


def cjk_font_entry() -> font_manager.FontEntry:
    """The font file and face the charts use (to show which one was found)."""
    family = cjk_font().get_family()[0]
    for entry in font_manager.fontManager.ttflist:
        if entry.name == family and entry.weight in (400, "normal", "regular"):
            return entry
    raise ChartFontMissing(f"未找到中文字体「{family}」")


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    FigureCanvasAgg(figure)
    # A fixed creation date keeps the same figures the same bytes.
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _empty(figure: Figure, text: str) -> bytes:
    axes = figure.add_subplot()
    axes.axis("off")
    axes.text(0.5, 0.5, text, ha="center", va="center", fontproperties=cjk_font(), fontsize=12)
    return _png(figure)


def bars(items: list[dict], *, title: str, unit: str = "件") -> bytes:
    """Horizontal bars, the largest on top, each labelled with its count and share."""
    font = cjk_font()
    figure = Figure(figsize=(7.2, 0.34 * max(len(items), 3) + 0.9), layout="constrained")
    if not items:
        return _empty(figure, f"{title}：本期无数据")
    names = [item["name"] for item in reversed(items)]
    counts = [item["count"] for item in reversed(items)]
    axes = figure.add_subplot()
    drawn = axes.barh(range(len(items)), counts, color=BAR, height=0.6)
    axes.set_yticks(range(len(items)), names, fontproperties=font, fontsize=10)
    axes.set_title(title, fontproperties=font, fontsize=13)
    axes.set_xlabel(unit, fontproperties=font, fontsize=10)
    labels = []
    for item in reversed(items):
        share = item.get("share")
        labels.append(f"{item['count']}" + (f"（{share * 100:.2f}%）" if share is not None else ""))
    axes.bar_label(drawn, labels, padding=3, fontproperties=font, fontsize=9)
    axes.margins(x=0.28)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return _png(figure)


def pie(items: list[dict], *, title: str) -> bytes:
    font = cjk_font()
    figure = Figure(figsize=(7.2, 4.2), layout="constrained")
    if not items:
        return _empty(figure, f"{title}：本期无数据")
    axes = figure.add_subplot()
    wedges, _ = axes.pie(
        [item["count"] for item in items],
        colors=[PALETTE[i % len(PALETTE)] for i in range(len(items))],
        startangle=90,
        counterclock=False,
        wedgeprops={"linewidth": 1, "edgecolor": "white"},
    )
    axes.legend(
        wedges,
        [_legend(item) for item in items],
        prop=font,
        loc="center left",
        bbox_to_anchor=(1.0, 0.5),
        frameon=False,
    )
    axes.set_title(title, fontproperties=font, fontsize=13)
    axes.axis("equal")
    return _png(figure)


def _legend(item: dict) -> str:
    share = item.get("share")
    return f"{item['name']} {item['count']}件" + (
        f"（{share * 100:.2f}%）" if share is not None else ""
    )


def top_categories(document: dict) -> bytes:
    return bars(document["top_categories"], title="十大热点事项")


def appeal_types(document: dict) -> bytes:
    return pie(document["appeal_types"], title="诉求类型占比")


def top_units(document: dict) -> bytes:
    return bars(document["top_units"]["units"], title="转办工单承办量前十单位")
