"""The forms of the campaigns pages (``web/views/campaigns.py``)."""

from django import forms

from hotline.accounts.models import User
from hotline.calls import campaigns as service


class CampaignForm(forms.Form):
    name = forms.CharField(label="任务名称", max_length=100)
    questions = forms.CharField(
        label="问题（每行一个）", widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )
    file = forms.FileField(label="号码名单（CSV 或 XLSX，表头：电话、姓名、备注）")


class AssignForm(forms.Form):
    agents = forms.ModelMultipleChoiceField(
        label="话务员",
        queryset=User.objects.filter(is_active=True, role__in=sorted(service.CALLERS)).order_by(
            "username"
        ),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一名话务员"},
    )
