"""本月统计's SVG charts: bars scaled to the largest item, a pie whose wedges follow the
shares, and nothing to draw said so."""

from hotline.web.share_charts import LABELS, NAMES, WIDTH, bar_chart, pie_chart

ITEMS = [
    {"name": "市政设施", "count": 30, "share": 0.5},
    {"name": "消费维权", "count": 15, "share": 0.25},
    {"name": "噪声扰民", "count": 15, "share": 0.25},
]


def test_bars_are_scaled_to_the_largest_and_labelled_with_count_and_share():
    chart = bar_chart(ITEMS, title="十大热点事项")
    widths = [bar.width for bar in chart.bars]
    assert widths[0] == WIDTH - NAMES - LABELS and widths[1] == widths[2] == widths[0] / 2
    assert [bar.y for bar in chart.bars] == [4, 28, 52]
    assert chart.bars[1].label == "15件（25.00%）"
    assert "市政设施 30件（50.00%）" in chart.summary


def test_the_pie_wedges_follow_the_shares():
    chart = pie_chart(ITEMS, title="诉求类型占比")
    # Half the circle from twelve o'clock clockwise to six, then two quarters.
    assert chart.wedges[0].path == "M110,120 L110.0,20.0 A100,100 0 0 1 110.0,220.0 Z"
    assert chart.wedges[1].path == "M110,120 L110.0,220.0 A100,100 0 0 1 10.0,120.0 Z"
    assert chart.wedges[2].path.endswith("110.0,20.0 Z")
    whole = pie_chart([{"name": "求助", "count": 4, "share": 1.0}], title="诉求类型占比")
    assert whole.wedges[0].path.count("A100,100 0 1 1") == 2  # a full circle, two arcs


def test_nothing_to_draw_is_said():
    assert bar_chart([], title="十大热点事项").summary == "十大热点事项：本期无数据"
    assert pie_chart([], title="诉求类型占比").wedges == []
