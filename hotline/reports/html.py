"""The report as one self-contained HTML page (styles inside, charts as data: URIs), the
same blocks as the Word document; the web pages show the same body as a preview."""

from __future__ import annotations

import base64

from django.template.loader import render_to_string

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


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _item(block: Block) -> dict:
    if isinstance(block, Heading):
        return {"kind": "heading", "level": block.level, "text": block.text}
    if isinstance(block, Paragraph):
        return {
            "kind": "paragraph",
            "text": block.text,
            "lead": block.lead,
            "more": block.more,
            "style": block.style,
        }
    if isinstance(block, Table):
        rows = []
        for row in block.rows:
            if isinstance(row, GroupRow):
                rows.append({"group": row.text})
            else:
                rows.append(
                    {
                        "cells": [
                            {"text": cell_text(v), "num": i > 0 and not isinstance(v, str)}
                            for i, v in enumerate(row)
                        ]
                    }
                )
        return {
            "kind": "table",
            "name": block.name,
            "columns": block.columns,
            "rows": rows,
            "note": block.note,
            "wide": len(block.columns) > 8,
        }
    if isinstance(block, Chart):
        return {"kind": "chart", "caption": block.caption, "src": data_uri(block.png)}
    if isinstance(block, PageBreak):
        return {"kind": "break"}
    raise TypeError(block)


def body_items(blocks: list[Block]) -> list[dict]:
    """The blocks as the ``reports/_body.html`` template reads them."""
    return [_item(block) for block in blocks]


def html_bytes(blocks: list[Block], *, title: str) -> bytes:
    page = render_to_string("reports/report.html", {"title": title, "items": body_items(blocks)})
    return page.encode("utf-8")
