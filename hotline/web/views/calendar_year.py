"""The administrator enters a whole year's holiday schedule (SPEC 4, 2026-12): paste the
State Council's notice or upload a file, see the schedule, then save it whole."""

import csv
import io
from datetime import date

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from hotline.configuration.schedule_files import schedule_rows
from hotline.configuration.selectors import year_awaiting_schedule
from hotline.domain.calendar import WorkingCalendar
from hotline.domain.holiday_notice import InvalidSchedule, YearSchedule, parse_notice, parse_rows
from hotline.orders.services.calendar_year import holiday_year_enter
from hotline.web.access import page
from hotline.web.forms.calendar_year import HolidayYearForm, HolidayYearSaveForm


@page("calendar_year")
@require_http_methods(["GET", "POST"])
def calendar_year(request):
    today = timezone.localdate()
    status, schedule = 200, None
    form = HolidayYearForm(initial={"year": year_awaiting_schedule(today=today) or today.year + 1})
    if request.method == "POST" and request.POST.get("op") == "save":
        saving = HolidayYearSaveForm(request.POST)
        if saving.is_valid():
            try:
                schedule = _from_rows(saving.cleaned_data["rows"], saving.cleaned_data["year"])
            except InvalidSchedule as error:
                _problems(request, error)
            else:
                entered = holiday_year_enter(schedule=schedule, actor=request.user)
                messages.success(
                    request,
                    f"已保存 {entered.year} 年节假日安排（{entered.rows} 天），"
                    f"重算了 {len(entered.moved)} 件工单的时限",
                )
                return redirect(f"{reverse('web:calendar_settings')}?year={entered.year}")
        else:
            for errors in saving.errors.values():
                for error in errors:
                    messages.error(request, error)
        status = 400
    elif request.method == "POST":
        form = HolidayYearForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                schedule = _parsed(form.cleaned_data)
            except InvalidSchedule as error:
                _problems(request, error)
                status = 400
        else:
            status = 400
    context = {"form": form, "schedule": schedule}
    if schedule is not None:
        context.update(
            rows=_as_rows(schedule),
            working_days=_working_days(schedule),
        )
    return render(request, "web/office/calendar_year.html", context, status=status)


def _parsed(data) -> YearSchedule:
    year = data["year"]
    upload = data.get("file")
    if upload is not None:
        return parse_rows(schedule_rows(upload.name, upload.read()), year=year)
    return parse_notice(data["notice"], year=year)


def _from_rows(text: str, year: int) -> YearSchedule:
    return parse_rows(enumerate(csv.reader(io.StringIO(text)), start=1), year=year)


def _as_rows(schedule: YearSchedule) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for entry in schedule.days.values():
        writer.writerow([entry.day.isoformat(), "work" if entry.workday else "rest", entry.name])
    return out.getvalue()


def _working_days(schedule: YearSchedule) -> int:
    """The year's working days once saved (unlisted days: the package's, else weekdays)."""
    year = schedule.year
    return WorkingCalendar(schedule.table()).working_days_between(
        date(year - 1, 12, 31), date(year, 12, 31)
    )


def _problems(request, error: InvalidSchedule) -> None:
    for problem in error.problems:
        messages.error(request, str(problem) if problem.line else problem.reason)


urls = [path("office/calendar/year/", calendar_year, name="calendar_year")]
