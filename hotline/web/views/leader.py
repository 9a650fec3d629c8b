"""The leader dashboard (the supervisor's too): today's and this month's headline
figures with first-dispatch accuracy, the surges of today and yesterday, overdue orders
by unit, the units whose first dispatches came back most, the latest supervised and
urgent orders, and an instruction box.

The instruction box takes an order number and the text; once the number is checked
(an order the viewer may see), the post goes on to the shared action path as the
``instruct`` action, so an instruction is recorded exactly as from the order's page.
"""

from datetime import datetime, time, timedelta

from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from hotline.assistance.selectors import dispatch_choices
from hotline.domain.deadlines import LOCAL_TZ
from hotline.orders.selectors.dashboard import (
    headline_figures,
    latest_supervised,
    latest_urgent,
    overdue_by_unit,
    overdue_count,
)
from hotline.statistics.first_dispatch import (
    MONTH_SECONDS,
    RANKED_MIN_DISPATCHED,
    FirstDispatch,
    first_dispatch_overview,
)
from hotline.statistics.surges import current_surges
from hotline.web.access import page
from hotline.web.forms.leader import InstructionForm
from hotline.web.views.order_actions import order_action


def percent(rate: float | None) -> str:
    """SPEC 7: rates as percentages with two decimals; no denominator, no rate."""
    return "—" if rate is None else f"{rate * 100:.2f}%"


def _figure_rows(today, month, first: FirstDispatch) -> list[tuple[str, str, str]]:
    return [
        ("受理", str(today.received), str(month.received)),
        ("转办", str(today.dispatched), str(month.dispatched)),
        ("办结", str(today.concluded), str(month.concluded)),
        ("按期办结率", percent(today.on_time_rate), percent(month.on_time_rate)),
        ("群众满意率", percent(today.satisfied_rate), percent(month.satisfied_rate)),
        ("首派准确率", percent(first.today), percent(first.month)),
    ]


@page("leader_dashboard")
@require_http_methods(["GET", "POST"])
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
    today, month = headline_figures(viewer=request.user, now=now)
    first_dispatch = first_dispatch_overview(today=day)
    month_start = datetime.combine(day.replace(day=1), time(), tzinfo=LOCAL_TZ)
    context = {
        "now": now,
        "day": day,
        "today": today,
        "month": month,
        "rows": _figure_rows(today, month, first_dispatch),
        "surges": current_surges(today=day),
        "first_dispatch": first_dispatch,
        "dispatch_choices": dispatch_choices(since=month_start, until=now + timedelta(seconds=1)),
        "ranked_min": RANKED_MIN_DISPATCHED,
        "month_minutes": MONTH_SECONDS // 60,
        "overdue": overdue_count(viewer=request.user, now=now),
        "overdue_units": overdue_by_unit(viewer=request.user, now=now),
        "supervised": latest_supervised(viewer=request.user),
        "urgent": latest_urgent(viewer=request.user),
        "form": form,
    }
    return render(request, "web/leader/dashboard.html", context, status=status)


urls = [path("leader/", leader_dashboard, name="leader_dashboard")]
