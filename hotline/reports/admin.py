"""Reports in the admin site, to look at only: drafts are written on the report pages,
and a published report never changes (a new version is published instead)."""

from django.contrib import admin

from hotline.orders.admin import ReadOnlyAdmin
from hotline.reports.models import PublishedFile, PublishedReport, ReportDraft


class PublishedFileInline(admin.TabularInline):
    model = PublishedFile
    fields = ("format", "size", "sha256")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PublishedReport)
class PublishedReportAdmin(ReadOnlyAdmin):
    list_display = ("title", "start", "end", "version", "published_by", "published_at")
    list_filter = ("start",)
    search_fields = ("title",)
    exclude = ("document",)
    inlines = [PublishedFileInline]


@admin.register(ReportDraft)
class ReportDraftAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "start", "end", "created_by", "updated_at")
