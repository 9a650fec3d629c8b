"""The forms of the topic pages (每月一题): taking a topic up by hand or from the miner's
proposal, linking an order, a milestone, a progress note, a move. They only read what
was typed; the rules (a lead unit, no repeated link…) are the services'."""

from datetime import date

from django import forms

from hotline.directory.models import Category, Unit
from hotline.domain.enums import TopicStatus
from hotline.domain.topics import TITLE_MAX
from hotline.web.forms.office import ANY, UnitChoiceField

DATE = forms.DateInput(attrs={"type": "date"})
MONTH_ERRORS = {"required": "请填写月份", "invalid": "月份格式不正确，请按 2026-11 的格式填写"}


class MonthField(forms.DateField):
    """A month typed as 2026-11 (the browser's month input), kept as its first day."""

    widget = forms.DateInput(attrs={"type": "month"})
    input_formats = ["%Y-%m"]
    default_error_messages = MONTH_ERRORS

    def prepare_value(self, value):
        return value.strftime("%Y-%m") if isinstance(value, date) else value


UNIT_ERRORS = {"invalid_choice": "请选择列表中的单位", "invalid_pk_value": "单位不存在"}


class UnitsField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Unit.objects.filter(active=True).order_by("code"))
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("required", False)
        kwargs.setdefault("error_messages", UNIT_ERRORS)
        super().__init__(**kwargs)

    def label_from_instance(self, unit):
        return f"{unit.name}（{unit.code}）"


def _lead_unit(**kwargs) -> UnitChoiceField:
    # Not required here: the service refuses a topic without one, with its message.
    return UnitChoiceField(label="牵头单位", required=False, empty_label="请选择", **kwargs)


class TopicFilterForm(forms.Form):
    status = forms.ChoiceField(label="状态", required=False, choices=ANY + TopicStatus.choices())


class TopicForm(forms.Form):
    title = forms.CharField(
        label="题目", max_length=TITLE_MAX, error_messages={"required": "请填写每月一题的题目"}
    )
    lead_unit = _lead_unit()
    co_units = UnitsField(label="配合单位")
    month = MonthField(label="立项月份")
    description = forms.CharField(
        label="问题描述", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    place = forms.CharField(label="地点", required=False, max_length=200)
    category = forms.ModelChoiceField(
        label="事项分类",
        required=False,
        queryset=Category.objects.filter(active=True).order_by("code"),
        to_field_name="code",
        empty_label="（不限）",
        error_messages={"invalid_choice": "请选择列表中的事项分类"},
    )
    keywords = forms.CharField(
        label="关键词",
        required=False,
        max_length=200,
        help_text="以空格或顿号分隔；解决后回头看按地点、分类和关键词找新工单",
    )


class TakeUpForm(forms.Form):
    """立项 from one of the miner's candidates: the cluster's key and month say which;
    its orders are read again from the miner, not from the form."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    month = MonthField(widget=forms.HiddenInput)
    title = forms.CharField(
        label="题目", max_length=TITLE_MAX, error_messages={"required": "请填写每月一题的题目"}
    )
    lead_unit = _lead_unit()
    co_units = UnitsField(label="配合单位")


class LinkForm(forms.Form):
    number = forms.CharField(
        label="工单编号", max_length=20, error_messages={"required": "请填写要关联的工单编号"}
    )
    # Linked from the page's suggestions (系统推荐) rather than typed.
    suggested = forms.BooleanField(required=False, widget=forms.HiddenInput)


class MilestoneForm(forms.Form):
    title = forms.CharField(
        label="工作节点", max_length=120, error_messages={"required": "请填写工作节点"}
    )
    due_on = forms.DateField(
        label="计划完成日期",
        widget=DATE,
        error_messages={"required": "请填写计划完成日期", "invalid": "日期格式不正确"},
    )


class MilestoneDoneForm(forms.Form):
    milestone = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class NoteForm(forms.Form):
    text = forms.CharField(
        label="推进情况",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写推进情况"},
    )


class MoveForm(forms.Form):
    status = forms.ChoiceField(
        label="状态",
        choices=TopicStatus.choices(),
        error_messages={"invalid_choice": "请选择列表中的状态"},
    )
