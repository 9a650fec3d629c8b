"""The forms of the background pages (``web/views/background.py``)."""

from django import forms

from hotline.notifications.models import Notification


class NotificationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部"), *Notification.Status.choices]
    )
