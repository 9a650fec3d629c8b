"""The menu each role sees: the pages of ``access.PAGES`` it may open, in working order."""

from django.urls import reverse

from hotline.web.access import may_open

MENU = [
    ("intake", "受理登记"),
    ("intake_review", "网上受理审核"),
    ("missed_calls", "漏接回拨"),
    ("three_way_calls", "三方通话"),
    ("campaigns", "外呼任务"),
    ("dispatch_queue", "派单"),
    ("linkage", "110联动"),
    ("unit_inbox", "本单位工单"),
    ("unit_progress", "下级单位进度"),
    ("callback_queue", "回访"),
    ("supervision_desk", "审核督办"),
    ("violations", "违规记录"),
    ("leader_dashboard", "领导看板"),
    ("statistics_dashboard", "本月统计"),
    ("reports", "通报"),
    ("order_search", "工单查询"),
    ("surges", "诉求激增"),
    ("topics", "每月一题"),
    ("topic_proposals", "候选一类事"),
    ("assessment_breakdown", "考核扣分明细"),
    ("appeal_queue", "申诉裁定"),
    ("wallboard", "大屏"),
    ("knowledge_articles", "知识库"),
    ("knowledge_review", "知识库审核"),
    ("calendar_settings", "节假日"),
    ("calendar_year", "整年录入节假日"),
    ("office_settings", "办理时限"),
    ("users", "用户"),
    ("audit_trail", "审计"),
    ("background_jobs", "后台任务"),
]


def menu_for(user) -> list[tuple[str, str, str]]:
    """(page name, label, url) for each page the user's role may open."""
    return [
        (name, label, reverse(f"web:{name}")) for name, label in MENU if may_open(user.role, name)
    ]


def menu(request) -> dict:
    """Context processor: the signed-in user's menu."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    return {"menu": menu_for(user), "current_page": getattr(request.resolver_match, "url_name", "")}
