"""The forms of the supervision pages (``web/views/supervision.py``)."""

from django import forms

from hotline.orders.selectors import queues as q
from hotline.orders.selectors import supervision as sheet_selectors


class SuperviseFilter(forms.Form):
    due = forms.ChoiceField(
        label="办理时限",
        required=False,
        choices=[("overdue", "已超期"), ("day", "24小时内到期"), ("three", "3日内到期")],
        error_messages={"invalid_choice": "请选择列表中的时限范围"},
    )


class SpotCheckFilter(forms.Form):
    status = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[(s.value, s.label) for s in q.SPOT_CHECKED],
        error_messages={"invalid_choice": "请选择「已归档」或「已办结待回访」"},
    )


class AnswerFilter(forms.Form):
    state = forms.ChoiceField(
        label="回复情况",
        required=False,
        choices=[("", "全部"), *((k, v[0]) for k, v in sheet_selectors.STATES.items())],
        error_messages={"invalid_choice": "请选择「待回复」「已回复」或「逾期升级」"},
    )
