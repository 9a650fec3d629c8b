"""The office's own pages: the holiday table, the office settings, the
user accounts and the audit trail (SPEC 1: supervisor and administrator)."""

import calendar as month_grid
from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from hotline.accounts import services as accounts
from hotline.accounts.models import User
from hotline.audit.selectors import audit_recent
from hotline.configuration import selectors as configuration
from hotline.configuration.models import Holiday
from hotline.configuration.services import holiday_delete, setting_set
from hotline.directory.models import Category
from hotline.directory.selectors_search import units_by_code
from hotline.domain import office_settings
from hotline.domain.calendar import WorkingCalendar
from hotline.domain.enums import AppealType
from hotline.domain.errors import DomainError
from hotline.orders.services.calendar_year import holiday_day_enter
from hotline.web.access import may_open, page
from hotline.web.forms.office import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    AuditFilterForm,
    HolidayDeleteForm,
    HolidayForm,
    SettingForm,
    UserCreateForm,
    UserFilterForm,
    UserUpdateForm,
    setting_text,
)
from hotline.web.paging import keyset_page
from hotline.web.redirects import local_path

GET_POST = require_http_methods(["GET", "POST"])


def _back(request, default: str):
    """Back to the page the form was posted from (its filters and cursor kept)."""
    return redirect(local_path(request, request.POST.get("next")) or default)


def _form_errors(form) -> list[str]:
    return [str(e) for errors in form.errors.values() for e in errors]


# --- holiday table --------------------------------------------------------------------

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


# --- office settings ------------------------------------------------------------------


def _policy_summary():
    """The deadline policy, callback scope and assessment rule in force, for reading."""
    policy = configuration.deadline_policy()
    categories = dict(
        Category.objects.filter(code__in=list(policy.days_by_category)).values_list("code", "name")
    )
    return {
        "policy": policy,
        "appeal_days": [
            (AppealType(code).label, days) for code, days in policy.days_by_appeal_type.items()
        ],
        "category_days": [
            (code, categories.get(code, "（分类不存在）"), days)
            for code, days in sorted(policy.days_by_category.items())
        ],
        "yellow_percent": round(policy.yellow_fraction * 100, 1),
        "callback_scope": configuration.callback_scope(),
        "assessment": configuration.assessment_rule(),
    }


def _in_force(summary) -> dict[str, object]:
    """Each setting's value in force, stored or default, to start its field from."""
    if summary is None:
        return {}
    policy, rule = summary["policy"], summary["assessment"]
    return {
        "callback_scope": summary["callback_scope"].value,
        "sign_for_hours": policy.sign_for_hours,
        "urgent_sign_for_minutes": policy.urgent_sign_for_minutes,
        "urgent_reply_hours": policy.urgent_reply_hours,
        "days_by_appeal_type": dict(policy.days_by_appeal_type),
        "days_by_category": dict(policy.days_by_category),
        "default_days": policy.default_days,
        "office_hours_start": f"{policy.office_hours.start:%H:%M}",
        "office_hours_end": f"{policy.office_hours.end:%H:%M}",
        "yellow_fraction": policy.yellow_fraction,
        "assessment_weights": {
            "handled": rule.handled_weight,
            "on_time": rule.on_time_weight,
            "rework": rule.rework_weight,
            "satisfaction": rule.satisfaction_weight,
        },
        "grade_bounds": dict(rule.bounds),
    }


@page("office_settings")
@GET_POST
def office_settings_page(request):
    status = 200
    failed: SettingForm | None = None
    if request.method == "POST":
        key = request.POST.get("key", "")
        if key not in office_settings.KEYS:
            messages.error(request, f"没有名为「{key}」的配置项")
            status = 400
        else:
            form = SettingForm(request.POST, key=key)
            if form.is_valid():
                try:
                    setting_set(key=key, text=form.cleaned_data["value"], actor=request.user)
                except DomainError as error:
                    form.add_error("value", error.message)
                else:
                    messages.success(request, f"已保存：{office_settings.KEYS[key].description}")
                    return redirect("web:office_settings")
            failed, status = form, 400

    try:
        summary, broken = _policy_summary(), None
    except DomainError as error:
        summary, broken = None, error.message
    stored, in_force = configuration.setting_values(), _in_force(summary)
    rows = []
    for key, spec in office_settings.KEYS.items():
        if failed is not None and failed.data.get("key") == key:
            form = failed
        else:
            current = stored.get(key, in_force.get(key, spec.example))
            form = SettingForm(key=key, initial={"key": key, "value": setting_text(current)})
        rows.append(
            {
                "key": key,
                "description": spec.description,
                "stored": setting_text(stored[key]) if key in stored else None,
                "example": spec.example,
                "form": form,
            }
        )
    context = {"rows": rows, "summary": summary, "broken": broken}
    return render(request, "web/office/settings.html", context, status=status)


# --- users ----------------------------------------------------------------------------


def _user_or_404(text: str | None) -> User:
    try:
        return User.objects.select_related("unit").get(pk=int(text or ""))
    except (ValueError, User.DoesNotExist):
        raise Http404("没有这个用户") from None


def _chosen_units(form):
    """The unit a form has chosen (typed in or initial), for its picker to show checked."""
    if form is None:
        return []
    code = form["unit"].value()
    return units_by_code(codes=[code]) if isinstance(code, str) and code else []


def _account_change(request, op: str):
    """Deactivate, reactivate or update one account; returns (message, new password)."""
    user = _user_or_404(request.POST.get("user"))
    name = user.first_name or user.username
    if op == "deactivate":
        accounts.user_deactivate(user=user, actor=request.user)
        return f"已停用账号：{name}", None
    if op == "reactivate":
        accounts.user_reactivate(user=user, actor=request.user)
        return f"已恢复账号：{name}", None
    if op == "reset":
        return None, (user, accounts.user_password_reset(user=user, actor=request.user))
    raise Http404("没有这项操作")


@page("users")
@GET_POST
def users(request):
    status = 200
    create = UserCreateForm(prefix="new")
    edit_form, editing = None, None
    handed_over = None  # (user, password) to show once
    if request.GET.get("edit"):
        editing = _user_or_404(request.GET.get("edit"))
        edit_form = UserUpdateForm(
            prefix="edit",
            initial={
                "full_name": editing.first_name,
                "role": editing.role,
                "unit": editing.unit.code if editing.unit else None,
            },
        )

    op = request.POST.get("op", "") if request.method == "POST" else ""
    if op == "create":
        create = UserCreateForm(request.POST, prefix="new")
        if create.is_valid():
            data = create.cleaned_data
            password = data["password"] or accounts.password_generate()
            try:
                user = accounts.user_create(
                    username=data["username"],
                    role=data["role"],
                    password=password,
                    unit=data["unit"],
                    full_name=data["full_name"],
                    actor=request.user,
                )
            except DomainError as error:
                create.add_error(None, error.message)
            else:
                messages.success(request, f"已创建用户：{user.username}")
                if data["password"]:
                    return redirect("web:users")
                handed_over = (user, password)
                create = UserCreateForm(prefix="new")
        if create.errors:
            status = 400
    elif op == "update":
        editing = _user_or_404(request.POST.get("user"))
        edit_form = UserUpdateForm(request.POST, prefix="edit")
        if edit_form.is_valid():
            data = edit_form.cleaned_data
            try:
                accounts.user_update(
                    user=editing,
                    role=data["role"],
                    unit=data["unit"],
                    full_name=data["full_name"],
                    actor=request.user,
                )
            except DomainError as error:
                edit_form.add_error(None, error.message)
            else:
                messages.success(request, f"已修改用户：{editing.username}")
                return redirect("web:users")
        status = 400
    elif op:
        try:
            done, handed_over = _account_change(request, op)
        except DomainError as error:
            messages.error(request, error.message)
            status = 400
        else:
            if done:
                messages.success(request, done)
                return _back(request, reverse("web:users"))

    filters = UserFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    rows = User.objects.select_related("unit")
    if chosen.get("q"):
        rows = rows.filter(username__startswith=chosen["q"])
    if chosen.get("role"):
        rows = rows.filter(role=chosen["role"])
    if chosen.get("active"):
        rows = rows.filter(is_active=chosen["active"] == "yes")
    listing = keyset_page(rows, cursor=request.GET.get("cursor"), key="username")
    context = {
        "filters": filters,
        "page": listing,
        "create": create,
        "create_units": _chosen_units(create),
        "editing": editing,
        "edit_form": edit_form,
        "edit_units": _chosen_units(edit_form),
        "handed_over": handed_over,
    }
    response = render(request, "web/office/users.html", context, status=status)
    if handed_over:
        # A password shown once must not be kept by the browser or a proxy.
        response["Cache-Control"] = "no-store"
    return response


# --- audit trail ----------------------------------------------------------------------


@page("audit_trail")
def audit_trail(request):
    filters = AuditFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    records = audit_recent(action=chosen.get("action", ""))
    if chosen.get("username"):
        records = records.filter(username=chosen["username"].strip())
    listing = keyset_page(records, cursor=request.GET.get("cursor"), key="at", descending=True)
    status = 400 if filters.is_bound and filters.errors else 200
    context = {"filters": filters, "page": listing}
    return render(request, "web/office/audit.html", context, status=status)


urls = [
    path("office/calendar/", calendar_settings, name="calendar_settings"),
    path("office/settings/", office_settings_page, name="office_settings"),
    path("office/users/", users, name="users"),
    path("office/audit/", audit_trail, name="audit_trail"),
]
