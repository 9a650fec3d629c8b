"""Every list page exports what it shows to an Excel workbook: the same rows, filters
and order as the page, every page of them, up to ``HOTLINE_EXPORT_MAX_ROWS``.

A list view asks ``wants_export(request)`` and answers with ``xlsx_response`` given the
queryset it pages and the columns it shows. The rows are read in chunks from the
database and written by openpyxl's write-only workbook, which keeps one row in memory
at a time; the finished file is then streamed from a temporary file, with its length,
so the browser shows the download's progress (and ``app.js`` shows that the workbook is
being made while the server writes it).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.masking import shown_identity, shown_name, shown_phone
from hotline.web.templatetags.hotline_web import label as vocabulary_label

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 1000
SHEET_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", "-"))


@dataclass(frozen=True)
class Column:
    title: str
    value: Callable[[Any], Any]
    width: int = 14


def wants_export(request) -> bool:
    return request.GET.get("export") == "xlsx"


def label(vocabulary: str, value: str) -> str:
    """The Chinese name of a vocabulary value, as the pages show it."""
    return vocabulary_label(value, vocabulary)


def local(moment: datetime | None) -> datetime | None:
    """Excel has no time zones: the hotline's local wall-clock time, as on the pages."""
    return moment.astimezone(LOCAL_TZ).replace(tzinfo=None) if moment else None


def _cell(sheet, value):
    if isinstance(value, datetime) and value.tzinfo is not None:
        return local(value)
    if isinstance(value, str) and value.startswith("="):
        # Contents and names come from citizens and units: a leading "=" stays text,
        # never a formula the spreadsheet would run.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def _rows(rows: Iterable) -> Iterable:
    if isinstance(rows, QuerySet):
        return rows.iterator(chunk_size=CHUNK)
    return rows


def xlsx_response(
    rows: Iterable, *, columns: list[Column], title: str, filters: str = ""
) -> FileResponse:
    """``rows`` (already filtered and ordered as the page lists them) as one sheet."""
    limit = settings.HOTLINE_EXPORT_MAX_ROWS
    book = Workbook(write_only=True)
    # A sheet's name has at most 31 characters, none of them []:*?/ or a backslash.
    sheet = book.create_sheet(title.translate(SHEET_FORBIDDEN)[:31] or "导出")
    for index, column in enumerate(columns):
        sheet.column_dimensions[get_column_letter(index + 1)].width = column.width
    made = timezone.localtime(timezone.now(), LOCAL_TZ)
    sheet.append([f"{title}（导出于 {made:%Y-%m-%d %H:%M}）{filters}"])
    bold = Font(bold=True)
    heads = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.title)
        cell.font = bold
        heads.append(cell)
    sheet.append(heads)
    count = 0
    for row in _rows(rows):
        if count == limit:
            sheet.append([f"仅导出前 {limit} 行，请缩小查询条件后分批导出"])
            break
        sheet.append([_cell(sheet, column.value(row)) for column in columns])
        count += 1
    sheet.freeze_panes = "A3"
    # The response closes (and so removes) the file once it has been sent.
    handle = tempfile.TemporaryFile()  # noqa: SIM115
    book.save(handle)
    handle.seek(0)
    name = f"{title}-{made:%Y%m%d-%H%M}.xlsx"
    response = FileResponse(handle, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["X-Exported-Rows"] = str(count)
    return response


def order_columns(viewer, *, citizen: bool = False) -> list[Column]:
    """The columns of an order list; ``citizen`` adds the caller, masked as on the page
    (pages and files never show more than masked: a full identity is a logged reveal)."""
    columns = [
        Column("工单编号", lambda o: o.number, 14),
        Column("受理时间", lambda o: o.received_at, 18),
        Column("受理渠道", lambda o: label("Channel", o.channel), 10),
        Column("诉求类型", lambda o: label("AppealType", o.appeal_type), 10),
        Column("事项分类", lambda o: o.category.name if o.category_id else "", 18),
        Column("区域", lambda o: o.region.name if o.region_id else "", 14),
        Column("地址", lambda o: o.address, 20),
        Column("诉求内容", lambda o: o.content, 60),
        Column("状态", lambda o: label("Status", o.status), 10),
        Column("主办单位", lambda o: o.lead_unit.name if o.lead_unit_id else "", 20),
        Column("签收时限", lambda o: o.sign_by, 18),
        Column("办理时限", lambda o: o.deadline, 18),
        Column("办结时间", lambda o: o.concluded_at, 18),
        Column("急办", lambda o: "是" if o.urgent else "", 6),
        Column("督办", lambda o: label("SupervisionLevel", o.supervision), 8),
    ]
    if citizen:

        def shown(order, show, field):
            if order.citizen_id is None:
                return ""
            identity = shown_identity(viewer.role, confidential=order.confidential)
            return show(getattr(order.citizen, field), identity)

        columns[7:7] = [
            Column("诉求人", lambda o: shown(o, shown_name, "name"), 10),
            Column("联系电话", lambda o: shown(o, shown_phone, "phone"), 14),
        ]
    return columns


def order_export(rows: QuerySet, *, viewer, title: str, citizen: bool = False, filters=""):
    return xlsx_response(
        rows, columns=order_columns(viewer, citizen=citizen), title=title, filters=filters
    )
