"""The violations page (SPEC 6, 黄牌预警): per unit and period, the office sees every
unit's and a unit only its own (the selector scopes it); the supervisor reviews each,
sets its outcome and records a violation by hand with its evidence files."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from hotline.attachments.services import MAX_FILES, violation_with_evidence
from hotline.domain.enums import Role, ViolationKind, ViolationOutcome
from hotline.domain.errors import DomainError
from hotline.domain.permissions import may
from hotline.orders.models import Order, Violation
from hotline.orders.selectors import order_get
from hotline.orders.selectors.violations import violation_get, violation_list
from hotline.orders.services.discipline import violation_decide
from hotline.orders.services.supervision import violation_review
from hotline.web.access import page
from hotline.web.export import Column, label, wants_export, xlsx_response
from hotline.web.forms.violations import (
    ViolationFilterForm,
    ViolationOutcomeForm,
    ViolationRecordForm,
    ViolationReviewForm,
)
from hotline.web.paging import keyset_page, ordered
from hotline.web.redirects import local_path

VIOLATION_COLUMNS = [
    Column("发现时间", lambda v: v.at, 18),
    Column("单位", lambda v: v.unit.name, 20),
    Column("类型", lambda v: label("ViolationKind", v.kind), 14),
    Column("工单", lambda v: v.order.number if v.order_id else "", 14),
    Column("情况说明", lambda v: v.note, 40),
    Column("核查", lambda v: "已核查" if v.reviewed else "待核查", 8),
    Column("处理结果", lambda v: label("ViolationOutcome", v.outcome), 12),
    Column("处理时间", lambda v: v.outcome_at, 18),
]

# What each posted form does, and the permission it needs.
POSTS = {"review": "violation_review", "outcome": "violation_outcome", "record": "violation_record"}


def _errors(form) -> list[str]:
    return [str(e) for errors in form.errors.values() for e in errors]


def _violation(request, pk: int) -> Violation:
    try:
        return violation_get(pk=pk, viewer=request.user)
    except Violation.DoesNotExist:
        raise Http404("没有这条违规记录") from None


def _review(request, form):
    violation = _violation(request, form.cleaned_data["violation"])
    violation_review(violation=violation, actor=request.user, note=form.cleaned_data["note"])
    return f"已核查：{violation.unit.name} 的违规记录"


def _outcome(request, form):
    violation = _violation(request, form.cleaned_data["violation"])
    decided = violation_decide(
        violation=violation, outcome=form.cleaned_data["outcome"], actor=request.user
    )
    return f"已处理：{decided.unit.name} {ViolationOutcome(decided.outcome).label}"


def _record(request, form):
    data = form.cleaned_data
    try:
        order = order_get(number=data["number"], viewer=request.user)
    except Order.DoesNotExist:
        raise DomainError(f"未找到工单 {data['number']}") from None
    violation = violation_with_evidence(
        order=order,
        unit=data["unit"],
        kind=data["kind"],
        note=data["note"],
        outcome=data["outcome"],
        files=request.FILES.getlist("files"),
        actor=request.user,
    )
    return f"已记录：{violation.unit.name} {ViolationKind(violation.kind).label}"


FORMS = {
    "review": (ViolationReviewForm, _review),
    "outcome": (ViolationOutcomeForm, _outcome),
    "record": (ViolationRecordForm, _record),
}


@page("violations")
@require_http_methods(["GET", "POST"])
def violations(request):
    status, record = 200, ViolationRecordForm()
    if request.method == "POST":
        do = request.POST.get("do") or "review"
        if do not in FORMS:
            raise Http404("没有这项操作")
        if not may(request.user.role, POSTS[do]):
            raise PermissionDenied(f"「{Role(request.user.role).label}」角色不能处理违规记录")
        Form, act = FORMS[do]
        form = Form(request.POST, request.FILES)
        if form.is_valid():
            try:
                done = act(request, form)
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, done)
                return redirect(local_path(request, request.POST.get("next")) or request.path)
        else:
            for line in _errors(form):
                messages.error(request, line)
        status = 400
        if do == "record":
            record = form

    filters = ViolationFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    if filters.is_bound and filters.errors:
        status = 400
    rows = violation_list(
        viewer=request.user,
        unit=chosen.get("unit"),
        kind=chosen.get("kind", ""),
        outcome=chosen.get("outcome", ""),
        reviewed=filters.reviewed_flag() if chosen else None,
        since=chosen.get("since"),
        until=chosen.get("until"),
    )
    if wants_export(request) and status == 200:
        listed = ordered(rows, key="at", descending=True)
        return xlsx_response(listed, columns=VIOLATION_COLUMNS, title="违规记录")
    listing = keyset_page(rows, cursor=request.GET.get("cursor"), key="at", descending=True)
    context = {
        "filters": filters,
        "page": listing,
        "record": record,
        "outcomes": ViolationOutcome.choices(),
        "may_decide": may(request.user.role, "violation_outcome"),
        "may_record": may(request.user.role, "violation_record"),
        "max_files": MAX_FILES,
        "own_unit": request.user.role == Role.UNIT_HANDLER,
    }
    return render(request, "web/office/violations.html", context, status=status)


urls = [path("office/violations/", violations, name="violations")]
