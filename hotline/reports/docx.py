"""The report as a Word document (the format hotline offices publish), laid out like the
seeds: a centred title, 一、/（一） headings, indented body text, grid tables, the charts
with their captions, page numbers in the footer and the assessment appendix on landscape
pages. Chinese text is set in Noto CJK (Debian's fonts-noto-cjk), which LibreOffice finds
when it prints the PDF; Word substitutes its own CJK font where Noto is absent.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
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

TABLE_STYLE = "Report Table"
WIDE_TABLE_STYLE = "Report Wide Table"
SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"
BODY_PT = 14
TABLE_PT = 9
WIDE_TABLE_PT = 8
CHART_WIDTH = Cm(15)
# A table this short is kept on one page.
KEEP_TOGETHER_ROWS = 20
HEADER_FILL = "E8EDF3"


def _fonts(run, name: str, size: float | None = None, *, bold: bool | None = None) -> None:
    run.font.name = name
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold


def _base_style(document) -> None:
    normal = document.styles["Normal"]
    normal.font.name = SERIF
    normal.font.size = Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), SERIF)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.35
    # Table cells get their own style, so that even an empty cell is one small line.
    for name, size in ((TABLE_STYLE, TABLE_PT), (WIDE_TABLE_STYLE, WIDE_TABLE_PT)):
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.font.size = Pt(size)
        style.paragraph_format.first_line_indent = Pt(0)
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.line_spacing = 1.0


def _page(section, *, landscape: bool = False) -> None:
    short, long = Cm(21.0), Cm(29.7)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    if landscape:
        section.top_margin = section.bottom_margin = Cm(2.0)
        section.left_margin = section.right_margin = Cm(2.0)
    else:
        section.top_margin, section.bottom_margin = Cm(3.0), Cm(2.8)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)


def _page_number_footer(section) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(paragraph.add_run("— "), SERIF, 10)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    _fonts(paragraph.add_run(" —"), SERIF, 10)


def _heading(document, block: Heading) -> None:
    paragraph = document.add_paragraph()
    if block.level == 0:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_before = Pt(6)
        paragraph.paragraph_format.space_after = Pt(12)
        _fonts(paragraph.add_run(block.text), SANS, 20, bold=True)
    elif block.level == 1:
        if block.centred:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        else:
            paragraph.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
        paragraph.paragraph_format.space_before = Pt(8)
        paragraph.paragraph_format.keep_with_next = True
        _fonts(paragraph.add_run(block.text), SANS, 15, bold=True)
    else:
        paragraph.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
        paragraph.paragraph_format.keep_with_next = True
        _fonts(paragraph.add_run(block.text), SERIF, BODY_PT, bold=True)


def _paragraph(document, block: Paragraph) -> None:
    paragraph = document.add_paragraph()
    if block.style == "subtitle":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _fonts(paragraph.add_run(block.text), SERIF, 12)
        return
    paragraph.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
    size = 12 if block.style == "note" else BODY_PT
    if block.lead:
        _fonts(paragraph.add_run(block.lead), SERIF, size, bold=True)
    _fonts(paragraph.add_run(block.text), SERIF, size, bold=block.style == "bold")


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


def _text_width(text: str) -> int:
    """Roughly how wide a text prints: a CJK character takes two Latin widths."""
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def _column_widths(block: Table, available: int) -> list[int]:
    natural = []
    for index, name in enumerate(block.columns):
        texts = [name] + [
            cell_text(row[index]) for row in block.rows if not isinstance(row, GroupRow)
        ]
        natural.append(max(4, *(_text_width(text) for text in texts)) + 2)
    total = sum(natural)
    # As wide as the texts need, but a small table still spans at least 60 % of the line.
    unit = max(min(Cm(0.3), available // total), int(available * 0.6) // total)
    return [n * unit for n in natural]


def _table(document, block: Table) -> None:
    style = WIDE_TABLE_STYLE if len(block.columns) > 8 else TABLE_STYLE
    section = document.sections[-1]
    widths = _column_widths(block, section.page_width - section.left_margin - section.right_margin)
    caption = document.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.keep_with_next = True
    _fonts(caption.add_run(block.name), SANS, 11, bold=True)

    table = document.add_table(rows=1, cols=len(block.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
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
    if block.note:
        note = document.add_paragraph()
        _fonts(note.add_run(block.note), SERIF, 10)
        note.runs[0].font.color.rgb = RGBColor(0x5F, 0x6B, 0x7A)
    else:
        document.add_paragraph().paragraph_format.space_after = Pt(2)


def _chart(document, block: Chart) -> None:
    picture = document.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.keep_with_next = True
    picture.add_run().add_picture(io.BytesIO(block.png), width=CHART_WIDTH)
    caption = document.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(caption.add_run(block.caption), SANS, 11)


def docx_bytes(blocks: list[Block], *, title: str, made_at: datetime | None = None) -> bytes:
    document = Document()
    _base_style(document)
    _page(document.sections[0])
    _page_number_footer(document.sections[0])
    properties = document.core_properties
    properties.title = title
    properties.author = properties.last_modified_by = "12345政务服务便民热线"
    moment = made_at or datetime(2000, 1, 1, tzinfo=UTC)
    properties.created = properties.modified = moment.replace(tzinfo=None)
    properties.revision = 1
    for block in blocks:
        if isinstance(block, Heading):
            _heading(document, block)
        elif isinstance(block, Paragraph):
            _paragraph(document, block)
        elif isinstance(block, Table):
            _table(document, block)
        elif isinstance(block, Chart):
            _chart(document, block)
        elif isinstance(block, PageBreak):
            if block.landscape:
                section = document.add_section(WD_SECTION.NEW_PAGE)
                _page(section, landscape=True)
            else:
                document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
