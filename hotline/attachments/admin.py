from django.contrib import admin

from hotline.attachments.models import Attachment


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ("uploaded_at", "order", "unit", "name", "content_type", "size")
    list_filter = ("content_type",)
    search_fields = ("order__number", "name")
    date_hierarchy = "uploaded_at"
    raw_id_fields = ("order", "reply", "uploaded_by")

    # Attachments belong to the order's record: they arrive with a reply and stay.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
