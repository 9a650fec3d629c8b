"""The report as a Word 公文 (SPEC 7, 2026-12), laid out by GB/T 9704-2012 as offices
issue them: A4 with the 156 × 225 mm type area, the red 发文机关标志 and the red rule under
the 文号, the title in 方正小标宋简体 二号, the body in 仿宋_GB2312 三号 on a 28 pt line,
一级标题 in 黑体 and 二级 in 楷体_GB2312, 落款 and 成文日期 to the right, the 版记 (抄送,
印发) between its rules, page numbers "— n —" right on odd pages and left on even ones,
the assessment appendix on landscape pages.

Every part has a paragraph style of its own, named in Chinese (公文正文, 一级标题, 发文机关
标志…), which carries its font: an office restyles the document by changing a style, and
the runs carry no font of their own. The fonts are the ones offices have; the server's
PDF prints them with free substitutes (``pdf.py``).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from hotline.reports.content import (
    Block,
    Chart,
    GroupRow,
    Heading,
    PageBreak,
    Paragraph,
    Table,
    cell_text,
)

# GB/T 9704-2012's fonts, by the names Chinese offices' machines know them.
XIAOBIAOSONG = "方正小标宋简体"
FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
RED = RGBColor(0xFF, 0x00, 0x00)

SANHAO = 16  # 三号, the body
ERHAO = 22  # 二号, the title
SIHAO = 14  # 四号, the 版记 and the page numbers
LINE = 28  # 固定值28磅: 22 lines on the type area
CHAR = SANHAO  # one character of the body, for indents
TABLE_PT = 10.5  # 五号
WIDE_TABLE_PT = 8  # the lines' and the appendix's many columns
CHART_WIDTH = Cm(12)
WIDE_COLUMNS = 6  # more columns than this are set small
MARK_PT = 36  # 小初, shrunk for a long office name to fit one line
TYPE_WIDTH_PT = 442  # 156 mm
# A table this short is kept on one page.
KEEP_TOGETHER_ROWS = 8
HEADER_FILL = "E8EDF3"


class Styles:
    """The document's paragraph styles, by the names an office sees in Word."""

    BODY = "公文正文"
    MARK = "发文机关标志"
    NUMBER = "发文字号"
    TITLE = "公文标题"
    ADDRESSEE = "主送机关"
    HEADING_1 = "一级标题"
    HEADING_2 = "二级标题"
    ATTACHMENT = "附件说明"
    SIGNATURE = "发文机关署名"
    DATE = "成文日期"
    APPENDIX = "附件标识"
    APPENDIX_TITLE = "附件标题"
    COPY_TO = "抄送机关"
    PRINTED_BY = "印发机关和印发日期"
    TABLE = "表格文字"
    WIDE_TABLE = "附表文字"
    CAPTION = "表题"
    FIGURE = "图题"
    NOTE = "注释"
    PAGE_NUMBER = "页码"


def _set_font(style_or_run_font, element, name: str) -> None:
    style_or_run_font.name = name
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for key in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(key), name)


def run_font(run, name: str, size: float | None = None, *, bold: bool | None = None) -> None:
    """A run's own font, for documents without named styles (the 督办单)."""
    _set_font(run.font, run._element, name)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold


def _style(document, name: str, font: str, size: float, **options):
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.quick_style = True
    _set_font(style.font, style.element, font)
    style.font.size = Pt(size)
    style.font.bold = options.get("bold", False)
    if options.get("red"):
        style.font.color.rgb = RED
    form = style.paragraph_format
    form.alignment = options.get("align", WD_ALIGN_PARAGRAPH.JUSTIFY)
    form.first_line_indent = Pt(options.get("indent", 0))
    form.left_indent = Pt(options.get("left", 0))
    form.right_indent = Pt(options.get("right", 0))
    form.space_before = Pt(options.get("before", 0))
    form.space_after = Pt(options.get("after", 0))
    form.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    form.line_spacing = Pt(options.get("line", LINE))
    form.widow_control = True
    if options.get("keep"):
        form.keep_with_next = True
    return style


def _styles(document) -> None:
    normal = document.styles["Normal"]
    _set_font(normal.font, normal.element, FANGSONG)
    normal.font.size = Pt(SANHAO)
    centre, right, left = (
        WD_ALIGN_PARAGRAPH.CENTER,
        WD_ALIGN_PARAGRAPH.RIGHT,
        WD_ALIGN_PARAGRAPH.LEFT,
    )
    _style(document, Styles.BODY, FANGSONG, SANHAO, indent=2 * CHAR)
    _style(document, Styles.MARK, XIAOBIAOSONG, MARK_PT, red=True, align=centre, line=MARK_PT * 1.3)
    _style(document, Styles.NUMBER, FANGSONG, SANHAO, align=centre, before=2 * LINE, after=LINE)
    _style(document, Styles.TITLE, XIAOBIAOSONG, ERHAO, align=centre, line=35, after=LINE)
    _style(document, Styles.ADDRESSEE, FANGSONG, SANHAO)
    _style(document, Styles.HEADING_1, HEITI, SANHAO, indent=2 * CHAR, keep=True)
    _style(document, Styles.HEADING_2, KAITI, SANHAO, indent=2 * CHAR, keep=True)
    # 附件名称回行时与上一行附件名称的首字对齐 (GB/T 9704 7.3.4).
    _style(
        document,
        Styles.ATTACHMENT,
        FANGSONG,
        SANHAO,
        left=5 * CHAR,
        indent=-3 * CHAR,
        before=LINE,
        keep=True,
    )
    _style(document, Styles.SIGNATURE, FANGSONG, SANHAO, align=right, before=LINE, keep=True)
    _style(document, Styles.DATE, FANGSONG, SANHAO, align=right)
    _style(document, Styles.APPENDIX, HEITI, SANHAO, align=left)
    _style(document, Styles.APPENDIX_TITLE, XIAOBIAOSONG, 18, align=centre, line=28, after=6)
    # 版记: 左右各空一字，抄送回行时与冒号后的首字对齐 (GB/T 9704 7.4.2).
    _style(
        document,
        Styles.COPY_TO,
        FANGSONG,
        SIHAO,
        align=left,
        left=4 * SIHAO,
        indent=-3 * SIHAO,
        right=SIHAO,
        before=6,
        after=2,
        line=21,
    )
    _style(
        document,
        Styles.PRINTED_BY,
        FANGSONG,
        SIHAO,
        align=left,
        left=SIHAO,
        before=2,
        after=2,
        line=21,
    )
    _style(document, Styles.TABLE, FANGSONG, TABLE_PT, align=left, line=TABLE_PT * 1.25)
    _style(
        document, Styles.WIDE_TABLE, FANGSONG, WIDE_TABLE_PT, align=left, line=WIDE_TABLE_PT * 1.1
    )
    _style(document, Styles.CAPTION, HEITI, 12, align=centre, line=20, before=4)
    _style(document, Styles.FIGURE, FANGSONG, 12, align=centre, line=20, after=6)
    _style(document, Styles.NOTE, FANGSONG, 10.5, indent=0, line=14, after=2)
    _style(document, Styles.PAGE_NUMBER, SONGTI, SIHAO, line=20)


def _page(section, *, landscape: bool = False) -> None:
    """GB/T 9704 5.2.1: A4, 天头 37 mm, 订口 28 mm, type area 156 × 225 mm."""
    short, long = Cm(21.0), Cm(29.7)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    if landscape:
        section.top_margin = section.bottom_margin = Cm(2.0)
        section.left_margin = section.right_margin = Cm(2.0)
    else:
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    section.footer_distance = Cm(2.5) if not landscape else Cm(1.0)


def _page_number(paragraph, *, odd: bool) -> None:
    """— 1 —: 四号宋体, 单页码居右空一字, 双页码居左空一字 (GB/T 9704 7.5)."""
    paragraph.style = Styles.PAGE_NUMBER
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    if odd:
        paragraph.paragraph_format.right_indent = Pt(SIHAO)
    else:
        paragraph.paragraph_format.left_indent = Pt(SIHAO)
    paragraph.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(" —")


def _footers(section) -> None:
    _page_number(section.footer.paragraphs[0], odd=True)
    _page_number(section.even_page_footer.paragraphs[0], odd=False)


# What follows w:pBdr in a paragraph's properties (ECMA-376 CT_PPrBase's sequence).
_AFTER_BORDERS = tuple(
    f"w:{name}"
    for name in (
        "shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct "
        "autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
        "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
        "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
    ).split()
)


def _border(paragraph, edge: str, *, size: int, color: str = "000000", space: int = 1) -> None:
    """A rule above or below the paragraph; ``size`` in eighths of a point."""
    properties = paragraph._p.get_or_add_pPr()
    borders = properties.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        properties.insert_element_before(borders, *_AFTER_BORDERS)
    line = OxmlElement(f"w:{edge}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size))
    line.set(qn("w:space"), str(space))
    line.set(qn("w:color"), color)
    borders.append(line)


def _width(text: str) -> float:
    """Characters of the body a text takes (a digit or a Latin letter half of one)."""
    return sum(0.5 if ord(c) < 0x2E80 else 1 for c in text)


def _heading(document, block: Heading) -> None:
    if block.level == 0:
        paragraph = document.add_paragraph(style=Styles.TITLE)
        for n, line in enumerate(block.text.split("\n")):
            if n:
                paragraph.add_run().add_break()
            paragraph.add_run(line)
        return
    if block.centred:  # the appendix's title
        document.add_paragraph(block.text, style=Styles.APPENDIX_TITLE)
        return
    style = Styles.HEADING_1 if block.level == 1 else Styles.HEADING_2
    document.add_paragraph(block.text, style=style)


class _Parts:
    """How each of the 公文's own parts is laid out: its style and what the style cannot
    say alone (the 落款 centred over the 成文日期, the 版记's rules)."""

    def __init__(self, document):
        self.document = document
        self.date_text = ""
        self.copied = False

    def add(self, block: Paragraph) -> None:
        document, style = self.document, block.style
        if style == "mark":
            paragraph = document.add_paragraph(block.text, style=Styles.MARK)
            # One line whatever the name's length (GB/T 9704 7.2.1).
            size = min(MARK_PT, int(TYPE_WIDTH_PT / max(_width(block.text), 1)))
            if size < MARK_PT:
                paragraph.runs[0].font.size = Pt(size)
        elif style == "number":
            paragraph = document.add_paragraph(block.text, style=Styles.NUMBER)
            _border(paragraph, "bottom", size=12, color="FF0000", space=12)
        elif style == "addressee":
            document.add_paragraph(block.text, style=Styles.ADDRESSEE)
        elif style == "attachment":
            # Kept with the 落款, which so never stands alone on a page (GB/T 9704 7.3.5).
            document.add_paragraph(block.text, style=Styles.ATTACHMENT)
        elif style == "signature":
            self.signature = document.add_paragraph(block.text, style=Styles.SIGNATURE)
        elif style == "date":
            # A document without a seal (GB/T 9704 7.3.5.2): the 署名 two characters in
            # from the right, the 成文日期 under it, its first character two to the
            # right of the 署名's — or, longer than the 署名, two in from the right.
            paragraph = document.add_paragraph(block.text, style=Styles.DATE)
            signed, dated = _width(self.signature.text), _width(block.text)
            date_indent = max(signed - dated, 2)
            paragraph.paragraph_format.right_indent = Pt(date_indent * CHAR)
            self.signature.paragraph_format.right_indent = Pt(
                (date_indent + dated + 2 - signed) * CHAR
            )
        elif style == "appendix":
            document.add_paragraph(block.text, style=Styles.APPENDIX)
        elif style == "copy_to":
            paragraph = document.add_paragraph(block.text, style=Styles.COPY_TO)
            _border(paragraph, "top", size=8)
            self.copied = True
        elif style == "printed_by":
            paragraph = document.add_paragraph(style=Styles.PRINTED_BY)
            issuer, _, date = block.text.partition("\t")
            paragraph.add_run(issuer)
            paragraph.add_run("\t" + date)
            section = document.sections[-1]
            width = section.page_width - section.left_margin - section.right_margin
            paragraph.paragraph_format.tab_stops.add_tab_stop(
                width - Pt(2 * SIHAO), WD_TAB_ALIGNMENT.RIGHT
            )
            # 版记: the first and last rules thick (0.35 mm), the one between thin.
            _border(paragraph, "top", size=4 if self.copied else 8)
            _border(paragraph, "bottom", size=8)
            if not self.copied:
                paragraph.paragraph_format.space_before = Pt(12)
        else:
            self.body(block)

    def body(self, block: Paragraph) -> None:
        if block.style == "note":
            paragraph = self.document.add_paragraph(style=Styles.NOTE)
        else:
            paragraph = self.document.add_paragraph(style=Styles.BODY)
        for lead, text in ((block.lead, block.text), *block.more):
            if lead:
                paragraph.add_run(lead).bold = True
            run = paragraph.add_run(text)
            if block.style == "bold":
                run.bold = True


def _shade(cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _repeat_as_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _cell(cell, text: str, style: str, *, bold=False, align=WD_ALIGN_PARAGRAPH.LEFT) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.style = style
    paragraph.alignment = align
    if text:
        run = paragraph.add_run(text)
        run.font.bold = bold


def _text_width(text: str) -> float:
    """Roughly how wide a text prints: a CJK character takes two digits' widths."""
    return sum(2 if ord(c) > 0x2E80 else 1.25 for c in text)


def _column_widths(block: Table, available: int) -> list[int]:
    """The whole line shared by what the cells need; a header wraps rather than widen
    its column (抽查不满意数 over a column of 14)."""
    natural = []
    for index, name in enumerate(block.columns):
        texts = [cell_text(row[index]) for row in block.rows if not isinstance(row, GroupRow)]
        need = max([_text_width(text) for text in texts] or [0])
        natural.append(min(max(need, min(_text_width(name), 4), 4), 20) + 1.5)
    total = sum(natural)
    return [int(available * n / total) for n in natural]


def _narrow_margins(table) -> None:
    """Cells 1 mm in from their borders (Word's default 1.9 mm wraps 100.00% in the
    appendix's columns)."""
    properties = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        margin = OxmlElement(f"w:{edge}")
        margin.set(qn("w:w"), "57")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    properties.insert_element_before(
        margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange"
    )


def _table(document, block: Table) -> None:
    style = Styles.WIDE_TABLE if len(block.columns) > WIDE_COLUMNS else Styles.TABLE
    section = document.sections[-1]
    widths = _column_widths(block, section.page_width - section.left_margin - section.right_margin)
    if document.paragraphs[-1].style.name != Styles.APPENDIX_TITLE:  # it names the table
        document.add_paragraph(block.name, style=Styles.CAPTION)

    table = document.add_table(rows=1, cols=len(block.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _narrow_margins(table)
    header = table.rows[0]
    _repeat_as_header(header)
    for cell, name in zip(header.cells, block.columns, strict=True):
        _cell(cell, name, style, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _shade(cell, HEADER_FILL)
    for row in block.rows:
        cells = table.add_row().cells
        if isinstance(row, GroupRow):
            merged = cells[0].merge(cells[-1])
            _cell(merged, row.text, style, bold=True)
            _shade(merged, "F4F6F8")
            continue
        for column, (cell, value) in enumerate(zip(cells, row, strict=True)):
            numeric = column > 0 and not isinstance(value, str)
            align = WD_ALIGN_PARAGRAPH.RIGHT if numeric else WD_ALIGN_PARAGRAPH.LEFT
            _cell(cell, cell_text(value), style, align=align)
    if len(block.rows) <= KEEP_TOGETHER_ROWS:
        for row in table.rows[:-1]:
            for cell in row.cells:
                cell.paragraphs[0].paragraph_format.keep_with_next = True
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width
    note = document.add_paragraph(block.note, style=Styles.NOTE)
    if not block.note:
        note.paragraph_format.line_spacing = Pt(8)


def _chart(document, block: Chart) -> None:
    picture = document.add_paragraph(style=Styles.FIGURE)
    picture.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    picture.paragraph_format.keep_with_next = True
    picture.add_run().add_picture(io.BytesIO(block.png), width=CHART_WIDTH)
    document.add_paragraph(block.caption, style=Styles.FIGURE)


def docx_bytes(blocks: list[Block], *, title: str, made_at: datetime | None = None) -> bytes:
    document = Document()
    _styles(document)
    document.settings.odd_and_even_pages_header_footer = True
    _page(document.sections[0])
    _footers(document.sections[0])
    properties = document.core_properties
    properties.title = title
    properties.author = properties.last_modified_by = "12345政务服务便民热线"
    moment = made_at or datetime(2000, 1, 1, tzinfo=UTC)
    properties.created = properties.modified = moment.replace(tzinfo=None)
    properties.revision = 1
    parts = _Parts(document)
    starts_page: int | None = None
    for block in blocks:
        if isinstance(block, Heading):
            _heading(document, block)
        elif isinstance(block, Paragraph):
            parts.add(block)
        elif isinstance(block, Table):
            _table(document, block)
        elif isinstance(block, Chart):
            _chart(document, block)
        elif isinstance(block, PageBreak):
            if block.landscape:
                section = document.add_section(WD_SECTION.NEW_PAGE)
                _page(section, landscape=True)
            else:
                # The next paragraph starts the page (a paragraph holding a break would
                # leave an empty page when the page before is full).
                starts_page = len(document.paragraphs)
                continue
        if starts_page is not None and len(document.paragraphs) > starts_page:
            document.paragraphs[starts_page].paragraph_format.page_break_before = True
            starts_page = None
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
