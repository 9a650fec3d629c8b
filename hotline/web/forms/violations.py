"""The forms of the violations page (SPEC 6, 黄牌预警): its filters, and the office's
review, outcome and hand-recorded violation. They only read what was typed."""

from django import forms

from hotline.domain.enums import ViolationKind, ViolationOutcome
from hotline.web.forms.office import ANY, UnitChoiceField

REVIEWED_CHOICES = [("", "全部"), ("no", "未核查"), ("yes", "已核查")]
DATE = forms.DateInput(attrs={"type": "date"})


class ViolationFilterForm(forms.Form):
    unit = UnitChoiceField(label="单位", required=False)
    kind = forms.ChoiceField(label="类型", required=False, choices=ANY + ViolationKind.choices())
    outcome = forms.ChoiceField(
        label="处理结果",
        required=False,
        choices=ANY + [("none", "未处理")] + ViolationOutcome.choices(),
    )
    reviewed = forms.ChoiceField(label="核查", required=False, choices=REVIEWED_CHOICES)
    since = forms.DateField(label="发现日期自", required=False, widget=DATE)
    until = forms.DateField(label="至", required=False, widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError("开始日期不能晚于结束日期")
        return data

    def reviewed_flag(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("reviewed") or "")


class ViolationReviewForm(forms.Form):
    violation = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    note = forms.CharField(
        label="核查意见", required=False, max_length=2000, widget=forms.TextInput()
    )


class ViolationOutcomeForm(forms.Form):
    violation = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    outcome = forms.ChoiceField(
        label="处理结果",
        choices=ViolationOutcome.choices(),
        error_messages={"required": "请选择处理结果", "invalid_choice": "请选择列表中的处理结果"},
    )


class ViolationRecordForm(forms.Form):
    number = forms.CharField(
        label="工单编号",
        max_length=20,
        error_messages={"required": "请填写违规所涉工单编号"},
    )
    unit = UnitChoiceField(
        label="违规单位", empty_label="请选择", error_messages={"required": "请选择违规单位"}
    )
    kind = forms.ChoiceField(
        label="违规类型",
        choices=ViolationKind.choices(),
        error_messages={"required": "请选择违规类型"},
    )
    note = forms.CharField(
        label="违规情况（证据）",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请写明违规情况（证据）"},
    )
    outcome = forms.ChoiceField(
        label="处理结果（可稍后再定）",
        required=False,
        choices=[("", "暂不处理"), *ViolationOutcome.choices()],
    )

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        if not (number.isascii() and number.isdigit()):
            raise forms.ValidationError("工单编号只能是数字")
        return number
