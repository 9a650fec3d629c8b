"""The forms of the leader pages (``web/views/leader.py``)."""

from django import forms

from hotline.orders.models import Order
from hotline.orders.selectors import order_get

TEXT_MAX = 5000


class InstructionForm(forms.Form):
    number = forms.CharField(
        label="工单编号", max_length=20, error_messages={"required": "请填写工单编号"}
    )
    text = forms.CharField(
        label="批示内容",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写批示内容"},
    )

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer = viewer

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        if not (number.isascii() and number.isdigit()):
            raise forms.ValidationError("工单编号只能是数字")
        try:
            order_get(number=number, viewer=self.viewer)
        except Order.DoesNotExist:
            raise forms.ValidationError(f"未找到工单「{number}」") from None
        return number
