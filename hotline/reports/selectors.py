"""Reads of report drafts and published reports, and the case texts an order suggests."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.enums import AppealDecision, CallbackResult, Disposition, ReviewDecision, Solved
from hotline.domain.redaction import redact
from hotline.orders.models import AppealFiling, Callback, Order, Reply
from hotline.reports.editorial import Case, CaseKind, Editorial
from hotline.reports.models import (
    DraftCase,
    PublishedFile,
    PublishedReport,
    ReportDraft,
    ReportPublishing,
)


def draft_list() -> QuerySet[ReportDraft]:
    return ReportDraft.objects.select_related("created_by").order_by("-updated_at", "-id")


def draft_get(*, pk: int) -> ReportDraft:
    """Raises ``ReportDraft.DoesNotExist``."""
    return ReportDraft.objects.get(pk=pk)


def draft_cases(*, draft: ReportDraft) -> list[DraftCase]:
    return list(draft.cases.select_related("order").order_by("position", "id"))


def unconfirmed_cases(*, draft: ReportDraft) -> list[tuple[DraftCase, list[str]]]:
    """The draft's flagged cases the supervisor has not confirmed, with why."""
    found = []
    for case in draft_cases(draft=draft):
        if case.confirmed_at is None and (warnings := case_warnings(order=case.order)):
            found.append((case, warnings))
    return found


def draft_editorial(*, draft: ReportDraft) -> Editorial:
    """The draft as the documents read it."""
    return Editorial(
        title=draft.title,
        experience=draft.experience,
        problems=draft.problems,
        next_steps=draft.next_steps,
        care=draft.care,
        praise=draft.praise,
        cases=tuple(
            # Published: whatever the supervisor typed or kept, redacted as every
            # public document is.
            Case(
                number=case.order.number,
                kind=CaseKind(case.kind),
                title=redact(case.title),
                complaint=redact(case.complaint),
                result=redact(case.result),
                callback=redact(case.callback),
            )
            for case in draft_cases(draft=draft)
        ),
    )


def latest_publishing(*, draft: ReportDraft) -> ReportPublishing | None:
    return (
        ReportPublishing.objects.filter(draft=draft)
        .select_related("report")
        .order_by("-requested_at", "-id")
        .first()
    )


def published_list() -> QuerySet[PublishedReport]:
    """Newest first, without the frozen document or the files' bytes."""
    files = PublishedFile.objects.only("id", "report_id", "format", "size").order_by("id")
    return (
        PublishedReport.objects.defer("document", "editorial")
        .select_related("published_by")
        .prefetch_related(Prefetch("files", queryset=files))
    )


def published_versions(*, start, end) -> QuerySet[PublishedReport]:
    return (
        PublishedReport.objects.filter(start=start, end=end)
        .defer("document", "editorial")
        .order_by("-version")
    )


def published_get(*, pk: int) -> PublishedReport:
    """Raises ``PublishedReport.DoesNotExist``."""
    return PublishedReport.objects.get(pk=pk)


def published_file(*, report_id: int, fmt: str) -> PublishedFile:
    """Raises ``PublishedFile.DoesNotExist``."""
    return PublishedFile.objects.select_related("report").get(report_id=report_id, format=fmt)


# --- what an order suggests for a case ------------------------------------------------


def _date(moment) -> str:
    local = moment.astimezone(LOCAL_TZ)
    return f"{local.month}月{local.day}日"


def _result_text(order: Order) -> str:
    """处理结果 as the Longshan cases write it: 派单至X，M月D日，X回复：…"""
    if order.disposition == Disposition.ANSWERED.value:
        return "话务员当场答复。"
    replies = Reply.objects.filter(order=order).select_related("unit").order_by("-at", "-id")
    reply = replies.filter(decision=ReviewDecision.ACCEPT.value).first() or replies.first()
    if reply is None:
        if order.lead_unit_id:
            return f"派单至{order.lead_unit.name}，尚未答复。"
        return ""
    unit = reply.unit.name
    return f"派单至{unit}，{_date(reply.at)}，{unit}回复：{reply.text}"


CALLBACK_TEXTS = {
    CallbackResult.SATISFIED.value: "诉求人对处理结果满意。",
    CallbackResult.BASICALLY_SATISFIED.value: "诉求人对处理结果基本满意。",
    CallbackResult.UNSATISFIED.value: "诉求人对处理结果不满意。",
    CallbackResult.UNREACHABLE.value: "回访未联系上诉求人。",
}


SOLVED_TEXTS = {
    Solved.SOLVED.value: "问题已解决。",
    Solved.PARTLY.value: "问题部分解决。",
    Solved.NOT_SOLVED.value: "问题未解决。",
}


def _latest_callback(order: Order) -> Callback | None:
    return (
        Callback.objects.filter(order=order, kind=Callback.Kind.CALLBACK)
        .order_by("-at", "-id")
        .first()
    )


def _callback_text(order: Order) -> str:
    """回访 (SPEC 7, 2026-12): the result, the answer to 问题是否解决 and the agent's note
    (诉求人对处理结果满意。问题已解决。排水管已经维修，生活污水也清理了。)."""
    callback = _latest_callback(order)
    if callback is None:
        return ""
    parts = [CALLBACK_TEXTS.get(callback.result, ""), SOLVED_TEXTS.get(callback.solved, "")]
    note = callback.note.strip()
    if note:
        parts.append(note if note.endswith(("。", "！", "？", ".")) else note + "。")
    return "".join(parts)


def case_warnings(*, order: Order) -> list[str]:
    """Why a case may not show good work (SPEC 7, 2026-12): the order is in rework, its
    citizen was left unsatisfied, or its unit appealed. Each needs the supervisor's
    confirmation before the report is published."""
    warnings = []
    reworked = (
        Reply.objects.filter(order=order, decision=ReviewDecision.REWORK.value).exists()
        or Callback.objects.filter(order=order, rework=True).exists()
    )
    if reworked and order.concluded_at is None:
        warnings.append("工单正在返工重办，尚未办结")
    latest = _latest_callback(order)
    if latest is not None and latest.result == CallbackResult.UNSATISFIED.value:
        warnings.append("最近一次回访诉求人不满意")
    appeal = AppealFiling.objects.filter(order=order).order_by("-filed_at", "-id").first()
    if appeal is not None:
        decided = AppealDecision(appeal.decision).label if appeal.decision else "待裁定"
        warnings.append(f"承办单位已就回访结果申诉（{decided}）")
    return warnings


def case_prefill(*, order: Order) -> dict[str, str]:
    """来电反映 from the order's content, 处理结果 from the accepted reply, 回访 from the
    latest callback; the supervisor edits them afterwards."""
    return {
        "complaint": redact(order.content),
        "result": redact(_result_text(order)),
        "callback": _callback_text(order),
    }
