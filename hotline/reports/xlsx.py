"""The report's tables as a spreadsheet, one sheet per table, with typed cells: counts as
numbers, rates as fractions shown as percentages with two decimals, so that they can be
summed and charted again."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from hotline.reports.content import Block, Change, GroupRow, Rate, Score, Table

PERCENT = "0.00%"
SIGNED_PERCENT = "+0.00%;-0.00%;0.00%"
SCORE = "0.0"
HEADER_FILL = PatternFill("solid", fgColor="E8EDF3")
GROUP_FILL = PatternFill("solid", fgColor="F4F6F8")
FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})


def _sheet_name(name: str, taken: set[str]) -> str:
    base = name.translate(FORBIDDEN)[:31] or "表"
    candidate, n = base, 2
    while candidate in taken:
        suffix = f"({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate)
    return candidate


def _write(cell, value) -> None:
    if isinstance(value, Rate):
        cell.value, cell.number_format = float(value), PERCENT
    elif isinstance(value, Change):
        cell.value, cell.number_format = float(value), SIGNED_PERCENT
    elif isinstance(value, Score):
        cell.value, cell.number_format = float(value), SCORE
    elif isinstance(value, str) and value:
        # Names and texts come from citizens and units: a leading "=" stays text, never
        # a formula the spreadsheet would run.
        cell.value = value
        cell.data_type = "s"
    else:
        cell.value = value if value != "" else None


def xlsx_bytes(blocks: list[Block], *, title: str, made_at: datetime | None = None) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = title
    workbook.properties.creator = "12345政务服务便民热线"
    if made_at is not None:
        workbook.properties.created = workbook.properties.modified = made_at.replace(tzinfo=None)
    taken: set[str] = set()
    for table in (b for b in blocks if isinstance(b, Table)):
        sheet = workbook.create_sheet(_sheet_name(table.name, taken))
        sheet.append(list(table.columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(horizontal="center", wrap_text=True)
        for row in table.rows:
            sheet.append([None] * len(table.columns))
            cells = sheet[sheet.max_row]
            if isinstance(row, GroupRow):
                cells[0].value = row.text
                for cell in cells:
                    cell.font = Font(bold=True)
                    cell.fill = GROUP_FILL
                continue
            for cell, value in zip(cells, row, strict=True):
                _write(cell, value)
        if table.note:
            sheet.append([])
            sheet.append([table.note])
        sheet.freeze_panes = "A2"
        for index, name in enumerate(table.columns, 1):
            widest = max(
                [len(str(name))]
                + [len(str(r[index - 1])) if not isinstance(r, GroupRow) else 0 for r in table.rows]
            )
            sheet.column_dimensions[get_column_letter(index)].width = min(max(10, widest * 2), 40)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
