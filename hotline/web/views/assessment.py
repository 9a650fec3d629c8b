"""The provisional assessment (SPEC 5, 2026-12): as soon as a month ends, each unit
handler sees its own unit's row and the breakdown of every point lost, and appeals an
unsatisfied callback from it with its evidence; the office sees any unit's, and decides
the pending appeals in its queue. The figures come from
``statistics.assessment.unit_breakdown``; the writes are the appeal services."""

from datetime import date, timedelta

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from hotline.attachments.services import ALLOWED_TEXT, appeal_with_attachments
from hotline.directory.models import Unit
from hotline.domain.enums import AppealDecision, AppealKind, Role
from hotline.domain.errors import DomainError
from hotline.domain.statistics import Period
from hotline.operations.replica import reads_from_replica
from hotline.orders.selectors.appeals import pending_appeals
from hotline.orders.services.review import order_appeal
from hotline.statistics.assessment import by_class, unit_assessment, unit_breakdown
from hotline.web.access import page
from hotline.web.forms.assessment import AppealForm
from hotline.web.views.order_actions import visible_order_or_404


def _month(text: str, today: date) -> Period:
    """The month ``YYYY-MM`` asked for, or the last month that has ended."""
    try:
        year, month = (int(part) for part in text.split("-"))
        return Period.month(year, month)
    except ValueError:
        ended = today.replace(day=1) - timedelta(days=1)
        return Period.month(ended.year, ended.month)


@page("assessment_breakdown")
@require_GET
@reads_from_replica
def assessment_breakdown(request):
    now = timezone.now()
    period = _month(request.GET.get("period", ""), timezone.localdate(now))
    if request.user.role == Role.UNIT_HANDLER:
        # Only its own unit: another unit's code in the query is ignored.
        unit = request.user.unit
        units = []
    else:
        units = list(Unit.objects.filter(active=True, parent=None).order_by("code"))
        code = request.GET.get("unit", "")
        unit = next((u for u in units if u.code == code), units[0] if units else None)
        if unit is None:
            raise Http404("没有成员单位")
    # The office sees every unit's row, ranked within its class (SPEC 5, 分档分类); a unit
    # handler only its own.
    items = None
    if request.user.role != Role.UNIT_HANDLER:
        items, _ = unit_assessment(start=period.start, end=period.end, made_at=now)
    breakdown = unit_breakdown(
        unit=unit, start=period.start, end=period.end, made_at=now, items=items
    )
    context = {
        "unit": unit,
        "units": units,
        "period": period,
        "breakdown": breakdown,
        "classes": by_class(items) if items is not None else [],
        "may_appeal": request.user.role == Role.UNIT_HANDLER,
        "kinds": AppealKind.choices(),
        "allowed": ALLOWED_TEXT,
    }
    return render(request, "web/assessment/breakdown.html", context)


@page("appeal_file")
@require_POST
def appeal_file(request, number: str):
    order = visible_order_or_404(number, request.user)
    form = AppealForm(request.POST)
    back = f"{reverse('web:assessment_breakdown')}?period={request.POST.get('period', '')}"
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        messages.error(request, f"工单 {number}：{first}")
        return redirect(back)
    try:
        appeal_with_attachments(
            order=order,
            actor=request.user,
            kind=form.cleaned_data["kind"],
            reason=form.cleaned_data["reason"],
            files=request.FILES.getlist("files"),
        )
    except DomainError as refusal:
        messages.error(request, f"工单 {number}：{refusal.message}")
    else:
        messages.success(request, f"工单 {number}：申诉已提交，等待热线办裁定")
    return redirect(back)


@page("appeal_queue")
@require_GET
def appeal_queue(request):
    rows = list(pending_appeals(viewer=request.user)[:200])
    return render(
        request,
        "web/assessment/appeals.html",
        {"rows": rows, "decisions": AppealDecision.choices()},
    )


@page("appeal_decide")
@require_POST
def appeal_decide(request, number: str):
    """The office's decision settles the order's oldest pending appeal (the ``appeal``
    event, SPEC 4)."""
    order = visible_order_or_404(number, request.user)
    decision = request.POST.get("decision", "")
    if not pending_appeals(viewer=request.user).filter(order=order).exists():
        messages.error(request, f"工单 {number}：没有待裁定的申诉（可能已由他人裁定）")
    elif decision not in {member.value for member in AppealDecision}:
        messages.error(request, "请选择裁定结果（申诉成立或申诉驳回）")
    else:
        try:
            order_appeal(
                order=order,
                decision=decision,
                reason=request.POST.get("note", "").strip(),
                actor=request.user,
            )
        except DomainError as refusal:
            messages.error(request, f"工单 {number}：{refusal.message}")
        else:
            messages.success(request, f"工单 {number}：{AppealDecision(decision).label}")
    return redirect("web:appeal_queue")


urls = [
    path("assessment/", assessment_breakdown, name="assessment_breakdown"),
    path("assessment/appeal/<str:number>/", appeal_file, name="appeal_file"),
    path("assessment/appeals/", appeal_queue, name="appeal_queue"),
    path("assessment/appeals/<str:number>/decide/", appeal_decide, name="appeal_decide"),
]
