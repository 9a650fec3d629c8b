"""The office settings (SPEC 1: supervisor and administrator): each setting with the
value in force and its default."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from hotline.configuration import selectors as configuration
from hotline.configuration.services import setting_set
from hotline.directory.models import Category
from hotline.domain import office_settings
from hotline.domain.enums import AppealType
from hotline.domain.errors import DomainError
from hotline.web.access import page
from hotline.web.forms.office import (
    SettingForm,
    setting_text,
)

GET_POST = require_http_methods(["GET", "POST"])


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


urls = [
    path("office/settings/", office_settings_page, name="office_settings"),
]
