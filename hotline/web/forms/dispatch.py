"""The forms of the dispatch pages (``web/views/dispatch.py``)."""

from django import forms

from hotline.directory.models import Unit
from hotline.orders.selectors import queues as q


class RedispatchFilter(forms.Form):
    status = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[(s.value, s.label) for s in q.REDISPATCHABLE],
        error_messages={"invalid_choice": "请选择「办理中」或「待签收」"},
    )
    lead = forms.ModelChoiceField(
        label="主办单位",
        required=False,
        queryset=Unit.objects.filter(active=True).order_by("code"),
        to_field_name="code",
        empty_label="全部单位",
        error_messages={"invalid_choice": "没有这个单位"},
    )
