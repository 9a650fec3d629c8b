"""The year-end calendar warning (SPEC 4, 2026-12): from 1 October, while next year's
holiday schedule is not entered, the office's supervisors and administrators are told,
each once per year (the outbox keys the notice by the year)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from hotline.accounts.models import User
from hotline.configuration.selectors import year_awaiting_schedule
from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.enums import Role
from hotline.domain.notification_rules import NoticeKind
from hotline.notifications.outbox import notify_staff
from hotline.notifications.texts import SIGNATURE


@transaction.atomic
def calendar_warning(*, now: datetime) -> str:
    year = year_awaiting_schedule(today=now.astimezone(LOCAL_TZ).date())
    if year is None:
        return "节假日安排已录入，无需提醒"
    staff = User.objects.filter(
        is_active=True, role__in=[Role.SUPERVISOR, Role.ADMINISTRATOR]
    ).order_by("pk")
    told = notify_staff(
        NoticeKind.CALENDAR,
        users=staff,
        reference=f"calendar:{year}",
        subject=f"12345热线：{year} 年节假日安排尚未录入",
        text=(
            f"{SIGNATURE}{year} 年的节假日安排尚未录入，落在该年的办理时限暂按临时日历计算。"
            "国务院通知发布后请系统管理员在「整年录入节假日」页录入。"
        ),
        at=now,
    )
    return f"{year} 年节假日安排尚未录入，新提醒 {told} 人"
