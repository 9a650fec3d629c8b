"""Reads a CSV (UTF-8, header row) or XLSX table as a list of dicts keyed by header."""

import csv
from pathlib import Path

from hotline.domain.directory_rows import DirectoryImportError


def read_table(path: Path) -> list[dict[str, str]]:
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))
    except UnicodeDecodeError:
        raise DirectoryImportError([f"{path.name}：文件不是 UTF-8 编码"]) from None


def _read_xlsx(path: Path) -> list[dict[str, str]]:
    from openpyxl import load_workbook

    sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(h or "").strip() for h in next(rows, ())]
    return [
        {h: "" if v is None else str(v) for h, v in zip(header, values, strict=False)}
        for values in rows
        if any(v is not None for v in values)
    ]
