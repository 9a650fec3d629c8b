"""``render(document, fmt, editorial=…)``: the statistics document of SPEC 7 as a file.

``json`` is the document itself (the machine-readable report, byte-stable); ``docx``,
``html`` and ``xlsx`` lay out one shared list of blocks (``content.report_content``), and
``pdf`` prints the Word document, so every format carries the same figures.
"""

from __future__ import annotations

import json

from hotline.domain.letterhead import Letterhead
from hotline.reports import text
from hotline.reports.editorial import Editorial

FORMATS = ("docx", "pdf", "html", "xlsx", "json")

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


class UnknownFormat(ValueError):
    pass


def report_title(
    document: dict, editorial: Editorial | None = None, letterhead: Letterhead | None = None
) -> str:
    from hotline.reports.content import period_of

    if editorial is not None and editorial.title.strip():
        return editorial.title.strip()
    hotline = (letterhead or Letterhead()).hotline
    return text.default_title(*period_of(document), hotline=hotline)


def render(
    document: dict,
    fmt: str,
    *,
    editorial: Editorial | None = None,
    letterhead: Letterhead | None = None,
) -> bytes:
    """``letterhead``: the office's (issued, for a published report); the defaults when
    None."""
    if fmt not in FORMATS:
        raise UnknownFormat(f"不支持的格式「{fmt}」，可选：{'、'.join(FORMATS)}")
    if fmt == "json":
        return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"

    from hotline.reports.content import report_content

    blocks = report_content(document, editorial, letterhead)
    title = report_title(document, editorial, letterhead)
    if fmt == "html":
        from hotline.reports.html import html_bytes

        return html_bytes(blocks, title=title)
    if fmt == "xlsx":
        from hotline.reports.xlsx import xlsx_bytes

        return xlsx_bytes(blocks, title=title)
    from hotline.reports.docx import docx_bytes

    word = docx_bytes(blocks, title=title)
    if fmt == "docx":
        return word
    from hotline.reports.pdf import pdf_from_docx

    return pdf_from_docx(word)


def render_all(
    document: dict,
    *,
    editorial: Editorial | None = None,
    letterhead: Letterhead | None = None,
    formats=FORMATS,
    progress=None,
) -> dict[str, bytes]:
    """Every format at once, laying the blocks out once (publishing stores them all)."""
    from hotline.reports.content import report_content
    from hotline.reports.docx import docx_bytes
    from hotline.reports.html import html_bytes
    from hotline.reports.pdf import pdf_from_docx
    from hotline.reports.xlsx import xlsx_bytes

    def step(fmt: str) -> None:
        if progress is not None:
            progress(STEP_NAMES[fmt])

    blocks = report_content(document, editorial, letterhead)
    title = report_title(document, editorial, letterhead)
    files: dict[str, bytes] = {}
    if "json" in formats:
        step("json")
        files["json"] = render(document, "json")
    if "html" in formats:
        step("html")
        files["html"] = html_bytes(blocks, title=title)
    if "xlsx" in formats:
        step("xlsx")
        files["xlsx"] = xlsx_bytes(blocks, title=title)
    if "docx" in formats or "pdf" in formats:
        step("docx")
        word = docx_bytes(blocks, title=title)
        if "docx" in formats:
            files["docx"] = word
        if "pdf" in formats:
            step("pdf")
            files["pdf"] = pdf_from_docx(word)
    return files


# What publishing shows while each format is made.
STEP_NAMES = {
    "json": "生成 JSON 数据",
    "html": "生成网页",
    "xlsx": "生成 Excel 表格",
    "docx": "生成 Word 公文",
    "pdf": "打印 PDF（LibreOffice）",
}
