"""The monthly report draft, ready for the supervisor on the first of the month."""

from __future__ import annotations

from datetime import datetime

from hotline.domain.schedule import month_before
from hotline.reports.services import draft_create_scheduled


def report_draft_monthly(*, now: datetime) -> str:
    period = month_before(now)
    draft = draft_create_scheduled(start=period.start, end=period.end, at=now)
    if draft is None:
        return f"{period.start:%Y年%m月}已有通报草稿，未新建"
    return f"已建立{period.start:%Y年%m月}通报草稿"
