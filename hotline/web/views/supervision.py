"""The supervisor's desk: replies to review, extension requests, difficult orders,
orders to supervise, spot checks and appeals. Every form on it posts to the shared
order action path; each tab shows only the actions its orders' state allows."""

from dataclasses import dataclass, field
from datetime import timedelta

from django import forms
from django.shortcuts import render
from django.urls import path
from django.utils.timezone import now
from django.views.decorators.http import require_GET

from hotline.domain.enums import (
    AppealDecision,
    CallbackResult,
    ExtensionDecision,
    PauseDecision,
    Status,
    SupervisionLevel,
)
from hotline.domain.lifecycle import OrderState
from hotline.orders.models import Order, Reply
from hotline.orders.selectors import order_state
from hotline.orders.selectors import queues as q
from hotline.web.access import page
from hotline.web.paging import keyset_page
from hotline.web.views.dispatch import unit_search_url, url_with

TABS = [
    ("review", "答复审核"),
    ("extensions", "延期申请"),
    ("pauses", "暂停审批"),
    ("difficult", "疑难件"),
    ("supervision", "督办"),
    ("spot_checks", "抽查"),
    ("appeals", "申诉"),
]
COUNTED = ("review", "difficult")

# How far ahead the supervision list looks for deadlines (overdue ones always shown).
HORIZONS = {"overdue": timedelta(0), "day": timedelta(days=1), "three": timedelta(days=3)}


class SuperviseFilter(forms.Form):
    due = forms.ChoiceField(
        label="办理时限",
        required=False,
        choices=[("overdue", "已超期"), ("day", "24小时内到期"), ("three", "3日内到期")],
        error_messages={"invalid_choice": "请选择列表中的时限范围"},
    )


class SpotCheckFilter(forms.Form):
    status = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[(s.value, s.label) for s in q.SPOT_CHECKED],
        error_messages={"invalid_choice": "请选择「已归档」或「已办结待回访」"},
    )


FILTERS = {"supervision": SuperviseFilter, "spot_checks": SpotCheckFilter}


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


def _listing(request, tab: str, filters: forms.Form | None):
    viewer, cursor = request.user, request.GET.get("cursor")
    if tab == "review":
        return keyset_page(q.awaiting_review(viewer=viewer), cursor=cursor)
    if tab == "extensions":
        return keyset_page(q.extension_requests(viewer=viewer), cursor=cursor, key="requested_at")
    if tab == "pauses":
        return keyset_page(q.pause_requests(viewer=viewer), cursor=cursor)
    if tab == "difficult":
        return keyset_page(q.difficult_orders(viewer=viewer), cursor=cursor)
    if tab == "supervision":
        until = now() + HORIZONS[filters.cleaned_data.get("due") or "day"]
        return keyset_page(q.due_by(viewer=viewer, until=until), cursor=cursor, key="deadline")
    if tab == "spot_checks":
        status = Status(filters.cleaned_data.get("status") or Status.CLOSED)
        orders = q.spot_check_candidates(viewer=viewer, status=status)
        return keyset_page(orders, cursor=cursor, descending=True)
    return keyset_page(
        q.appeals_awaiting(viewer=viewer), cursor=cursor, key="rated_at", descending=True
    )


def rows_for(request, tab: str, orders: list[Order]) -> list[Row]:
    rows = [Row(order=o, state=order_state(o)) for o in orders]
    if tab == "review":
        replies = q.latest_replies_for(orders)
        for row in rows:
            row.reply = replies.get(row.order.pk)
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
        listing = _listing(request, tab, filters)
        rows = rows_for(request, tab, listing.rows)
    else:
        status = 400
    picking = any(r.picking for r in rows)
    search_url = unit_search_url() if picking else None
    counts = q.queue_counts(viewer=request.user, queues=COUNTED)
    context = {
        "tab": tab,
        "tab_label": tabs[tab],
        "tabs": [(name, text, counts.get(name)) for name, text in TABS],
        "form": filters,
        "page": listing,
        "rows": rows,
        "back": url_with(request, drop=["pick"]),
        "unit_search_url": search_url,
        "units": q.assignable_units() if picking and not search_url else (),
        "levels": SupervisionLevel.choices(),
        "results": CallbackResult.choices(),
        "extension_decisions": ExtensionDecision.choices(),
        "pause_decisions": PauseDecision.choices(),
        "appeal_decisions": AppealDecision.choices(),
    }
    return render(request, "web/supervision/desk.html", context, status=status)


urls = [path("supervision/", supervision_desk, name="supervision_desk")]
