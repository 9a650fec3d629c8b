"""签收及时率 in the documents (SPEC 5 and 7, 2026-12): where the handling figures are
written, as a percentage with two decimals; a report made before the figure existed
renders as it did."""

import copy

from hotline.reports.rendering import render
from tests.reports.test_rendering import docx_text, html_words


def test_the_sign_for_rate_is_written_with_the_handling_figures(document):
    signed = copy.deepcopy(document)
    signed["handling"]["sign_on_time_rate"] = 0.9876
    words = html_words(render(signed, "html"))
    assert "签收及时率98.76%" in words
    text = docx_text(render(signed, "docx"))
    assert "签收及时率98.76%" in text
    assert text.count("签收及时率98.76%") == 2  # the headline figures and the handling


def test_a_report_without_it_renders_as_before(document):
    assert "签收及时率" not in html_words(render(document, "html"))
