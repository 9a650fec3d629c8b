"""The leader dashboard (the supervisor's too): today's and this month's headline
figures with first-dispatch accuracy, the surges of today and yesterday, overdue orders
by unit, the units whose first dispatches came back most, the latest supervised and
urgent orders, and an instruction box.

The instruction box takes an order number and the text; once the number is checked
(an order the viewer may see), the post goes on to the shared action path as the
``instruct`` action, so an instruction is recorded exactly as from the order's page.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from hotline.assistance.selectors import dispatch_choices
from hotline.domain.deadlines import LOCAL_TZ
from hotline.governance.selectors import DASHBOARD_TOPICS, dashboard_topics
from hotline.operations.replica import reads_from_replica
from hotline.orders.selectors.dashboard import (
    latest_supervised,
    latest_urgent,
    overdue_by_unit,
    overdue_count,
)
from hotline.statistics.document import report_session
from hotline.statistics.first_dispatch import (
    RANKED_MIN_DISPATCHED,
    FirstDispatch,
    first_dispatch_overview,
)
from hotline.statistics.headline import Figures, headline_figures
from hotline.statistics.surges import current_surges
from hotline.statistics.trends import rate_trends
from hotline.web.access import page
from hotline.web.forms.leader import InstructionForm
from hotline.web.trend_chart import trend_chart
from hotline.web.views.order_actions import order_action


def percent(rate: float | None) -> str:
    """SPEC 7: rates as percentages with two decimals; no denominator, no rate."""
    return "—" if rate is None else f"{rate * 100:.2f}%"


@dataclass(frozen=True)
class Cell:
    """A figure as shown, and (for a rate) its numerator and denominator on hover."""

    text: str
    title: str = ""


def rate_cell(numerator: int, denominator: int, numerator_name: str, denominator_name: str):
    shown = percent(numerator / denominator) if denominator else "—"
    return Cell(shown, f"{numerator_name} {numerator} / {denominator_name} {denominator}")


def _figure_rows(
    today: Figures, month: Figures, first: FirstDispatch
) -> list[tuple[str, list[Cell]]]:
    """Each figure for today and for the month (按期办结率: SPEC 5's, over the orders
    that fell due)."""
    rows = [
        ("受理", Cell(str(today.received)), Cell(str(month.received))),
        ("转办", Cell(str(today.dispatched)), Cell(str(month.dispatched))),
        ("办结", Cell(str(today.concluded)), Cell(str(month.concluded))),
        (
            "按期办结率",
            *(rate_cell(f.on_time, f.due, "按期办结", "应办结") for f in (today, month)),
        ),
        (
            "群众满意率",
            *(
                rate_cell(f.satisfied, f.reached, "满意及基本满意", "回访联系上")
                for f in (today, month)
            ),
        ),
        (
            "首派准确率",
            *(
                rate_cell(f.kept, f.dispatched, "首派未被退回或改派", "转办")
                for f in (first.today, first.month)
            ),
        ),
    ]
    return [(name, list(cells)) for name, *cells in rows]


@page("leader_dashboard")
@require_http_methods(["GET", "POST"])
@reads_from_replica
def leader_dashboard(request):
    form = InstructionForm(request.POST or None, viewer=request.user)
    if request.method == "POST":
        if form.is_valid():
            return order_action(request, number=form.cleaned_data["number"], slug="instruct")
        status = 400
    else:
        status = 200
    now = timezone.now()
    day = now.astimezone(LOCAL_TZ).date()
    # The figures, the trends and the surges from one reading of the stored per-day counts.
    with report_session():
        today, month = headline_figures(today=day)
        trends = rate_trends(today=day, month=month)
        surges = current_surges(today=day)
        first_dispatch = first_dispatch_overview(today=day)
    month_start = datetime.combine(day.replace(day=1), time(), tzinfo=LOCAL_TZ)
    context = {
        "now": now,
        "day": day,
        "today": today,
        "month": month,
        "rows": _figure_rows(today, month, first_dispatch),
        "trends": [trend_chart(t) for t in trends],
        "surges": surges,
        "first_dispatch": first_dispatch,
        "dispatch_choices": dispatch_choices(since=month_start, until=now + timedelta(seconds=1)),
        "ranked_min": RANKED_MIN_DISPATCHED,
        "overdue": overdue_count(viewer=request.user, now=now),
        "overdue_units": overdue_by_unit(viewer=request.user, now=now),
        "supervised": latest_supervised(viewer=request.user),
        "urgent": latest_urgent(viewer=request.user),
        "topics": dashboard_topics(viewer=request.user),
        "topics_shown": DASHBOARD_TOPICS,
        "form": form,
    }
    return render(request, "web/leader/dashboard.html", context, status=status)


urls = [path("leader/", leader_dashboard, name="leader_dashboard")]
