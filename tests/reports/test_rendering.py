"""The report in every format from one statistics document (SPEC 7): the same figures in
Word, PDF, HTML and the spreadsheet, the JSON document unchanged, the seeds' layout."""

import html
import io
import json
import os
import re
import shutil
import subprocess

import pytest
from docx import Document
from openpyxl import load_workbook

from hotline.reports import content, pdf
from hotline.reports.editorial import Editorial
from hotline.reports.rendering import FORMATS, UnknownFormat, render, render_all

# The Xiangtan November 2024 headline figures (seed 002) as the documents print them.
HEADLINE = ["30044", "20676", "68.82%", "9368", "81.79%", "99.03%", "90.79%", "98.49%"]


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def html_text(data: bytes) -> str:
    return data.decode("utf-8")


def html_words(data: bytes) -> str:
    """What a reader of the page sees: the text without the markup."""
    return html.unescape(re.sub(r"<[^>]+>", "", html_text(data)))


def test_json_round_trips(document):
    data = render(document, "json")
    assert json.loads(data) == document
    # Stable bytes: the same document is the same file.
    assert render(json.loads(data), "json") == data
    assert "消费维权".encode() in data  # Chinese kept readable, not \u-escaped


def test_unknown_format_is_refused(document):
    with pytest.raises(UnknownFormat, match="不支持的格式"):
        render(document, "odt")


def test_html_carries_the_headline_figures_and_the_seeds_sections(document, editorial):
    page = html_text(render(document, "html", editorial=editorial))
    for figure in HEADLINE:
        assert figure in page, figure
    assert editorial.title in page
    for heading in (
        "一、12345热线平台运行情况",
        "二、事件办理情况",
        "三、经验做法",
        "四、案例摘选",
        "五、存在的问题",
        "六、下一步工作要求",
    ):
        assert heading in page, heading
    assert "咨询12447件，占41.43%" in page
    assert "十大热点事项：消费维权2442件、社会保险2348件" in page
    assert "岳塘区1537件" in page
    assert "以上10家单位工单承办量占转办工单总量的81.79%" in page
    # Cases as Longshan prints them.
    assert "案件公文号20240000805" in page
    assert "来电反映：</strong>鹤岭镇红星村" in page
    assert "处理结果：</strong>派单至雨湖区" in page
    assert "回访：</strong>诉求人对处理结果满意。" in page
    # The chart of 十大热点事项, inline (the lists are words or tables, not repeated).
    assert page.count('src="data:image/png;base64,') == 1


def test_rates_are_percentages_with_two_decimals(document):
    page = html_text(render(document, "html"))
    assert "在线办结率68.82%" in page  # 20676 / 30044 = 0.68819…
    assert "99.98%" in page  # 岳阳县政府 handled 4194 / 4195
    assert "0.6882" not in page


def test_without_editorial_the_sections_have_no_gaps(document):
    page = html_text(render(document, "html"))
    assert "三、" not in page.split("附件")[0]
    assert "经验做法" not in page
    assert "12345政务服务便民热线2024年11月份运行情况通报" in page  # the default title


def test_comparisons_print_year_on_year_and_period_on_period(document):
    page = html_text(render(document, "html"))
    assert (
        "与上年同期（2023年11月）相比，受理量增加3026件，增幅11.20%；转办量减少300件，降幅3.10%。"
        "与上一周期（2024年10月）相比，受理量减少1422件，降幅4.52%；转办量增加188件，增幅2.05%。"
    ) in page


def test_comparisons_given_as_bare_rates_or_against_nothing(document):
    document["compare"] = {
        "year_on_year": {"accepted": 0.112, "dispatched": None},
        "period_on_period": {"accepted": {"current": 30044, "previous": 0}},
    }
    page = html_text(render(document, "html"))
    assert "与上年同期相比，受理量增长11.20%。" in page
    # SPEC 7 (2026-12): the earlier period had nothing — no comparison, not "增加30044件".
    assert "与上一周期无可比数据。" in page
    assert "增加30044件" not in page


def test_assessment_appendix_has_the_yueyang_columns_and_groups(document):
    blocks = content.report_content(document)
    table = next(b for b in blocks if isinstance(b, content.Table) and b.name == "综合评价")
    assert table.columns == (
        "部门名称",
        "应办理数",
        "办理数",
        "办结率",
        "超期办理数",
        "按期办结率",
        "返工数",
        "返工率",
        "抽查不满意数",
        "群众满意率",
        "综合指标值",
        "等级评价",
    )
    groups = [row.text for row in table.rows if isinstance(row, content.GroupRow)]
    assert groups == [
        "综合评价A类单位",
        "综合评价B类单位",
        "综合评价C类及以下单位",
    ]
    # The units without orders are named under the table, not a row each.
    assert table.note == "无工单办理单位3家：市科技局、市农机局、市口岸办。"
    shown = {
        row[0]: [content.cell_text(v) for v in row]
        for row in table.rows
        if not isinstance(row, content.GroupRow)
    }
    assert shown["岳阳县政府"] == [
        "岳阳县政府",
        "4195",
        "4194",
        "99.98%",
        "4",
        "99.88%",
        "4",
        "0.10%",
        "8",
        "96.54%",
        "99.2",
        "A",
    ]
    assert shown["市长江修防处"][-2:] == ["70", "D"]
    assert shown["市审计局"][-2:] == ["40", "E"]


def test_grade_changes_are_reported(document):
    page = html_text(render(document, "html"))
    assert "市规划局（由C类升至B类）" in page
    assert "市审计局（由B类降至E类）" in page
    assert "考核等级在C类及以下的成员单位3家，分别是：市金融办、市长江修防处、市审计局" in page


def test_channels_split_into_special_lines_and_online(document):
    page = html_text(render(document, "html"))
    # Online: everything but the phone and the special lines: 711+87+69+45+28+8 = 948.
    assert "受理网上渠道诉求共计948件" in page
    assert "“政企通专席”共受理诉求71件" in page
    assert "“人大代表专席”共受理诉求4件" in page
    assert "“文明创建”专项诉求143件" in page


def test_docx_carries_the_same_figures_and_tables(document, editorial):
    data = render(document, "docx", editorial=editorial)
    assert data[:2] == b"PK"
    text = docx_text(data)
    for figure in HEADLINE:
        assert figure in text, figure
    word = Document(io.BytesIO(data))
    headers = [tuple(c.text for c in t.rows[0].cells) for t in word.tables]
    assert ("指标", "本期", "上年同期", "同比", "上一周期", "环比") in headers
    assert content.ASSESSMENT_COLUMNS in headers
    assert len(word.inline_shapes) == 1  # the chart of 十大热点事项
    # Portrait A4 throughout, the appendix too (GB/T 9704).
    assert {s.page_width < s.page_height for s in word.sections} == {True}


def test_html_and_docx_carry_the_same_paragraphs(document, editorial):
    """One content for both: every paragraph and heading of the Word file is in the page."""
    page = html_words(render(document, "html", editorial=editorial))
    word = Document(io.BytesIO(render(document, "docx", editorial=editorial)))
    paragraphs = [p.text for p in word.paragraphs if p.text.strip()]
    assert len(paragraphs) > 40
    for text in paragraphs:
        # The title's line breaks (chosen between words) are <br> in the page.
        assert text.replace("\n", "").replace("\t", "") in page.replace("\t", ""), text


def test_xlsx_has_one_sheet_per_table_with_typed_cells(document, editorial):
    workbook = load_workbook(io.BytesIO(render(document, "xlsx", editorial=editorial)))
    assert workbook.sheetnames == ["主要指标", "受理渠道", "综合评价"]
    headline = {row[0]: row[1:] for row in workbook["主要指标"].iter_rows(values_only=True)}
    assert headline["受理量（件）"] == pytest.approx(
        (30044, 27018, 3026 / 27018, 31466, -1422 / 31466)
    )
    sheet = workbook["综合评价"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == content.ASSESSMENT_COLUMNS
    yueyang = next(r for r in rows if r[0] == "岳阳县政府")
    assert yueyang[1:3] == (4195, 4194)
    assert yueyang[10:] == (99.2, "A")
    cell = next(c for c in sheet["D"] if c.value == pytest.approx(4194 / 4195))
    assert cell.number_format == "0.00%"
    assert ("综合评价A类单位",) + (None,) * 11 in rows


def test_a_period_without_orders_still_renders(document):
    empty = {
        "period": {"from": "2025-02-01", "to": "2025-02-28"},
        "calls": {"offered": 0, "answered": 0, "answer_rate": None, "daily_offered": 0.0},
        "intake": {
            "accepted": 0,
            "resolved_at_intake": 0,
            "resolved_at_intake_rate": None,
            "dispatched": 0,
            "rejected": 0,
            "rejected_by_reason": {},
            "harassment": 0,
            "invalid": 0,
        },
        "handling": {
            "concluded": 0,
            "concluded_rate": None,
            "on_time": 0,
            "on_time_rate": None,
            "urgent": 0,
            "urgent_on_time": 0,
            "extended": 0,
            "returned": 0,
        },
        "callbacks": {
            "needed": 0,
            "done": 0,
            "rate": None,
            "reached": 0,
            "satisfied": 0,
            "satisfaction_rate": None,
        },
        "appeal_types": [],
        "top_categories": [],
        "top_units": {"units": [], "top10_share": None},
        "channels": [],
        "tags": [],
        "assessment": [],
        "idle_units": [],
        "compare": {"year_on_year": {}, "period_on_period": {}},
    }
    files = render_all(empty, formats=("html", "xlsx", "docx", "json"))
    page = html_text(files["html"])
    assert "2025年2月" in page
    assert "在线办结率—" in page
    assert "本期无热点事项" in page
    assert json.loads(files["json"]) == empty


def test_rejections_are_listed_by_reason(document):
    document["intake"]["rejected"] = 103
    document["intake"]["rejected_by_reason"] = {"vague": 60, "unreasonable": 43}
    page = html_text(render(document, "html"))
    assert "不予受理103件，其中：诉求要素不全60件；无理诉求43件。" in page


# --- LibreOffice ------------------------------------------------------------------------


@pytest.fixture
def office():
    if pdf.office_program() is None:
        if os.environ.get("HOTLINE_REQUIRE_OFFICE"):
            pytest.fail("LibreOffice (soffice) is required but not installed")
        pytest.skip("LibreOffice (soffice) is not installed")


def pdf_text(data: bytes, word: bytes) -> str:
    """The PDF's text by pdftotext; without poppler, what LibreOffice reads in the Word file."""
    if shutil.which("pdftotext"):
        finished = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
        )
        return finished.stdout.decode("utf-8")
    return pdf.office_convert(word, suffix=".docx", to="txt:Text").decode("utf-8-sig")


def test_the_word_document_opens_in_libreoffice_and_prints_the_figures(office, document, editorial):
    word = render(document, "docx", editorial=editorial)
    # Converting the Word file is what an office does with the download.
    printed = pdf.pdf_from_docx(word)
    assert printed.startswith(b"%PDF")
    text = pdf_text(printed, word)
    squeezed = "".join(text.split())  # pdftotext spaces CJK from digits and breaks lines
    for figure in HEADLINE:
        assert figure in squeezed, figure
    assert "在线办结率68.82%" in squeezed
    assert "一、12345热线平台运行情况" in squeezed
    assert "岳阳县政府" in squeezed
    assert "案件公文号20240000805" in squeezed


def test_every_format_renders(office, document):
    files = render_all(document, editorial=Editorial(title="测试通报"))
    assert set(files) == set(FORMATS)
    assert files["pdf"].startswith(b"%PDF")
    assert files["docx"].startswith(b"PK") and files["xlsx"].startswith(b"PK")
    assert "测试通报" in files["html"].decode()
