"""The forms of the office's own pages: holidays, settings, users, audit.

They only read what was typed; every rule about the values is the services' and the
domain's, whose Chinese refusals the views put back on the form.
"""

import copy
import json

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator

from hotline.accounts.services import InvalidAccount, password_check
from hotline.audit.models import AuditRecord
from hotline.directory.models import Unit
from hotline.domain import office_settings
from hotline.domain.callback_scope import CallbackScope
from hotline.domain.enums import AppealType, Role

ANY = [("", "全部")]


class UnitChoiceField(forms.ModelChoiceField):
    """A unit picked by its code; the list shows name and code so typing either finds it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Unit.objects.filter(active=True).order_by("code"))
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("empty_label", "（不限）")
        super().__init__(**kwargs)

    def label_from_instance(self, unit):
        return f"{unit.name}（{unit.code}）"


# --- holiday table --------------------------------------------------------------------

EARLIEST_YEAR, LATEST_YEAR = 2000, 2099
HOLIDAY_KINDS = [("rest", "放假"), ("work", "上班（调休）")]

_DATE_ERRORS = {"invalid": "日期格式不正确，请按 2027-01-01 的格式填写", "required": "请填写日期"}


class HolidayForm(forms.Form):
    day = forms.DateField(
        label="日期",
        error_messages=_DATE_ERRORS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    kind = forms.ChoiceField(
        label="类型", choices=HOLIDAY_KINDS, error_messages={"invalid_choice": "请选择放假或上班"}
    )
    name = forms.CharField(
        label="说明",
        required=False,
        max_length=50,
        help_text="如：春节、国庆节调休上班",
        error_messages={"max_length": "说明最多 50 个字"},
    )

    def clean_day(self):
        day = self.cleaned_data["day"]
        if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
            raise forms.ValidationError(f"日期须在 {EARLIEST_YEAR}–{LATEST_YEAR} 年之间")
        return day


class HolidayDeleteForm(forms.Form):
    day = forms.DateField(error_messages=_DATE_ERRORS)


# --- office settings ------------------------------------------------------------------


def _appeal_type_hint() -> str:
    return "诉求类型代码：" + "、".join(f"{t.value} {t.label}" for t in AppealType)


# How each setting is typed on the page; every value is still checked by the domain.
_WIDGETS = {
    "callback_scope": forms.Select(choices=CallbackScope.choices()),
    "sign_for_hours": forms.NumberInput(attrs={"step": "any", "min": "0"}),
    "urgent_sign_for_minutes": forms.NumberInput(attrs={"step": "1", "min": "1"}),
    "urgent_reply_hours": forms.NumberInput(attrs={"step": "1", "min": "1"}),
    "default_days": forms.NumberInput(attrs={"step": "1", "min": "1"}),
    "yellow_fraction": forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "1"}),
    "office_hours_start": forms.TimeInput(attrs={"type": "time"}),
    "office_hours_end": forms.TimeInput(attrs={"type": "time"}),
}
_HINTS = {
    "days_by_appeal_type": _appeal_type_hint,
    "days_by_category": lambda: (
        '以事项分类编码为键，如 {"0101": 5}；未列出的分类按诉求类型或默认时限'
    ),
    "assessment_weights": lambda: (
        "四项：handled 办结率、on_time 按期办结率、rework 返工率、satisfaction 满意率，合计 100"
    ),
    "grade_bounds": lambda: "各等级的最低分，从高到低；低于最后一档为 E",
}


def setting_text(value) -> str:
    """A stored value as the office types it: plain text for a string, JSON otherwise."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


class SettingForm(forms.Form):
    key = forms.ChoiceField(
        choices=[(k, k) for k in office_settings.KEYS],
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "没有这个配置项"},
    )
    value = forms.CharField(
        label="新值",
        max_length=2000,
        strip=True,
        error_messages={"required": "请填写新值", "max_length": "内容过长"},
    )

    def __init__(self, *args, key: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].initial = key
        widget = _WIDGETS.get(key) or forms.Textarea(attrs={"rows": 2})
        self.fields["value"].widget = copy.deepcopy(widget)
        hint = _HINTS.get(key)
        self.fields["value"].help_text = hint() if hint else ""
        # Each row's form has its own ids, the page shows them all at once.
        self.auto_id = f"id_{key}_%s"


# --- users ----------------------------------------------------------------------------

ACTIVE_CHOICES = [("", "全部"), ("yes", "在用"), ("no", "已停用")]


class UserFilterForm(forms.Form):
    q = forms.CharField(label="用户名", required=False, max_length=150)
    role = forms.ChoiceField(label="角色", required=False, choices=ANY + Role.choices())
    active = forms.ChoiceField(label="状态", required=False, choices=ACTIVE_CHOICES)


class UserCreateForm(forms.Form):
    username = forms.CharField(
        label="用户名",
        max_length=150,
        validators=[UnicodeUsernameValidator(message="用户名只能包含字母、数字和 @ . + - _")],
        error_messages={"required": "请填写用户名"},
    )
    full_name = forms.CharField(label="姓名", required=False, max_length=150)
    role = forms.ChoiceField(
        label="角色", choices=Role.choices(), error_messages={"invalid_choice": "请选择角色"}
    )
    unit = UnitChoiceField(
        label="所属单位",
        required=False,
        help_text="承办单位联络员必须选择所属单位",
        error_messages={"invalid_choice": "没有这个单位"},
    )
    password = forms.CharField(
        label="初始密码",
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="留空则随机生成，创建后显示一次",
    )

    def clean_password(self):
        password = self.cleaned_data["password"]
        if password:
            try:
                password_check(
                    password,
                    username=self.cleaned_data.get("username", ""),
                    full_name=self.cleaned_data.get("full_name", ""),
                )
            except InvalidAccount as problem:
                raise forms.ValidationError(problem.message) from None
        return password


class UserUpdateForm(forms.Form):
    full_name = forms.CharField(label="姓名", required=False, max_length=150)
    role = forms.ChoiceField(
        label="角色", choices=Role.choices(), error_messages={"invalid_choice": "请选择角色"}
    )
    unit = UnitChoiceField(
        label="所属单位",
        required=False,
        # A user may still be bound to a unit that has since been retired.
        queryset=Unit.objects.order_by("code"),
        help_text="承办单位联络员必须选择所属单位",
        error_messages={"invalid_choice": "没有这个单位"},
    )


# --- audit trail ----------------------------------------------------------------------


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label="行为", required=False, choices=ANY + list(AuditRecord.Action.choices)
    )
    username = forms.CharField(label="用户名", required=False, max_length=150)
