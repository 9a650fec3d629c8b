"""Live telephony pages (SPEC 8, 2026-12): signing in to a seat, the screen pop on the
intake page, the missed-call callback list (漏接回拨), the wallboard (大屏) and listening
to a call's recording (logged)."""

from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hotline.audit.models import AuditRecord
from hotline.audit.services import audit_record
from hotline.calls import live
from hotline.calls.models import Call, MissedCallCallback
from hotline.calls.selectors import (
    call_get,
    missed_call_list,
    missed_callbacks_per_day,
    screen_pop,
    seat_of,
    wallboard,
)
from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.errors import DomainError
from hotline.web.access import page
from hotline.web.forms.telephony import MissedCallbackForm, SeatForm
from hotline.web.views.order_actions import visible_order_or_404

# The missed-call list's daily figures: this many days back.
FIGURE_DAYS = 7


# --- seats and the screen pop ------------------------------------------------------------


@page("seat")
@require_http_methods(["GET", "POST"])
def seat(request):
    if request.method == "GET":
        context = {"seat": seat_of(viewer=request.user), "form": SeatForm()}
        return render(request, "web/telephony/seat.html", context)
    if request.POST.get("seat_action") == "sign_out":
        live.seat_sign_out(actor=request.user)
        messages.success(request, "已签出坐席，来电不再弹屏")
        return redirect("web:intake")
    form = SeatForm(request.POST)
    if form.is_valid():
        try:
            taken = live.seat_sign_in(actor=request.user, extension=form.cleaned_data["extension"])
        except DomainError as error:
            form.add_error("extension", error.message)
        else:
            messages.success(request, f"已签入坐席 {taken.extension}：接听的来电将自动弹屏")
            return redirect("web:intake")
    context = {"seat": seat_of(viewer=request.user), "form": form}
    return render(request, "web/telephony/seat.html", context, status=400)


def _after(text: str) -> int:
    try:
        return max(0, int(text))
    except (TypeError, ValueError):
        return 0


@page("screen_pop")
@require_GET
def screen_pop_view(request):
    """The intake page asks every 0.4 second; 204 (nothing to swap) until a call newer
    than the one shown is answered at the operator's seat."""
    call = screen_pop(viewer=request.user, after=_after(request.GET.get("after")))
    if call is None:
        return HttpResponse(status=204)
    context = {"call": call, "seat": seat_of(viewer=request.user)}
    return render(request, "web/telephony/pop.html", context)


# --- the missed-call list ------------------------------------------------------------------


def _missed_page(request, *, form=None, failed: int | None = None, status: int = 200):
    now = timezone.now()
    today = now.astimezone(LOCAL_TZ).replace(hour=0, minute=0, second=0, microsecond=0)
    context = {
        "entries": missed_call_list(viewer=request.user, now=now),
        "figures": missed_callbacks_per_day(
            start=today - timedelta(days=FIGURE_DAYS - 1), until=today + timedelta(days=1)
        ),
        "form": form or MissedCallbackForm(),
        "failed": failed,
    }
    return render(request, "web/telephony/missed.html", context, status=status)


@page("missed_calls")
@require_GET
def missed_calls(request):
    return _missed_page(request)


@page("missed_calls")
@require_POST
def missed_call_callback(request, pk: int):
    call = Call.objects.filter(pk=pk).first()
    if call is None:
        raise Http404
    form = MissedCallbackForm(request.POST)
    if form.is_valid():
        try:
            live.missed_call_callback_record(
                actor=request.user,
                call=call,
                result=form.cleaned_data["result"],
                order_number=form.cleaned_data["order_number"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            result = MissedCallCallback.Result(form.cleaned_data["result"]).label
            messages.success(request, f"已登记回拨 {call.caller}：{result}")
            return redirect("web:missed_calls")
    return _missed_page(request, form=form, failed=call.pk, status=400)


# --- the wallboard -------------------------------------------------------------------------


def _wallboard_context(request) -> dict:
    board = wallboard(viewer=request.user, now=timezone.now())
    return {"board": board, "now": timezone.now()}


@page("wallboard")
@require_GET
def wallboard_page(request):
    return render(request, "web/telephony/wallboard.html", _wallboard_context(request))


@page("wallboard")
@require_GET
def wallboard_live(request):
    return render(request, "web/telephony/wallboard_live.html", _wallboard_context(request))


# --- the recording -------------------------------------------------------------------------


@page("call_recording")
@require_POST
def call_recording(request, number: str):
    """Opens the recording of the order's call; every listening is in the audit trail."""
    order = visible_order_or_404(number, request.user)
    call = None
    if order.call_id:
        try:
            call = call_get(external_id=order.call_id)
        except Call.DoesNotExist:
            call = None
    if call is None or not call.recording:
        messages.error(request, "该工单没有通话录音")
        return redirect("web:order_detail", number=order.number)
    audit_record(
        action=AuditRecord.Action.RECORDING,
        actor=request.user,
        order=order,
        detail=f"来电 {call.external_id}",
        address=request.META.get("REMOTE_ADDR"),
    )
    return redirect(call.recording)


urls = [
    path("seat/", seat, name="seat"),
    path("intake/pop/", screen_pop_view, name="screen_pop"),
    path("calls/missed/", missed_calls, name="missed_calls"),
    path("calls/missed/<int:pk>/", missed_call_callback, name="missed_call_callback"),
    path("wallboard/", wallboard_page, name="wallboard"),
    path("wallboard/live/", wallboard_live, name="wallboard_live"),
    path("orders/<str:number>/recording/", call_recording, name="call_recording"),
]
