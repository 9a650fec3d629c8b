"""The office settings in the admin site (the holiday table's admin is with the orders,
whose deadlines an edit there moves: orders/holiday_admin.py). Writes go through the
configuration services, so a value the rules refuse is never saved from here either."""

import json

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from hotline.configuration import services
from hotline.configuration.models import Setting
from hotline.configuration.selectors import setting_values
from hotline.domain import office_settings
from hotline.domain.errors import DomainError


class SettingForm(forms.ModelForm):
    """The value is typed as on the settings page (JSON, or plain text such as 08:30)
    and checked against every rule that reads it before anything is saved."""

    key = forms.ChoiceField(
        label="配置项",
        choices=[(k, f"{k} · {v.description}") for k, v in office_settings.KEYS.items()],
    )
    value = forms.CharField(label="值", widget=forms.Textarea(attrs={"rows": 3}))

    class Meta:
        model = Setting
        fields = ["key", "value"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # A setting keeps its key; only its value changes.
            self.fields.pop("key", None)
            value = self.instance.value
            shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            self.initial["value"] = shown

    def clean(self):
        cleaned = super().clean()
        key = cleaned.get("key", self.instance.key)
        text = cleaned.get("value")
        if not key or text is None:
            return cleaned
        try:
            value = office_settings.parse(key, text)
            office_settings.validate({**setting_values(), key: value})
        except DomainError as error:
            raise ValidationError({"value": error.message}) from None
        cleaned["value"] = value
        return cleaned


@admin.register(Setting)
class SettingAdmin(admin.ModelAdmin):
    form = SettingForm
    list_display = ["key", "description", "shown_value", "updated_at"]
    search_fields = ["key"]

    @admin.display(description="说明")
    def description(self, obj):
        spec = office_settings.KEYS.get(obj.key)
        return spec.description if spec else "（未知配置项）"

    @admin.display(description="值")
    def shown_value(self, obj):
        return json.dumps(obj.value, ensure_ascii=False)

    def get_readonly_fields(self, request, obj=None):
        return ["key"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        key = form.cleaned_data.get("key", obj.key)
        obj.value = services.setting_set(
            key=key, text=json.dumps(form.cleaned_data["value"]), actor=request.user
        )
        obj.key = key
        obj.pk = Setting.objects.get(key=key).pk
