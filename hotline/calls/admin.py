"""Switches in the admin site: the administrator adds a switch and is shown its token
once (only its digest is kept); "renew token" issues a new one and the old stops working."""

from django.contrib import admin, messages

from hotline.calls import live
from hotline.calls.models import Switch


@admin.register(Switch)
class SwitchAdmin(admin.ModelAdmin):
    list_display = ("name", "active", "token_hint", "created_at", "last_event_at")
    fields = ("name", "active")
    actions = ["renew_token"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["name", "active"])
            return
        issued = live.switch_create(name=obj.name)
        obj.pk, obj.token_hash, obj.token_hint = (
            issued.switch.pk,
            issued.switch.token_hash,
            issued.switch.token_hint,
        )
        obj.created_at = issued.switch.created_at
        if not obj.active:
            Switch.objects.filter(pk=obj.pk).update(active=False)
        self._show_token(request, issued)

    @admin.action(description="重新签发令牌（旧令牌立即失效）")
    def renew_token(self, request, queryset):
        for switch in queryset:
            self._show_token(request, live.switch_token_renew(switch=switch))

    def _show_token(self, request, issued):
        messages.warning(
            request,
            f"交换机「{issued.switch.name}」的令牌：{issued.token}"
            " —— 仅显示这一次，请立即配置到交换机。",
        )
