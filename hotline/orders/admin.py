"""Orders, their event log and violations in the admin site, to look at only.

Every change to an order is a service call that appends an event (SPEC 4: the log is
append-only); the admin site therefore shows these tables and never edits, adds or
deletes a row. The lists stay quick on a million orders: filters use indexed columns
or fixed vocabularies, and the page count stops counting at a cap.
"""

from functools import cached_property

from django.contrib import admin
from django.core.paginator import Paginator

from hotline.directory.models import Unit
from hotline.domain.events import EVENT_TYPES
from hotline.orders import holiday_admin  # noqa: F401  (registers the holiday table)
from hotline.orders.models import Event, Order, Violation

# Beyond this many matches the list says "10000+" pages' worth instead of counting all.
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """Counts at most ``COUNT_CAP`` + 1 rows, so that a page of a huge table does not
    wait for a full COUNT(*)."""

    @cached_property
    def count(self):
        return self.object_list[: COUNT_CAP + 1].count()


class ReadOnlyAdmin(admin.ModelAdmin):
    paginator = CappedPaginator
    show_full_result_count = False
    # Counting every filter choice would run a COUNT per choice over the whole table.
    show_facets = admin.ShowFacets.NEVER

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LeadUnitFilter(admin.SimpleListFilter):
    """The units from the directory (a small table), not the distinct values of a
    million orders."""

    title = "主办单位"
    parameter_name = "lead_unit"

    def lookups(self, request, model_admin):
        return [(u.code, u.name) for u in Unit.objects.order_by("code").only("code", "name")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(lead_unit__code=self.value())
        return queryset


class EventInline(admin.TabularInline):
    model = Event
    fields = ["seq", "type", "at", "actor", "from_status", "to_status", "data"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["seq"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = [
        "number",
        "received_at",
        "channel",
        "appeal_type",
        "status",
        "lead_unit",
        "deadline",
        "urgent",
    ]
    list_filter = ["status", "channel", "appeal_type", "urgent", "difficult", LeadUnitFilter]
    list_select_related = ["lead_unit"]
    search_fields = ["=number"]
    ordering = ["-received_at", "-pk"]
    inlines = [EventInline]
    # The citizen's identity is shown only through the logged reveal (SPEC 6), and
    # never here, where looking would leave no trace.
    exclude = ["citizen"]


class EventTypeFilter(admin.SimpleListFilter):
    title = "类型"
    parameter_name = "type"

    def lookups(self, request, model_admin):
        return [(name, cls.label) for name, cls in EVENT_TYPES.items()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(type=self.value())
        return queryset


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["order", "seq", "type_label", "at", "actor", "from_status", "to_status"]
    list_filter = [EventTypeFilter]
    list_select_related = ["order", "actor"]
    search_fields = ["=order__number"]
    ordering = ["-order", "-seq"]

    @admin.display(description="类型", ordering="type")
    def type_label(self, event):
        kind = EVENT_TYPES.get(event.type)
        return kind.label if kind else event.type


@admin.register(Violation)
class ViolationAdmin(ReadOnlyAdmin):
    list_display = ["at", "unit", "kind", "order", "reviewed"]
    list_filter = ["kind", "reviewed", ("unit", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["unit", "order"]
    search_fields = ["=order__number", "unit__name"]
    ordering = ["-at", "-pk"]
