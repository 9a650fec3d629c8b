"""The forms of the telephony pages (``web/views/telephony.py``)."""

from django import forms

from hotline.calls.models import MissedCallCallback


class SeatForm(forms.Form):
    extension = forms.CharField(label="坐席号（分机）", max_length=40)


class MissedCallbackForm(forms.Form):
    result = forms.ChoiceField(
        label="回拨结果",
        choices=[("", "请选择"), *MissedCallCallback.Result.choices],
        error_messages={"required": "请选择回拨结果", "invalid_choice": "没有这种回拨结果"},
    )
    order_number = forms.CharField(label="工单编号", max_length=20, required=False)
    note = forms.CharField(label="备注", max_length=200, required=False)
