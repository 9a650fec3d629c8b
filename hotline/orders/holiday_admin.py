"""The holiday table in the admin site. It lives with the orders because saving a day
recomputes the deadlines counted on a provisional calendar (SPEC 4, 2026-12): every
edit goes through the same use cases as the pages and the command."""

from django.contrib import admin

from hotline.configuration import services
from hotline.configuration.models import Holiday
from hotline.orders.services.calendar_year import holiday_day_enter


class YearFilter(admin.SimpleListFilter):
    title = "年份"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Holiday.objects.dates("date", "year", order="DESC")
        return [(str(d.year), f"{d.year} 年") for d in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(date__year=int(self.value()))
        return queryset


class KindFilter(admin.SimpleListFilter):
    title = "类型"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [("rest", "放假"), ("work", "上班（调休）")]

    def queryset(self, request, queryset):
        if self.value() in ("rest", "work"):
            return queryset.filter(workday=self.value() == "work")
        return queryset


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = [YearFilter, KindFilter]
    search_fields = ["name"]
    date_hierarchy = "date"

    @admin.display(description="类型", ordering="workday")
    def kind(self, obj):
        return "上班（调休）" if obj.workday else "放假"

    def save_model(self, request, obj, form, change):
        if change and "date" in form.changed_data:
            services.holiday_delete(day=form.initial["date"], actor=request.user)
        saved = holiday_day_enter(
            day=obj.date, workday=obj.workday, name=obj.name, actor=request.user
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.holiday_delete(day=obj.date, actor=request.user)

    def delete_queryset(self, request, queryset):
        for day in queryset.values_list("date", flat=True):
            services.holiday_delete(day=day, actor=request.user)
