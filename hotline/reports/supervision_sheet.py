"""The 督办单 (SPEC 4, 2026-12): one supervision as a Word document to print, sign and
send; the PDF is that document printed by LibreOffice, as the reports are."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt, RGBColor

from hotline.domain.deadlines import LOCAL_TZ
from hotline.orders.selectors.supervision import SheetFacts
from hotline.reports.docx import FANGSONG, HEITI, run_font
from hotline.reports.pdf import pdf_from_docx

TITLE = "12345政务服务便民热线督办单"
BODY_PT = 12


def _when(value) -> str:
    return value.astimezone(LOCAL_TZ).strftime("%Y年%m月%d日 %H:%M") if value else "—"


def sheet_rows(facts: SheetFacts) -> list[tuple[str, str]]:
    """The table's (label, value) rows, in the order they print."""
    level = facts.level + ("（逾期未回复升级）" if facts.escalated else "")
    return [
        ("工单编号", facts.number),
        ("被督办单位", facts.unit),
        ("督办级别", level),
        ("督办时间", _when(facts.at)),
        ("回复期限", _when(facts.deadline)),
        ("督办意见", facts.note or "—"),
        ("受理时间", _when(facts.received_at)),
        ("诉求类型", facts.appeal_type),
        ("事项分类", facts.category or "—"),
        ("诉求人", facts.citizen or "（保密）"),
        ("事发地址", facts.address or "—"),
        ("诉求内容", facts.content),
        ("督办回复", f"{facts.answer}（{_when(facts.answered_at)}）" if facts.answer else ""),
    ]


def sheet_docx(facts: SheetFacts) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.left_margin = section.right_margin = Cm(2.6)

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(TITLE)
    run_font(run, HEITI, 20, bold=True)
    run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    mark = document.add_paragraph()
    mark.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    issued = facts.at.astimezone(LOCAL_TZ)
    run_font(mark.add_run(f"督办编号：{facts.number}-{issued:%m%d%H%M}"), FANGSONG, 10)

    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = (Cm(3.2), Cm(12.6))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for label, value in sheet_rows(facts):
        cells = table.add_row().cells
        cells[0].width, cells[1].width = widths
        run_font(cells[0].paragraphs[0].add_run(label), HEITI, BODY_PT, bold=True)
        run_font(cells[1].paragraphs[0].add_run(value), FANGSONG, BODY_PT)
        if label == "督办回复" and not value:
            # Room for the unit's answer written by hand.
            for _ in range(3):
                cells[1].add_paragraph()

    note = document.add_paragraph()
    note.paragraph_format.space_before = Pt(12)
    run_font(
        note.add_run("请被督办单位于回复期限前办理并回复，逾期未回复的将升级督办。"),
        FANGSONG,
        BODY_PT,
    )
    for line in ("督办单位（盖章）：", "承办单位负责人（签字）：", "签收人（签字）：", "日期："):
        signature = document.add_paragraph()
        signature.paragraph_format.space_before = Pt(14)
        run_font(signature.add_run(line + "_" * 24), FANGSONG, BODY_PT)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def sheet_pdf(facts: SheetFacts) -> bytes:
    return pdf_from_docx(sheet_docx(facts))
