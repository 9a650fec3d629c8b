"""The operators' intake review (SPEC 3, 2026-12): the online orders waiting to be
classified, and one order's review — its classification and outcome in one step.

"转派" first shows the dispatch catalogue's units for the classification given (as
the intake screen does); the operator confirms them or picks others.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from hotline.domain.errors import DomainError
from hotline.orders.models import Order
from hotline.orders.selectors import order_state
from hotline.orders.selectors import queues as q
from hotline.orders.services import dispatch, intake
from hotline.orders.services.intake_review import order_review
from hotline.web.access import page
from hotline.web.forms.intake import classification_initial
from hotline.web.forms.intake_review import OUTCOMES, ReviewForm
from hotline.web.paging import keyset_page
from hotline.web.views.intake import outcome_context
from hotline.web.views.order_actions import visible_order_or_404

# The domain names the input it refuses; these are the form's names for them.
_FIELDS = {"reason": "reject_reason", "to": "transfer_to", "note": "transfer_note"}


@page("intake_review")
@require_GET
def intake_review(request):
    listing = keyset_page(
        q.awaiting_intake_review(viewer=request.user), cursor=request.GET.get("cursor")
    )
    return render(request, "web/intake/review_queue.html", {"page": listing})


def _review_page(request, order: Order, form: ReviewForm, *, status: int = 200):
    context = {
        **outcome_context(form, status=status),
        "order": order,
        "in_review": order_state(order).in_review,
    }
    return render(request, "web/intake/review.html", context, status=status)


def _outcome(action: str, data: dict, actor):
    """The order service the outcome calls, as ``order_review`` takes it."""
    if action == "dispatch":
        return lambda order, version: dispatch.order_dispatch(
            order=order,
            lead=data["lead"],
            co_units=list(data["co_units"]),
            actor=actor,
            expected_version=version,
        )
    if action == "answer":
        return lambda order, version: intake.order_answer(
            order=order, text=data["text"], actor=actor, expected_version=version
        )
    if action == "reject":
        return lambda order, version: intake.order_reject(
            order=order, reason=data["reject_reason"], actor=actor, expected_version=version
        )
    if action == "transfer":
        return lambda order, version: intake.order_transfer(
            order=order,
            to=data["transfer_to"],
            note=data["transfer_note"],
            actor=actor,
            expected_version=version,
        )
    return None  # "queue": classified, the dispatcher decides


def _done(action: str, order: Order) -> str:
    if action == "dispatch":
        return f"工单 {order.number} 已审核并转派至「{order.lead_unit}」"
    if action == "queue":
        return f"工单 {order.number} 已审核，等待派单员派单"
    return f"工单 {order.number} 已审核：{OUTCOMES[action]}"


@page("intake_review")
@require_http_methods(["GET", "POST"])
def intake_review_order(request, number: str):
    order = visible_order_or_404(number, request.user)
    if request.method == "GET":
        initial = {"version": order.version, **classification_initial(order)}
        return _review_page(request, order, ReviewForm(initial=initial))
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _review_page(request, order, form, status=400)
    action = form.cleaned_data["action"]
    if action == "dispatch" and not form.confirming:
        return _review_page(request, order, form)  # the dispatch step: nothing written yet
    try:
        done = order_review(
            order=order,
            actor=request.user,
            classification=form.classification(),
            outcome=_outcome(action, form.cleaned_data, request.user),
            expected_version=form.cleaned_data["version"],
        )
    except DomainError as error:
        field = _FIELDS.get(getattr(error, "field", ""), getattr(error, "field", None))
        form.add_error(field if field in form.fields else None, error.message)
        return _review_page(request, order, form, status=400)
    messages.success(request, _done(action, done))
    return redirect("web:intake_review")


urls = [
    path("intake/review/", intake_review, name="intake_review"),
    path("intake/review/<str:number>/", intake_review_order, name="intake_review_order"),
]
