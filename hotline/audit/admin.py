from django.contrib import admin

from hotline.audit.models import AuditRecord


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin):
    list_display = ("at", "action", "username", "order", "detail", "address")
    list_filter = ("action",)
    search_fields = ("username", "order__number")
    date_hierarchy = "at"

    # The trail is evidence: nobody edits or deletes it here.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
