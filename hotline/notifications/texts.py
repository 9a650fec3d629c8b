"""The words of each notification (SMS length: one short sentence each)."""

from __future__ import annotations

from datetime import datetime

from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.notification_rules import NoticeKind

SIGNATURE = "【12345热线】"

_TEXTS = {
    NoticeKind.NEW_ORDER: "工单{number}已派至贵单位，请及时签收办理。",
    NoticeKind.YELLOW: "工单{number}将于{deadline}到期，请抓紧办理并答复。",
    NoticeKind.RED: "工单{number}已超过办理时限（{deadline}），请立即办理并答复。",
    NoticeKind.REWORK: "工单{number}的答复被退回返工，请重新办理。",
    NoticeKind.ACCEPTED: "您反映的问题已受理，工单编号{number}，可凭编号和手机号查询办理进度。",
    NoticeKind.REPLIED: "您的工单{number}已有答复，可凭编号和手机号查询答复内容并评价。",
    NoticeKind.SUPERVISION_LEADER: (
        "贵单位对工单{number}的红牌督办逾期未回复（回复期限{deadline}），请督促立即办理并回复。"
    ),
    NoticeKind.SIGN_YELLOW: "工单{number}须于{deadline}前签收，请及时签收。",
    NoticeKind.SIGN_OVERDUE: "工单{number}已超过签收时限（{deadline}），请立即签收。",
    NoticeKind.FEEDBACK_110: "110转入的工单{number}已办结，办理结果反馈110。",
}


def message(kind: NoticeKind, *, number: str, deadline: datetime | None) -> tuple[str, str]:
    """(subject, text) of a notification about order ``number``."""
    shown = deadline.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M") if deadline else ""
    text = SIGNATURE + _TEXTS[kind].format(number=number, deadline=shown)
    return f"12345热线：工单{number}{kind.label}", text
