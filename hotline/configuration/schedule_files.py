"""The rows of an uploaded holiday schedule file (CSV in UTF-8, or XLSX), numbered as
the office sees them in its spreadsheet: columns date, rest|work, name."""

from __future__ import annotations

import csv
import io
import zipfile

from hotline.domain.holiday_notice import InvalidSchedule, ScheduleProblem


def schedule_rows(name: str, data: bytes) -> list[tuple[int, list[str]]]:
    if name.lower().endswith(".xlsx"):
        return _xlsx_rows(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidSchedule([ScheduleProblem(0, f"{name} 不是 UTF-8 编码的 CSV 文件")]) from None
    return list(enumerate(csv.reader(io.StringIO(text)), start=1))


def _xlsx_rows(data: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise InvalidSchedule([ScheduleProblem(0, "无法读取该 XLSX 文件")]) from None
    # A date cell arrives as a datetime: its first ten characters are the ISO date.
    return [
        (number, ["" if v is None else str(v) for v in values])
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
    ]
