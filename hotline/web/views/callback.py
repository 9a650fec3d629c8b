"""The callback queue (SPEC 4 and 6): concluded orders to call back, oldest first, each
with the reply's files and the unit's contacts with the citizen, its callback form (with
the agent's note), the two discipline questions and the logged 「显示号码」; then
the orders to close. The forms post to the shared ``order_action`` path.

The awaited callbacks are split by who is to make them (回访分配): the lead ticks orders
and assigns them to an agent, an agent takes unassigned ones or gives back their own,
all through the shared batch path (``order_batch_action``), each order on its own."""

from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from hotline.attachments.selectors import reply_evidence
from hotline.domain.callback_assignment import LEADS
from hotline.domain.enums import CallbackResult, Solved
from hotline.orders.selectors.callbacks import (
    AWAITING_TABS,
    callback_agents,
    callback_counts,
    callback_orders,
    callback_tabs,
)
from hotline.web.access import page
from hotline.web.export import order_export, wants_export
from hotline.web.paging import keyset_page, ordered


@page("callback_queue")
@require_GET
def callback_queue(request):
    now = timezone.now()
    tabs = callback_tabs(viewer=request.user)
    counts = callback_counts(viewer=request.user, tabs=tabs, now=now)
    tab = next((t for t in tabs if t.name == request.GET.get("tab")), None)
    if tab is None:
        # An agent with nothing of their own starts at the unassigned.
        tab = tabs[1] if tabs[0].name == "mine" and not counts["mine"] else tabs[0]
    rows = callback_orders(viewer=request.user, tab=tab.name, now=now)
    if wants_export(request):
        title = f"回访-{tab.label}"
        return order_export(ordered(rows), viewer=request.user, title=title, citizen=True)
    listing = keyset_page(rows, cursor=request.GET.get("cursor"), key="received_at", ids_first=True)
    # The agent asks the citizen about what the unit says it did: its files and contacts.
    evidence = reply_evidence(orders=listing.rows)
    lead = request.user.role in LEADS
    context = {
        "tabs": [(t, counts[t.name]) for t in tabs],
        "tab": tab,
        "assigning": tab.name in AWAITING_TABS,
        "lead": lead,
        "agents": list(callback_agents()) if lead else [],
        "page": listing,
        "rows": [(order, evidence[order.pk]) for order in listing.rows],
        "results": CallbackResult.choices(),
        "solved_choices": Solved.choices(),
    }
    return render(request, "web/callback/queue.html", context)


urls = [
    path("callback/", callback_queue, name="callback_queue"),
]
