"""The forms of the assessment pages (``web/views/assessment.py``)."""

from django import forms

from hotline.domain.enums import AppealKind


class AppealForm(forms.Form):
    kind = forms.ChoiceField(
        choices=AppealKind.choices(), error_messages={"invalid_choice": "请选择申诉类型"}
    )
    reason = forms.CharField(max_length=2000, error_messages={"required": "请填写申诉理由"})
