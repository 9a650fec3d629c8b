"""The report as a 公文 (SPEC 7, 2026-12; GB/T 9704-2012), checked in the Word file's
structure — styles, their fonts, the parts an office looks for — and in the PDF the
server prints of a generated Xiangtan month: seven pages at most."""

import io
import shutil
import subprocess
from datetime import date

import pytest
from django.db import transaction
from docx import Document
from docx.oxml.ns import qn

from hotline.demo import DIRECTORY
from hotline.demo.history.generator import generate
from hotline.directory.services import directory_import
from hotline.domain.letterhead import Letterhead
from hotline.orders.services.history_import import orders_import
from hotline.reports import pdf
from hotline.reports.docx import Styles
from hotline.reports.editorial import Case, CaseKind, Editorial
from hotline.reports.rendering import render, render_all
from hotline.statistics.document import report_document
from tests.reports.test_rendering import office  # noqa: F401 (a fixture)

# The module's fixture loads the month once (pytest-django sets up the test database only
# for a session that has database tests).
pytestmark = pytest.mark.django_db

LETTERHEAD = Letterhead(
    hotline="湘潭市12345政务服务便民热线",
    issuer="湘潭市数据局",
    number_pattern="潭数〔{year}〕{n}号",
    recipients="各县市区人民政府，湘潭高新区、经开区管委会，市直机关各单位，各人民团体",
    copy_to="市委书记、副书记、常委，市人大常委会主任，市政协主席",
).issued(on=date(2024, 12, 9), sequence=12)

EDITORIAL = Editorial(
    care="11月21日，市商务局党委书记、局长参加“领导接听日”活动，现场接听来电。",
    praise="岳塘区12345热线服务中心积极开展互帮互促活动，获得市级“青年文明号”称号。",
    experience="湘潭县强化12345热线队伍建设，坚持“先培训、后上岗”的原则。\n"
    "雨湖区不断优化12345热线的工作流程和资源配置，对群众反映的问题实行快速响应。",
    problems="一是有的单位对群众反映的问题调查核实不够深入；二是有的单位仅充当“二传手”。",
    next_steps="1.强化责任担当，勇于担当作为。\n2.坚持问题导向，提升办理质效。",
    cases=(
        Case(
            "20240001234",
            CaseKind.EXCELLENT,
            complaint="鹤岭镇红星村村民来电反映村部附近水利施工扬尘严重。",
            result="派单至雨湖区，11月5日，雨湖区回复：已安排洒水降尘。",
            callback="诉求人对处理结果满意；问题已解决。",
        ),
    ),
)


@pytest.fixture(scope="module")
def november(django_db_setup, django_db_blocker, tmp_path_factory):
    """A month of the demo city as the generator makes it, shaped like the seed month."""
    folder = tmp_path_factory.mktemp("xiangtan")
    generate(directory=DIRECTORY, start=date(2024, 11, 1), months=1, seed=7, out=folder)
    with django_db_blocker.unblock(), transaction.atomic():
        directory_import(folder=DIRECTORY)
        orders_import(path=folder / "orders.jsonl")
        yield report_document(start=date(2024, 11, 1), end=date(2024, 11, 30))
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def word(november):
    return Document(
        io.BytesIO(render(november, "docx", editorial=EDITORIAL, letterhead=LETTERHEAD))
    )


def _east_asian(style) -> str:
    return style.element.rPr.rFonts.get(qn("w:eastAsia"))


def _by_style(word, name: str) -> list[str]:
    return [p.text for p in word.paragraphs if p.style.name == name]


def test_each_part_has_its_named_style_and_font(word):
    fonts = {
        Styles.MARK: ("方正小标宋简体", None),
        Styles.TITLE: ("方正小标宋简体", 22),  # 二号
        Styles.BODY: ("仿宋_GB2312", 16),  # 三号
        Styles.HEADING_1: ("黑体", 16),
        Styles.HEADING_2: ("楷体_GB2312", 16),
        Styles.ADDRESSEE: ("仿宋_GB2312", 16),
        Styles.SIGNATURE: ("仿宋_GB2312", 16),
        Styles.DATE: ("仿宋_GB2312", 16),
        Styles.COPY_TO: ("仿宋_GB2312", 14),  # 四号
        Styles.PRINTED_BY: ("仿宋_GB2312", 14),
    }
    for name, (font, size) in fonts.items():
        style = word.styles[name]
        assert (style.font.name, _east_asian(style)) == (font, font), name
        if size is not None:
            assert style.font.size.pt == size, name
    assert str(word.styles[Styles.MARK].font.color.rgb) == "FF0000"  # the red letterhead


def test_the_parts_an_office_looks_for(word):
    assert _by_style(word, Styles.MARK) == ["湘潭市数据局"]
    assert _by_style(word, Styles.NUMBER) == ["潭数〔2024〕12号"]
    # Broken between words, never inside one (GB/T 9704 7.3.1).
    assert _by_style(word, Styles.TITLE) == [
        "湘潭市12345政务服务便民热线\n2024年11月份运行情况通报"
    ]
    assert _by_style(word, Styles.ADDRESSEE) == [LETTERHEAD.recipients + "："]
    assert _by_style(word, Styles.ATTACHMENT) == ["附件：2024年11月12345热线综合评价情况"]
    assert _by_style(word, Styles.SIGNATURE) == ["湘潭市数据局"]
    assert _by_style(word, Styles.DATE) == ["2024年12月9日"]
    assert _by_style(word, Styles.COPY_TO) == [
        "抄送：市委书记、副书记、常委，市人大常委会主任，市政协主席。"
    ]
    assert _by_style(word, Styles.PRINTED_BY) == ["湘潭市数据局\t2024年12月9日印发"]
    headings = _by_style(word, Styles.HEADING_1)
    assert headings[:3] == ["一、领导关怀", "二、12345热线平台运行情况", "三、事件办理情况"]
    assert "四、通报表扬" in headings
    assert "（一）诉求类型" in _by_style(word, Styles.HEADING_2)
    # The red rule under the 文号.
    number = next(p for p in word.paragraphs if p.style.name == Styles.NUMBER)
    assert number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")).get(qn("w:color")) == "FF0000"


def test_runs_carry_no_font_so_a_style_restyles_them(word):
    for paragraph in word.paragraphs:
        for run in paragraph.runs:
            assert run.font.name is None, paragraph.text


def test_page_numbers_in_the_footers(word):
    section = word.sections[0]
    assert word.settings.odd_and_even_pages_header_footer
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        paragraph = footer.paragraphs[0]
        assert paragraph.style.name == Styles.PAGE_NUMBER
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert 'w:instr="PAGE"' in paragraph._p.xml
        assert paragraph.alignment.name.lower() == align


def test_grade_changes_and_long_lists_are_tables(word):
    captions = _by_style(word, Styles.CAPTION)
    assert "主要指标" in captions
    assert "区县和市直部门办理情况" in captions
    assert "专项、专席和网上渠道诉求办理情况" in captions


def test_a_generated_month_prints_in_seven_pages_at_most(office, november, tmp_path):  # noqa: F811
    files = render_all(november, editorial=EDITORIAL, letterhead=LETTERHEAD, formats=("pdf",))
    path = tmp_path / "report.pdf"
    path.write_bytes(files["pdf"])
    if not shutil.which("pdfinfo"):
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    pages = int(
        next(line for line in info.stdout.splitlines() if line.startswith("Pages:")).split()[1]
    )
    assert pages <= 7
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    # The 公文 fonts printed with their free substitutes of the same style.
    assert "NotoSerifCJK" in fonts and "NotoSansCJK" in fonts
    assert "Bold" in fonts  # 方正小标宋简体 → the bold serif


def test_the_substitutes_are_given_to_libreoffice():
    conf = pdf.fontconfig_file()
    assert "<string>仿宋_GB2312</string>" in conf
    assert "<string>Noto Serif CJK SC</string>" in conf
    assert "<string>Noto Sans CJK SC</string>" in conf
    assert "/etc/fonts/fonts.conf" in conf
