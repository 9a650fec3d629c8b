"""The dispatcher's queue: new orders to dispatch, returns to review, difficult orders
and orders to re-dispatch. Every form on it posts to the shared order action path."""

from dataclasses import dataclass, field

from django.shortcuts import render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from hotline.domain.enums import EmergencyService, ReturnDecision, Status
from hotline.domain.lifecycle import OrderState
from hotline.orders.models import Order
from hotline.orders.selectors import order_state
from hotline.orders.selectors import queues as q
from hotline.orders.selectors.sign_for import with_sign_for
from hotline.web.access import may_open, page
from hotline.web.export import order_export, wants_export
from hotline.web.forms.dispatch import RedispatchFilter
from hotline.web.paging import keyset_page, ordered

TABS = [
    ("pending", "待派单"),
    ("returned", "退单待审"),
    ("difficult", "疑难工单"),
    ("redispatch", "改派"),
]
COUNTED = ("pending", "returned", "difficult")


@dataclass
class Row:
    """One order of the queue and what the dispatcher may do with it now."""

    order: Order
    state: OrderState
    suggestion: q.Suggestion | None = None
    returned: q.ReturnNote | None = None
    # The assignment the row offers: the action slug and its fixed fields.
    assign: str = ""
    assign_label: str = ""
    fixed: list[tuple[str, str]] = field(default_factory=list)
    refuse_return: bool = False
    quick: bool = False  # the suggestion can be taken as it is
    picking: bool = False  # the full unit form is open
    pick_url: str = ""
    returned_by: list[str] = field(default_factory=list)  # unit names, in order


def unit_search_url() -> str | None:
    """The unit picker, when the pickers are installed; the plain list otherwise."""
    try:
        return reverse("web:unit_search")
    except NoReverseMatch:
        return None


def queue_context(request, *, tab: str, tabs, counted, form, listing, rows) -> dict:
    """What a tabbed queue page shows (the dispatch queue and the supervision desk): its
    tabs with their counts, the filter form, the page of rows, and the units to pick a
    lead from when a row is being assigned."""
    picking = any(r.picking for r in rows)
    search_url = unit_search_url() if picking else None
    counts = q.queue_counts(viewer=request.user, queues=counted)
    return {
        "tab": tab,
        "tab_label": dict(tabs)[tab],
        "tabs": [(name, text, counts.get(name)) for name, text in tabs],
        "form": form,
        "page": listing,
        "rows": rows,
        "unit_search_url": search_url,
        "units": q.assignable_units() if picking and not search_url else (),
        "back": url_with(request, drop=["pick"]),
    }


def url_with(request, drop=(), **changes) -> str:
    """This page's path and query with ``drop`` removed and ``changes`` set."""
    params = {k: v for k, v in request.GET.lists() if k not in drop and k not in changes}
    params.update({name: [value] for name, value in changes.items()})
    return f"{request.path}?{urlencode(params, doseq=True)}" if params else request.path


def _offer(row: Row) -> None:
    """Which assignment the row's state allows (the service still decides)."""
    status, state = row.order.status, row.state
    if state.consultation:
        # Nothing can be re-assigned while a consultation is open.
        row.refuse_return = status == Status.RETURNED
        return
    current = row.returned.unit if status == Status.RETURNED and row.returned else state.lead
    if status == Status.REGISTERED:
        row.assign, row.assign_label = "dispatch", "派单"
        current = None
    elif status == Status.RETURNED:
        row.assign, row.assign_label = "return-review", "同意退单并改派"
        row.fixed = [("decision", ReturnDecision.ACCEPT.value)]
        row.refuse_return = True
    else:
        row.assign, row.assign_label = "redispatch", "改派"
    row.quick = bool(row.assign and row.suggestion and row.suggestion.lead.code != current)


def rows_for(request, tab: str, orders: list[Order]) -> list[Row]:
    picked = request.GET.get("pick", "")
    rows = [Row(order=o, state=order_state(o)) for o in orders]
    suggestions = q.suggestions_for(orders)
    returns = q.last_returns_for(orders) if tab in ("returned", "difficult") else {}
    names = q.unit_names(code for r in rows for code in r.state.returned_by)
    for row in rows:
        row.suggestion = suggestions.get(row.order.pk)
        row.returned = returns.get(row.order.pk)
        row.returned_by = [names.get(code, code) for code in row.state.returned_by]
        _offer(row)
        row.picking = bool(row.assign) and row.order.number == picked
        row.pick_url = url_with(request, pick=row.order.number) + f"#o-{row.order.number}"
    return rows


def _orders(request, tab: str, form: RedispatchFilter | None):
    """The tab's orders, each tab paged by when they were received."""
    viewer = request.user
    if tab == "pending":
        return q.awaiting_dispatch(viewer=viewer)
    if tab == "returned":
        return q.awaiting_return_review(viewer=viewer)
    if tab == "difficult":
        return q.difficult_orders(viewer=viewer)
    status = Status(form.cleaned_data.get("status") or Status.IN_PROGRESS)
    return q.redispatchable(viewer=viewer, status=status, lead=form.cleaned_data.get("lead"))


@page("dispatch_queue")
@require_GET
def dispatch_queue(request):
    tabs = dict(TABS)
    tab = request.GET.get("tab", "pending")
    if tab not in tabs:
        tab = "pending"
    form = RedispatchFilter(request.GET) if tab == "redispatch" else None
    listing, rows, status = None, [], 200
    if form is None or form.is_valid():
        orders = _orders(request, tab, form)
        if wants_export(request):
            title = f"派单-{tabs[tab]}"
            return order_export(ordered(orders), viewer=request.user, title=title)
        listing = keyset_page(orders, cursor=request.GET.get("cursor"))
        with_sign_for(listing.rows, now=timezone.now())
        rows = rows_for(request, tab, listing.rows)
    else:
        status = 400
    context = queue_context(
        request, tab=tab, tabs=TABS, counted=COUNTED, form=form, listing=listing, rows=rows
    )
    context["to_desk"] = may_open(request.user.role, "supervision_desk")
    context["emergency_services"] = EmergencyService.choices()
    return render(request, "web/dispatch/queue.html", context, status=status)


urls = [path("dispatch/", dispatch_queue, name="dispatch_queue")]
