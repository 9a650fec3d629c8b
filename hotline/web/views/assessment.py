"""The provisional assessment (SPEC 5, 2026-12): as soon as a month ends, each unit
handler sees its own unit's row and the breakdown of every point lost; the office sees
any unit's. Read-only: the figures come from ``statistics.assessment.unit_breakdown``."""

from datetime import date, timedelta

from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from hotline.directory.models import Unit
from hotline.domain.enums import Role
from hotline.domain.statistics import Period
from hotline.statistics.assessment import unit_breakdown
from hotline.web.access import page


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
    breakdown = unit_breakdown(unit=unit, start=period.start, end=period.end, made_at=now)
    context = {
        "unit": unit,
        "units": units,
        "period": period,
        "breakdown": breakdown,
        "provisional": True,
    }
    return render(request, "web/assessment/breakdown.html", context)


urls = [path("assessment/", assessment_breakdown, name="assessment_breakdown")]
