"""The forms of the reports pages (``web/views/reports.py``)."""

from __future__ import annotations

import calendar
from datetime import date

from django import forms

from hotline.reports import services
from hotline.reports import text as report_text
from hotline.reports.editorial import CaseKind


class PeriodForm(forms.Form):
    KINDS = [("month", "月报"), ("quarter", "季报"), ("year", "年报"), ("range", "自定义期间")]

    kind = forms.ChoiceField(label="通报类型", choices=KINDS, initial="month")
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100, required=False)
    month = forms.TypedChoiceField(
        label="月份",
        choices=[(m, f"{m}月") for m in range(1, 13)],
        coerce=int,
        required=False,
    )
    quarter = forms.TypedChoiceField(
        label="季度",
        choices=[(q, f"第{report_text.QUARTERS[q - 1]}季度") for q in range(1, 5)],
        coerce=int,
        required=False,
    )
    start = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == "range":
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError("自定义期间请填写起始日期和截止日期")
        else:
            year = data.get("year")
            if not year:
                raise forms.ValidationError("请填写年份")
            if kind == "month":
                if not data.get("month"):
                    raise forms.ValidationError("请选择月份")
                start = date(year, data["month"], 1)
                end = date(year, data["month"], calendar.monthrange(year, data["month"])[1])
            elif kind == "quarter":
                if not data.get("quarter"):
                    raise forms.ValidationError("请选择季度")
                first = 3 * data["quarter"] - 2
                start = date(year, first, 1)
                end = date(year, first + 2, calendar.monthrange(year, first + 2)[1])
            else:
                start, end = date(year, 1, 1), date(year, 12, 31)
        if start > end:
            raise forms.ValidationError("起始日期不能晚于截止日期")
        data["period"] = (start, end)
        return data


class DraftForm(PeriodForm):
    title = forms.CharField(
        label="标题",
        max_length=services.TITLE_MAX,
        required=False,
        help_text="不填则按统计期间自动生成",
    )
    care = forms.CharField(
        label="领导关怀",
        required=False,
        max_length=services.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一段；不填则通报中无此节",
    )
    experience = forms.CharField(
        label="经验做法",
        required=False,
        max_length=services.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="每行一段",
    )
    problems = forms.CharField(
        label="存在的问题",
        required=False,
        max_length=services.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    next_steps = forms.CharField(
        label="下一步工作要求",
        required=False,
        max_length=services.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    praise = forms.CharField(
        label="通报表扬",
        required=False,
        max_length=services.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一段；不填则通报中无此节",
    )


class CaseAddForm(forms.Form):
    number = forms.CharField(
        label="工单编号", max_length=20, error_messages={"required": "请填写工单编号"}
    )
    kind = forms.ChoiceField(label="类别", choices=CaseKind.choices(), initial="excellent")

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        if not (number.isascii() and number.isdigit()):
            raise forms.ValidationError("工单编号只能是数字")
        return number


class CaseForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=CaseKind.choices())
    title = forms.CharField(label="案例标题", max_length=services.TITLE_MAX, required=False)
    complaint = forms.CharField(
        label="来电反映",
        max_length=services.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写来电反映"},
    )
    result = forms.CharField(
        label="处理结果",
        max_length=services.TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    callback = forms.CharField(
        label="回访",
        max_length=services.TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
