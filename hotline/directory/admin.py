"""The directory in the admin site: regions, units, categories, the dispatch catalogue
and tags (SPEC 2), for the administrator who keeps them."""

from django.contrib import admin
from django.db.models import Max, Q

from hotline.directory.models import CatalogueEntry, Category, Region, Tag, Unit


class RegionParentFilter(admin.SimpleListFilter):
    """Only the regions above towns are offered (the province, cities, districts): the
    towns would make the side bar thousands of lines long, and the search box finds any
    region."""

    title = "上级区划"
    parameter_name = "parent"

    def lookups(self, request, model_admin):
        heads = Region.objects.filter(
            level__in=[Region.Level.PROVINCE, Region.Level.CITY, Region.Level.DISTRICT]
        )
        return [(str(r.pk), r.name) for r in heads.order_by("code")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(parent_id=self.value())
        return queryset


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level", RegionParentFilter]
    list_select_related = ["parent"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "active"]
    list_filter = ["kind", ("parent", admin.RelatedOnlyFieldListFilter), "active"]
    list_select_related = ["parent"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent", "regions"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "active"]
    list_filter = ["level", "active"]
    list_select_related = ["parent"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]


class TopCategoryFilter(admin.SimpleListFilter):
    """The catalogue by its top-level category (大类), including the entries of every
    category below it."""

    title = "事项大类"
    parameter_name = "top_category"

    def lookups(self, request, model_admin):
        tops = Category.objects.filter(level=1).order_by("code")
        return [(str(c.pk), f"{c.code} {c.name}") for c in tops]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        top = self.value()
        return queryset.filter(
            Q(category_id=top) | Q(category__parent_id=top) | Q(category__parent__parent_id=top)
        )


@admin.register(CatalogueEntry)
class CatalogueEntryAdmin(admin.ModelAdmin):
    """The catalogue is versioned: an import makes a new current version and retires
    the old entries, which stay as the record of past dispatching and are read-only."""

    list_display = ["category", "region", "lead", "keywords", "version", "active"]
    list_filter = [
        "active",
        TopCategoryFilter,
        ("lead", admin.RelatedOnlyFieldListFilter),
        "version",
    ]
    list_select_related = ["category", "region", "lead"]
    search_fields = ["category__code", "category__name", "lead__name", "keywords", "basis"]
    autocomplete_fields = ["category", "region", "lead", "co_units"]
    readonly_fields = ["version"]

    def _retired(self, obj) -> bool:
        return obj is not None and not obj.active

    def get_readonly_fields(self, request, obj=None):
        if self._retired(obj):
            return ["category", "region", "lead", "co_units", "keywords", "version", "active"]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        # A retired entry is history; a current one is retired, not deleted.
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            # A new entry joins the catalogue version in force.
            current = CatalogueEntry.objects.filter(active=True).aggregate(v=Max("version"))["v"]
            obj.version = current or 1
        super().save_model(request, obj, form, change)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "active"]
    list_filter = ["active"]
    search_fields = ["name"]
