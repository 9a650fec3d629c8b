"""The holiday table (SPEC 1: supervisor and administrator): a year's days off and
make-up working days, by month."""

import calendar as month_grid
from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from hotline.configuration import selectors as configuration
from hotline.configuration.models import Holiday
from hotline.configuration.services import holiday_delete
from hotline.domain.calendar import WorkingCalendar
from hotline.domain.errors import DomainError
from hotline.orders.services.calendar_year import holiday_day_enter
from hotline.web.access import may_open, page
from hotline.web.forms.office import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    HolidayDeleteForm,
    HolidayForm,
)

GET_POST = require_http_methods(["GET", "POST"])


def _form_errors(form) -> list[str]:
    return [str(e) for errors in form.errors.values() for e in errors]


WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class Day:
    day: date
    working: bool
    row: Holiday | None  # the holiday table's row, when the office entered one


def _months(year: int, working_calendar: WorkingCalendar, rows: dict[date, Holiday]):
    """Twelve month grids (weeks from Monday) of the year's days; None pads a week."""
    grid = month_grid.Calendar(firstweekday=0)
    months = []
    for month in range(1, 13):
        weeks = [
            [
                Day(d, working_calendar.is_workday(d), rows.get(d)) if d.month == month else None
                for d in week
            ]
            for week in grid.monthdatescalendar(year, month)
        ]
        months.append({"month": month, "weeks": weeks})
    return months


def _year(text: str | None) -> int | None:
    if not text:
        return timezone.localdate().year
    try:
        year = int(text)
    except ValueError:
        return None
    return year if EARLIEST_YEAR <= year <= LATEST_YEAR else None


@page("calendar_settings")
@GET_POST
def calendar_settings(request):
    status = 200
    form = HolidayForm()
    year = _year(request.GET.get("year"))
    if year is None:
        messages.error(request, f"年份须为 {EARLIEST_YEAR}–{LATEST_YEAR} 之间的整数")
        year, status = timezone.localdate().year, 400

    if request.method == "POST" and request.POST.get("op") == "delete":
        removal = HolidayDeleteForm(request.POST)
        if removal.is_valid():
            day = removal.cleaned_data["day"]
            try:
                holiday_delete(day=day, actor=request.user)
            except DomainError as error:
                messages.error(request, error.message)
                status = 400
            else:
                messages.success(request, f"已删除 {day:%Y-%m-%d}，该日恢复按日历规则")
                return redirect(f"{reverse('web:calendar_settings')}?year={day.year}")
        else:
            for line in _form_errors(removal):
                messages.error(request, line)
            status = 400
    elif request.method == "POST":
        form = HolidayForm(request.POST)
        if form.is_valid():
            day = form.cleaned_data["day"]
            workday = form.cleaned_data["kind"] == "work"
            holiday_day_enter(
                day=day, workday=workday, name=form.cleaned_data["name"], actor=request.user
            )
            kind = "上班" if workday else "放假"
            messages.success(request, f"已保存：{day:%Y-%m-%d} {kind}")
            return redirect(f"{reverse('web:calendar_settings')}?year={day.year}")
        status = 400

    rows = {h.date: h for h in Holiday.objects.filter(date__year=year).order_by("date")}
    calendar = configuration.working_calendar()
    context = {
        "year": year,
        "years": [year - 1, year, year + 1],
        "rows": list(rows.values()),
        "form": form,
        "months": _months(year, calendar, rows),
        # SPEC 4: a year without its official schedule runs on the provisional calendar.
        "provisional": not calendar.covers(year),
        "may_enter_year": may_open(request.user.role, "calendar_year"),
        # Whether the packaged State Council schedule knows the year, table aside.
        "packaged": WorkingCalendar().covers(year),
        "weekdays": WEEKDAYS,
    }
    return render(request, "web/office/calendar.html", context, status=status)


urls = [
    path("office/calendar/", calendar_settings, name="calendar_settings"),
]
