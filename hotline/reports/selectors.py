"""Reads of report drafts and published reports, and the case texts an order suggests."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.enums import CallbackResult, Disposition, ReviewDecision
from hotline.domain.redaction import redact
from hotline.orders.models import Callback, Order, Reply
from hotline.reports.editorial import Case, CaseKind, Editorial
from hotline.reports.models import DraftCase, PublishedFile, PublishedReport, ReportDraft


def draft_list() -> QuerySet[ReportDraft]:
    return ReportDraft.objects.select_related("created_by").order_by("-updated_at", "-id")


def draft_get(*, pk: int) -> ReportDraft:
    """Raises ``ReportDraft.DoesNotExist``."""
    return ReportDraft.objects.get(pk=pk)


def draft_cases(*, draft: ReportDraft) -> list[DraftCase]:
    return list(draft.cases.select_related("order").order_by("position", "id"))


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


def _callback_text(order: Order) -> str:
    callback = (
        Callback.objects.filter(order=order, kind=Callback.Kind.CALLBACK)
        .order_by("-at", "-id")
        .first()
    )
    return "" if callback is None else CALLBACK_TEXTS.get(callback.result, "")


def case_prefill(*, order: Order) -> dict[str, str]:
    """来电反映 from the order's content, 处理结果 from the accepted reply, 回访 from the
    latest callback; the supervisor edits them afterwards."""
    return {
        "complaint": redact(order.content),
        "result": redact(_result_text(order)),
        "callback": _callback_text(order),
    }
