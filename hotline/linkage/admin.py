"""The 110 systems in the admin site: listed and switched off here; a token is issued
only with ``hotline linkage token`` (shown once, only its digest kept)."""

from django.contrib import admin

from hotline.linkage.models import Handover, PoliceLine


@admin.register(PoliceLine)
class PoliceLineAdmin(admin.ModelAdmin):
    list_display = ("name", "active", "token_hint", "created_at")
    fields = ("name", "active")

    def has_add_permission(self, request):
        return False


@admin.register(Handover)
class HandoverAdmin(admin.ModelAdmin):
    list_display = ("police_ref", "order", "line", "received_at")
    search_fields = ("police_ref", "order__number")
    readonly_fields = ("line", "police_ref", "order", "note", "received_at")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
