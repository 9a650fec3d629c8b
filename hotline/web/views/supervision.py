"""The supervisor's desk: replies to review, extension requests, difficult orders,
orders to supervise, spot checks and appeals. Every form on it posts to the shared
order action path; each tab shows only the actions its orders' state allows."""

from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import quote

from django import forms
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.timezone import now
from django.views.decorators.http import require_GET

from hotline.attachments.selectors import ReplyEvidence, reply_evidence
from hotline.domain.discipline import forwarding_only
from hotline.domain.enums import (
    AppealDecision,
    CallbackResult,
    ExtensionDecision,
    PauseDecision,
    Status,
    SupervisionLevel,
)
from hotline.domain.lifecycle import OrderState
from hotline.orders.models import Order, Reply, Supervision
from hotline.orders.selectors import order_state
from hotline.orders.selectors import queues as q
from hotline.orders.selectors import supervision as sheet_selectors
from hotline.reports.pdf import PdfFailed, PdfUnavailable
from hotline.reports.supervision_sheet import sheet_docx, sheet_pdf
from hotline.web.access import page
from hotline.web.export import Column, label, order_export, wants_export, xlsx_response
from hotline.web.forms.supervision import AnswerFilter, SpotCheckFilter, SuperviseFilter
from hotline.web.paging import keyset_page, ordered
from hotline.web.views.dispatch import queue_context, url_with

TABS = [
    ("review", "答复审核"),
    ("extensions", "延期申请"),
    ("pauses", "暂停审批"),
    ("difficult", "疑难件"),
    ("supervision", "督办"),
    ("answers", "督办回复"),
    ("spot_checks", "抽查"),
    ("appeals", "申诉"),
]
COUNTED = ("review", "difficult")

# How far ahead the supervision list looks for deadlines (overdue ones always shown).
HORIZONS = {"overdue": timedelta(0), "day": timedelta(days=1), "three": timedelta(days=3)}


FILTERS = {
    "supervision": SuperviseFilter,
    "spot_checks": SpotCheckFilter,
    "answers": AnswerFilter,
}


@dataclass
class Row:
    order: Order
    state: OrderState
    reply: Reply | None = None
    suggestion: q.Suggestion | None = None
    returned_by: list[str] = field(default_factory=list)
    # The designation form (difficult orders), as the dispatcher's queue shows it.
    assign: str = ""
    assign_label: str = ""
    fixed: list = field(default_factory=list)
    quick: bool = False
    picking: bool = False
    pick_url: str = ""
    supervision: Supervision | None = None  # the answers tab: one supervision per row
    forwarding: bool = False  # the review tab: the reply reads as 二传手 (SPEC 6)
    evidence: ReplyEvidence | None = None  # the review tab: the reply's files, the contacts


def _rows(request, tab: str, filters: forms.Form | None) -> tuple[QuerySet, str, bool]:
    """The tab's rows, with the key and direction they are paged by."""
    viewer = request.user
    if tab == "review":
        return q.awaiting_review(viewer=viewer), "received_at", False
    if tab == "extensions":
        return q.extension_requests(viewer=viewer), "requested_at", False
    if tab == "pauses":
        return q.pause_requests(viewer=viewer), "received_at", False
    if tab == "difficult":
        return q.difficult_orders(viewer=viewer), "received_at", False
    if tab == "supervision":
        until = now() + HORIZONS[filters.cleaned_data.get("due") or "day"]
        return q.due_by(viewer=viewer, until=until), "deadline", False
    if tab == "answers":
        state = filters.cleaned_data.get("state") or ""
        return sheet_selectors.supervision_list(viewer=viewer, state=state), "at", True
    if tab == "spot_checks":
        status = Status(filters.cleaned_data.get("status") or Status.CLOSED)
        return q.spot_check_candidates(viewer=viewer, status=status), "received_at", True
    return q.appeals_awaiting(viewer=viewer), "rated_at", True


# The 督办回复 tab lists supervisions, each with its order.
ANSWER_COLUMNS = [
    Column("工单编号", lambda s: s.order.number, 14),
    Column("督办级别", lambda s: label("SupervisionLevel", s.level), 10),
    Column("督办时间", lambda s: s.at, 18),
    Column("督办意见", lambda s: s.note, 40),
    Column("回复期限", lambda s: s.deadline, 18),
    Column("督办回复", lambda s: s.answer, 40),
    Column("回复时间", lambda s: s.answered_at, 18),
]


def _export(request, tab: str, rows: QuerySet, key: str, descending: bool):
    listed, title = ordered(rows, key=key, descending=descending), f"审核督办-{dict(TABS)[tab]}"
    if tab == "answers":
        return xlsx_response(listed, columns=ANSWER_COLUMNS, title=title)
    return order_export(listed, viewer=request.user, title=title)


def rows_for(request, tab: str, orders: list) -> list[Row]:
    if tab == "answers":  # supervisions, each with its order
        return [Row(order=s.order, state=order_state(s.order), supervision=s) for s in orders]
    rows = [Row(order=o, state=order_state(o)) for o in orders]
    if tab == "review":
        replies = q.latest_replies_for(orders)
        evidence = reply_evidence(orders=orders)
        for row in rows:
            row.reply = replies.get(row.order.pk)
            row.evidence = evidence[row.order.pk]
            row.forwarding = row.reply is not None and forwarding_only(row.reply.text)
    if tab == "difficult":
        picked = request.GET.get("pick", "")
        suggestions = q.suggestions_for(orders)
        names = q.unit_names(code for r in rows for code in r.state.returned_by)
        for row in rows:
            row.suggestion = suggestions.get(row.order.pk)
            row.returned_by = [names.get(code, code) for code in row.state.returned_by]
            if not row.state.consultation:  # nothing is re-assigned during a consultation
                row.assign, row.assign_label = "designate", "指定承办"
                row.quick = row.suggestion is not None
                row.picking = row.order.number == picked
            row.pick_url = url_with(request, pick=row.order.number) + f"#o-{row.order.number}"
    return rows


@page("supervision_desk")
@require_GET
def supervision_desk(request):
    tabs = dict(TABS)
    tab = request.GET.get("tab", "review")
    if tab not in tabs:
        tab = "review"
    filters = FILTERS[tab](request.GET) if tab in FILTERS else None
    listing, rows, status = None, [], 200
    if filters is None or filters.is_valid():
        found, key, descending = _rows(request, tab, filters)
        if wants_export(request):
            return _export(request, tab, found, key, descending)
        cursor = request.GET.get("cursor")
        listing = keyset_page(found, cursor=cursor, key=key, descending=descending)
        rows = rows_for(request, tab, listing.rows)
    else:
        status = 400
    context = queue_context(
        request, tab=tab, tabs=TABS, counted=COUNTED, form=filters, listing=listing, rows=rows
    )
    context |= {
        "levels": SupervisionLevel.choices(),
        "results": CallbackResult.choices(),
        "extension_decisions": ExtensionDecision.choices(),
        "pause_decisions": PauseDecision.choices(),
        "appeal_decisions": AppealDecision.choices(),
    }
    return render(request, "web/supervision/desk.html", context, status=status)


SHEET_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@page("supervision_sheet")
@require_GET
def supervision_sheet(request, number: str, pk: int, fmt: str):
    """The 督办单 of one supervision (SPEC 4, 2026-12), for whoever may see the order."""
    if fmt not in SHEET_TYPES:
        raise Http404("没有这种格式")
    try:
        facts = sheet_selectors.supervision_sheet(number=number, pk=pk, viewer=request.user)
    except Supervision.DoesNotExist:
        raise Http404("未找到该督办，或您无权查看") from None
    try:
        content = sheet_pdf(facts) if fmt == "pdf" else sheet_docx(facts)
    except (PdfUnavailable, PdfFailed) as problem:
        return HttpResponse(str(problem), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type=SHEET_TYPES[fmt])
    name = f"督办单-{number}-{pk}.{fmt}"
    response["Content-Disposition"] = (
        f"attachment; filename=\"supervision-{number}-{pk}.{fmt}\"; filename*=UTF-8''{quote(name)}"
    )
    return response


urls = [
    path("supervision/", supervision_desk, name="supervision_desk"),
    path(
        "orders/<str:number>/supervisions/<int:pk>/sheet.<str:fmt>",
        supervision_sheet,
        name="supervision_sheet",
    ),
]
