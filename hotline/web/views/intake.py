"""The operator's screen (SPEC 3): one call registered and decided in one step, the
caller's earlier orders, the knowledge-base box, and splitting a call into orders.

Every outcome button registers the order and decides it in one transaction
(``orders.services.intake_desk``): a refused decision leaves nothing written and the
form comes back as typed. "转派" first shows the dispatch catalogue's lead and
co-units; the operator confirms them (or picks others) and the order goes straight
to the unit, or leaves it to the dispatcher.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from hotline.calls.selectors import pop_start, seat_of
from hotline.directory.selectors import catalogue_suggestion
from hotline.directory.selectors_search import (
    UnitOption,
    categories_by_code,
    regions_by_code,
    unit_options,
)
from hotline.domain.errors import DomainError
from hotline.domain.text_input import phone_typed
from hotline.knowledge.selectors import article_search
from hotline.orders.models import Order
from hotline.orders.selectors import order_get, order_state
from hotline.orders.selectors.callers import caller_orders
from hotline.orders.services import intake_desk
from hotline.orders.services.intake import order_register, order_split
from hotline.web.access import page
from hotline.web.forms.intake import (
    ACTIONS,
    SPLIT_MAX,
    SPLIT_MIN,
    IntakeForm,
    SplitFormSet,
    classification_initial,
)
from hotline.web.views.order_actions import visible_order_or_404

# Fewer digits than a local landline number cannot name one caller.
CALLER_MIN_DIGITS = 7
KNOWLEDGE_QUERY_MAX = 100
# The content field searched after a pause: its beginning says what the call is about.
KNOWLEDGE_CONTENT_MAX = 300

# The domain names the input it refuses; these are the form's names for them.
_FIELDS = {
    "reason": "reject_reason",
    "citizen.kind": "citizen_kind",
    "to": "transfer_to",
    "note": "transfer_note",
}


@dataclass(frozen=True)
class DispatchStep:
    """The units shown for confirmation before a registered call is dispatched."""

    suggested_lead: UnitOption | None  # from the dispatch catalogue
    suggested_co: list[UnitOption]
    suggested_basis: str  # the catalogue rule's basis (SPEC 2, 2026-12)
    lead_options: list[UnitOption]
    lead_selected: set[str]
    co_options: list[UnitOption]
    co_selected: set[str]


def dispatch_step(form) -> DispatchStep:
    """The units for the classification ``form`` holds (the intake screen's or the
    intake review's: both name their fields alike)."""
    data = getattr(form, "cleaned_data", {})
    suggestion = catalogue_suggestion(category=data.get("category"), region=data.get("region"))
    suggested_lead, suggested_co = None, []
    if suggestion is not None:
        lead, co_units = suggestion.lead, suggestion.co_units
        codes = [lead.code, *(u.code for u in co_units)]
        by_code = {option.code: option for option in unit_options(codes=codes)}
        suggested_lead = by_code[lead.code]
        suggested_co = [by_code[u.code] for u in co_units]
    if form.confirming:  # shown again after a refusal: what the operator chose
        lead_codes = [form.data.get("lead", "")]
        co_codes = form.data.getlist("co_units")
    else:
        lead_codes = [suggested_lead.code] if suggested_lead else []
        co_codes = [option.code for option in suggested_co]
    return DispatchStep(
        suggested_lead=suggested_lead,
        suggested_co=suggested_co,
        suggested_basis=suggestion.basis if suggestion else "",
        lead_options=unit_options(codes=lead_codes),
        lead_selected={c for c in lead_codes if c},
        co_options=unit_options(codes=co_codes),
        co_selected={c for c in co_codes if c},
    )


def form_pickers(form) -> dict:
    """The category and region a form has chosen, for its pickers to show checked."""
    chosen = {}
    for name, by_code in (("category", categories_by_code), ("region", regions_by_code)):
        code = form[name].value()
        code = code if isinstance(code, str) else ""
        chosen[name] = {"options": by_code(codes=[code]), "selected": {code} - {""}}
    return chosen


def outcome_context(form, *, status: int) -> dict:
    """What a page deciding an order's outcome shows besides its form (the intake screen
    and the intake review): the category chosen, and the dispatch step when asked for."""
    action = form.data.get("action") if form.is_bound else None
    step = None
    if action == "dispatch" and (form.confirming or status == 200):
        step = dispatch_step(form)
    return {
        "form": form,
        "pickers": form_pickers(form),
        "step": step,
    }


def _intake_page(request, form: IntakeForm, *, status: int = 200, done: Order | None = None):
    context = {
        **outcome_context(form, status=status),
        "done": done,
        "phone": form["phone"].value() or "",
        # SPEC 8: the operator's seat; a call answered there pops into this form.
        "seat": seat_of(viewer=request.user),
        "pop_after": pop_start(viewer=request.user),
    }
    return render(request, "web/intake/intake.html", context, status=status)


def _decide(action: str, *, actor, form: IntakeForm) -> Order:
    intake, data = form.intake(), form.cleaned_data
    if action == "answer":
        return intake_desk.order_answer_at_intake(
            actor=actor, intake=intake, article=data["article"].strip()
        )
    if action == "dispatch":
        return intake_desk.order_dispatch_at_intake(
            actor=actor, intake=intake, lead=data["lead"], co_units=list(data["co_units"])
        )
    if action == "reject":
        return intake_desk.order_reject_at_intake(
            actor=actor, intake=intake, reason=data["reject_reason"]
        )
    if action == "transfer":
        return intake_desk.order_transfer_at_intake(
            actor=actor, intake=intake, to=data["transfer_to"], note=data["transfer_note"]
        )
    if action == "harassment":
        return intake_desk.order_harassment_at_intake(actor=actor, intake=intake)
    if action == "invalid":
        return intake_desk.order_invalid_at_intake(actor=actor, intake=intake)
    return order_register(actor=actor, intake=intake)  # "queue": the dispatcher decides


def _outcome(action: str, order: Order) -> str:
    if action == "dispatch":
        return f"工单 {order.number} 已登记并转派至「{order.lead_unit}」"
    if action == "queue":
        return f"工单 {order.number} 已登记，等待派单员派单"
    if action == "reject":
        return f"工单 {order.number} 已登记为不予受理（{order.get_reject_reason_display()}）"
    if action == "answer":
        return f"工单 {order.number} 已登记并当场答复"
    if action == "transfer":
        return f"工单 {order.number} 已登记为即时转办（{order_state(order).transferred_to.label}）"
    return f"工单 {order.number} 已记录为{ACTIONS[action]}"


def _refused(form: IntakeForm, error: DomainError) -> None:
    field = _FIELDS.get(getattr(error, "field", ""), getattr(error, "field", None))
    form.add_error(field if field in form.fields else None, error.message)


def _done(request) -> Order | None:
    """The order registered just before, shown above the empty form."""
    number = request.GET.get("done", "")
    if not number:
        return None
    try:
        return order_get(number=number, viewer=request.user)
    except Order.DoesNotExist:
        return None


@page("intake")
@require_http_methods(["GET", "POST"])
def intake(request):
    if request.method == "GET":
        # A number to call about, from the missed-call list: the form starts with it.
        initial = {"phone": phone_typed(request.GET.get("phone", ""))[:30]}
        form = IntakeForm(initial=initial)
        return _intake_page(request, form, done=_done(request))
    form = IntakeForm(request.POST)
    if not form.is_valid():
        return _intake_page(request, form, status=400)
    action = form.cleaned_data["action"]
    if action == "dispatch" and not form.confirming:
        return _intake_page(request, form)  # the dispatch step: nothing written yet
    try:
        order = _decide(action, actor=request.user, form=form)
    except DomainError as error:
        _refused(form, error)
        return _intake_page(request, form, status=400)
    messages.success(request, _outcome(action, order))
    return redirect(f"{reverse('web:intake')}?{urlencode({'done': order.number})}")


@page("caller_lookup")
@require_GET
def caller_lookup(request):
    phone = phone_typed(request.GET.get("phone", ""))[:30]
    history = None
    if len(phone) >= CALLER_MIN_DIGITS:
        history = caller_orders(viewer=request.user, phone=phone)
    return render(request, "web/intake/caller.html", {"phone": phone, "history": history})


@page("knowledge_search")
@require_GET
def knowledge_search(request):
    """The knowledge-base box: what the operator typed there or, when the box is empty,
    the call's content so far; published articles ranked by relevance."""
    query = request.GET.get("q", "").strip()[:KNOWLEDGE_QUERY_MAX]
    if not query:
        query = request.GET.get("content", "").strip()[:KNOWLEDGE_CONTENT_MAX]
    hits = article_search(viewer=request.user, query=query) if query else []
    return render(request, "web/intake/knowledge.html", {"query": query, "hits": hits})


# --- split ----------------------------------------------------------------------------


def _split_page(request, order: Order, formset, *, status: int = 200, error: str = ""):
    parts = [{"form": form, "pickers": form_pickers(form)} for form in formset]
    context = {
        "order": order,
        "formset": formset,
        "parts": parts,
        "error": error,
        "split_into": order_state(order).split_into,
        "counts": range(SPLIT_MIN, SPLIT_MAX + 1),
    }
    return render(request, "web/intake/split.html", context, status=status)


def _part_count(text: str) -> int:
    try:
        return min(max(int(text), SPLIT_MIN), SPLIT_MAX)
    except ValueError:
        return SPLIT_MIN


def _version(text: str) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


@page("intake")
@require_http_methods(["GET", "POST"])
def split(request, number: str):
    order = visible_order_or_404(number, request.user)
    if request.method == "GET":
        shared = classification_initial(order)
        count = _part_count(request.GET.get("parts", ""))
        formset = SplitFormSet(initial=[shared] * count)
        return _split_page(request, order, formset)
    formset = SplitFormSet(request.POST)
    if not formset.is_valid():
        return _split_page(request, order, formset, status=400)
    try:
        created = order_split(
            order=order,
            parts=[form.intake(original=order) for form in formset],
            actor=request.user,
            expected_version=_version(request.POST.get("version")),
        )
    except DomainError as error:
        return _split_page(request, order, formset, status=400, error=error.message)
    numbers = "、".join(o.number for o in created)
    messages.success(request, f"工单 {order.number} 已拆为 {len(created)} 张工单：{numbers}")
    return redirect("web:order_split", number=order.number)


urls = [
    path("intake/", intake, name="intake"),
    path("intake/caller/", caller_lookup, name="caller_lookup"),
    path("intake/knowledge/", knowledge_search, name="knowledge_search"),
    path("orders/<str:number>/split/", split, name="order_split"),
]
