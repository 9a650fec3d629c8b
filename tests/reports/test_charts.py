"""Charts draw Chinese in a CJK font (SPEC 7), never empty boxes."""

import warnings

import pytest

from hotline.reports import charts

PNG = b"\x89PNG\r\n\x1a\n"


def test_the_font_found_is_a_cjk_one():
    entry = charts.cjk_font_entry()
    assert "CJK" in entry.name
    assert entry.name == charts.CJK_FAMILY
    assert entry.fname.endswith((".ttc", ".otf", ".ttf"))


@pytest.mark.parametrize("draw", [charts.top_categories, charts.appeal_types, charts.top_units])
def test_charts_render_chinese_without_missing_glyphs(document, draw):
    with warnings.catch_warnings():
        # matplotlib warns "Glyph … missing from font(s)" when a font lacks a character.
        warnings.simplefilter("error")
        png = draw(document)
    assert png.startswith(PNG)
    assert len(png) > 10_000


def test_an_empty_period_still_draws(document):
    document["top_categories"] = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert charts.top_categories(document).startswith(PNG)


def test_the_same_figures_draw_the_same_bytes(document):
    assert charts.top_units(document) == charts.top_units(document)


def test_a_missing_cjk_font_is_a_clear_error(monkeypatch, tmp_path):
    charts.cjk_font.cache_clear()
    monkeypatch.setattr(charts, "CJK_FAMILY", "No Such CJK Family")
    monkeypatch.setattr(charts, "DEBIAN_CJK_FILE", tmp_path / "absent.ttc")
    try:
        with pytest.raises(charts.ChartFontMissing, match="fonts-noto-cjk"):
            charts.cjk_font()
    finally:
        charts.cjk_font.cache_clear()
