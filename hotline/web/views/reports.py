"""The report pages: the list of published reports and drafts with their downloads, the
supervisor's editor (period, figures preview, narrative, cases, publish) and the
current month's statistics dashboard.

The figures always come from ``hotline.statistics.document.report_document`` (SPEC 7);
the documents from ``hotline.reports.rendering``. A published report is served from the
bytes stored when it was published, never rendered again.
"""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import quote

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from hotline.configuration.selectors import letterhead
from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.errors import DomainError
from hotline.operations.replica import reads_from_replica
from hotline.reports import content, selectors, services
from hotline.reports import text as report_text
from hotline.reports.html import body_items
from hotline.reports.models import DraftCase, PublishedFile, ReportDraft
from hotline.reports.rendering import CONTENT_TYPES, FORMATS
from hotline.web import share_charts
from hotline.web.access import may_open, page
from hotline.web.forms.reports import CaseAddForm, CaseForm, DraftForm, PeriodForm
from hotline.web.paging import keyset_page
from hotline.web.versioned import kept_per_version

FORMAT_LABELS = {"docx": "Word", "pdf": "PDF", "html": "HTML", "xlsx": "Excel", "json": "JSON"}
DRAFTS_SHOWN = 20


def period_document(start: date, end: date) -> dict:
    """The statistics document of SPEC 7 for the period, computed now."""
    from hotline.statistics.document import report_document

    return report_document(start=start, end=end)


def month_document(start: date, end: date) -> dict:
    """The part of the statistics document the month's page shows, counted now."""
    from hotline.statistics.document import month_page_document

    return month_page_document(start=start, end=end)


def _today() -> date:
    return timezone.now().astimezone(LOCAL_TZ).date()


# --- forms ------------------------------------------------------------------------------


def period_initial(start: date, end: date) -> dict:
    """The period form's fields for a stored period."""
    label = report_text.period_label(start, end)
    initial = {"year": start.year, "start": start, "end": end}
    if label.endswith("月") and "日" not in label:
        return initial | {"kind": "month", "month": start.month}
    if label.endswith("季度"):
        return initial | {"kind": "quarter", "quarter": (start.month + 2) // 3}
    if label == f"{start.year}年":
        return initial | {"kind": "year"}
    return initial | {"kind": "range"}


def _last_month() -> tuple[date, date]:
    first = _today().replace(day=1)
    end = date.fromordinal(first.toordinal() - 1)
    return end.replace(day=1), end


def _case_form(case: DraftCase, data=None) -> CaseForm:
    initial = {
        "kind": case.kind,
        "title": case.title,
        "complaint": case.complaint,
        "result": case.result,
        "callback": case.callback,
    }
    return CaseForm(data, initial=initial, prefix=f"case{case.pk}")


# --- the list ---------------------------------------------------------------------------


@page("reports")
@require_GET
def reports(request):
    published = keyset_page(
        selectors.published_list(),
        cursor=request.GET.get("cursor"),
        key="published_at",
        descending=True,
    )
    editor = may_open(request.user.role, "report_edit")
    context = {
        "page": published,
        "formats": [(fmt, FORMAT_LABELS[fmt]) for fmt in FORMATS],
        "drafts": list(selectors.draft_list()[:DRAFTS_SHOWN]) if editor else [],
        "editor": editor,
    }
    return render(request, "web/reports/list.html", context)


@page("reports")
@require_GET
def report_download(request, pk: int, fmt: str):
    if fmt not in FORMATS:
        raise Http404("没有这种格式")
    try:
        stored = selectors.published_file(report_id=pk, fmt=fmt)
    except PublishedFile.DoesNotExist:
        raise Http404("没有这份通报文件") from None
    report = stored.report
    response = HttpResponse(bytes(stored.content), content_type=CONTENT_TYPES[fmt])
    name = f"{report.title}（第{report.version}版）.{fmt}"
    # RFC 6266: a Chinese file name goes as UTF-8 in filename*, with an ASCII fallback.
    fallback = f"report-{report.start:%Y%m%d}-{report.end:%Y%m%d}-v{report.version}.{fmt}"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
    )
    return response


# --- the editor -------------------------------------------------------------------------


def _preview(draft: ReportDraft) -> tuple[dict | None, list[dict], str]:
    """The draft's figures and its document as it would be published, or an error."""
    try:
        document = period_document(draft.start, draft.end)
    except DomainError as error:
        return None, [], error.message
    editorial = selectors.draft_editorial(draft=draft)
    blocks = content.report_content(document, editorial, letterhead())
    return document, body_items(blocks), ""


def _editor_page(
    request, draft: ReportDraft, *, form=None, add_form=None, case_forms=None, status=200
):
    cases = selectors.draft_cases(draft=draft)
    case_forms = case_forms or {}
    document, items, problem = _preview(draft)
    context = {
        "draft": draft,
        "label": report_text.period_label(draft.start, draft.end),
        "form": form
        or DraftForm(
            initial=period_initial(draft.start, draft.end)
            | {
                "title": draft.title,
                "experience": draft.experience,
                "problems": draft.problems,
                "next_steps": draft.next_steps,
                "care": draft.care,
                "praise": draft.praise,
            }
        ),
        "add_form": add_form or CaseAddForm(),
        "cases": [
            (
                case,
                case_forms.get(case.pk) or _case_form(case),
                selectors.case_warnings(order=case.order),
            )
            for case in cases
        ],
        "publishing": selectors.latest_publishing(draft=draft),
        "items": items,
        "problem": problem,
        "versions": selectors.published_versions(start=draft.start, end=draft.end),
        "default_title": report_text.default_title(draft.start, draft.end),
    }
    return render(request, "web/reports/edit.html", context, status=status)


def _back(draft: ReportDraft, anchor: str = ""):
    return redirect(reverse("web:report_edit", args=[draft.pk]) + anchor)


@page("report_edit")
@require_http_methods(["GET", "POST"])
def report_edit(request, pk: int | None = None):
    if pk is None:
        return _report_new(request)
    try:
        draft = selectors.draft_get(pk=pk)
    except ReportDraft.DoesNotExist:
        raise Http404("没有这份通报草稿") from None
    if request.method == "GET":
        return _editor_page(request, draft)
    action = request.POST.get("action", "")
    handlers = {
        "save": _save,
        "case_add": _case_add,
        "case_save": _case_save,
        "case_remove": _case_remove,
        "case_confirm": _case_confirm,
        "publish": _publish,
    }
    if action not in handlers:
        messages.error(request, "未知的操作")
        return _editor_page(request, draft, status=400)
    return handlers[action](request, draft)


def _report_new(request):
    if request.method == "POST":
        form = PeriodForm(request.POST)
        if form.is_valid():
            start, end = form.cleaned_data["period"]
            try:
                draft = services.draft_create(start=start, end=end, actor=request.user)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"已创建{report_text.period_label(start, end)}通报草稿")
                return _back(draft)
        status = 400
    else:
        start, end = _last_month()
        form = PeriodForm(initial=period_initial(start, end))
        status = 200
    return render(request, "web/reports/new.html", {"form": form}, status=status)


def _save(request, draft):
    form = DraftForm(request.POST)
    if not form.is_valid():
        return _editor_page(request, draft, form=form, status=400)
    start, end = form.cleaned_data["period"]
    data = form.cleaned_data
    try:
        services.draft_save(
            draft=draft,
            actor=request.user,
            start=start,
            end=end,
            title=data["title"],
            experience=data["experience"],
            problems=data["problems"],
            next_steps=data["next_steps"],
            care=data["care"],
            praise=data["praise"],
        )
    except DomainError as error:
        form.add_error(None, error.message)
        return _editor_page(request, draft, form=form, status=400)
    messages.success(request, "草稿已保存")
    return _back(draft)


def _case_add(request, draft):
    form = CaseAddForm(request.POST)
    if form.is_valid():
        try:
            services.draft_case_add(
                draft=draft,
                number=form.cleaned_data["number"],
                kind=form.cleaned_data["kind"],
                actor=request.user,
            )
        except DomainError as error:
            form.add_error("number", error.message)
        else:
            messages.success(request, f"已加入案例：工单 {form.cleaned_data['number']}")
            return _back(draft, "#cases")
    return _editor_page(request, draft, add_form=form, status=400)


def _draft_case(request, draft) -> DraftCase:
    try:
        return draft.cases.select_related("draft").get(pk=int(request.POST.get("case", "")))
    except (ValueError, DraftCase.DoesNotExist):
        raise Http404("没有这个案例") from None


def _case_save(request, draft):
    case = _draft_case(request, draft)
    form = _case_form(case, request.POST)
    if form.is_valid():
        try:
            services.draft_case_save(case=case, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"案例（工单 {case.order.number}）已保存")
            return _back(draft, f"#case-{case.pk}")
    return _editor_page(request, draft, case_forms={case.pk: form}, status=400)


def _case_remove(request, draft):
    case = _draft_case(request, draft)
    number = case.order.number
    services.draft_case_remove(case=case, actor=request.user)
    messages.success(request, f"已移除案例：工单 {number}")
    return _back(draft, "#cases")


def _case_confirm(request, draft):
    case = _draft_case(request, draft)
    services.draft_case_confirm(case=case, actor=request.user)
    messages.success(request, f"已确认保留案例：工单 {case.order.number}")
    return _back(draft, f"#case-{case.pk}")


def _publish(request, draft):
    try:
        services.report_publish_request(
            draft=draft,
            document=period_document(draft.start, draft.end),
            actor=request.user,
            override_reason=request.POST.get("override_reason", ""),
        )
    except DomainError as error:
        messages.error(request, f"发布失败：{error.message}")
        return _editor_page(request, draft, status=400)
    return _back(draft, "#publish-title")


@page("report_edit")
@require_GET
def report_publishing(request, pk: int):
    """The publishing's progress, polled by the editor's page while it runs."""
    try:
        draft = selectors.draft_get(pk=pk)
    except ReportDraft.DoesNotExist:
        raise Http404("没有这份通报草稿") from None
    context = {"draft": draft, "publishing": selectors.latest_publishing(draft=draft)}
    return render(request, "web/reports/_publishing.html", context)


# --- the current month ------------------------------------------------------------------


def _signed(delta: content.Delta | None) -> str:
    """+3026（+11.20%）: the difference and the relative change, as far as known."""
    if delta is None:
        return report_text.NONE
    if not delta.comparable:
        return report_text.NO_DATA
    if delta.difference is None:
        return report_text.signed(delta.rate)
    shown = f"{delta.difference:+}"
    return shown if delta.rate is None else f"{shown}（{report_text.signed(delta.rate)}）"


# How long the month's figures are kept for one data version: what the
# version does not see (a live call's status, a changed report rule) shows within this.
MONTH_PAGE_SECONDS = 10 * 60


def _month_page(start: date, end: date) -> tuple[datetime, dict]:
    """When the month's figures were counted, and the figures: kept per (period, data
    version), so a load whose data have not changed since does not read the month's
    orders again."""
    key = f"statistics-page:{start.isoformat()}:{end.isoformat()}"
    return kept_per_version(key, lambda: month_document(start, end), seconds=MONTH_PAGE_SECONDS)


def _month_charts(document: dict) -> list:
    """The page's three charts, drawn as SVG from the figures (cheap: on every load)."""
    return [
        share_charts.bar_chart(document["top_categories"], title="十大热点事项"),
        share_charts.pie_chart(document["appeal_types"], title="诉求类型占比"),
        share_charts.bar_chart(document["top_units"]["units"], title="转办工单承办量前十单位"),
    ]


@page("statistics_dashboard")
@require_GET
@reads_from_replica
def statistics_dashboard(request):
    now = timezone.now()
    today = now.astimezone(LOCAL_TZ).date()
    start = today.replace(day=1)
    try:
        now, document = _month_page(start, today)
    except DomainError as error:
        messages.error(request, f"本月统计暂不可用：{error.message}")
        return render(request, "web/reports/statistics.html", {"now": now}, status=503)
    calls, intake = document["calls"], document["intake"]
    handling, callbacks = document["handling"], document["callbacks"]
    pct = report_text.percent
    figures = [
        ("受理", intake["accepted"], "件"),
        ("当场答复", intake["resolved_at_intake"], "件"),
        ("在线办结率", pct(intake["resolved_at_intake_rate"]), ""),
        ("转办", intake["dispatched"], "件"),
        ("不予受理", intake["rejected"], "件"),
        # SPEC 7 (2026-12): emergencies handed to 110/119/120/122, apart from 不予受理.
        ("即时转办", intake.get("transferred", report_text.NONE), "件"),
        ("办结率", pct(handling["concluded_rate"]), ""),
        ("按时办结率", pct(handling["on_time_rate"]), ""),
        ("签收及时率", pct(handling.get("sign_on_time_rate")), ""),
        ("回访率", pct(callbacks["rate"]), ""),
        ("回访满意率", pct(callbacks["satisfaction_rate"]), ""),
        ("来电", calls["offered"], "通"),
        ("接通率", pct(calls["answer_rate"]), ""),
    ]
    comparisons = [
        (c.name, *(_signed(delta) for delta in (c.year_on_year, c.period_on_period)))
        for c in content.comparisons(document)
    ]
    context = {
        "now": now,
        "label": report_text.period_label(start, today),
        "figures": figures,
        "comparisons": comparisons,
        "charts": _month_charts(document),
        "units": [(u["name"], u["count"], pct(u["share"])) for u in document["top_units"]["units"]],
        "top10_share": pct(document["top_units"]["top10_share"]),
        "categories": [
            (c["name"], c["count"], pct(c["share"])) for c in document["top_categories"]
        ],
        "handling": handling,
    }
    return render(request, "web/reports/statistics.html", context)


urls = [
    path("reports/", reports, name="reports"),
    path("reports/new/", report_edit, name="report_edit"),
    path("reports/<int:pk>/edit/", report_edit, name="report_edit"),
    path("reports/<int:pk>/publishing/", report_publishing, name="report_publishing"),
    path("reports/published/<int:pk>/<str:fmt>/", report_download, name="report_download"),
    path("statistics/", statistics_dashboard, name="statistics_dashboard"),
]
