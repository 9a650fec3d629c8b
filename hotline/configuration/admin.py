from django.contrib import admin

from hotline.configuration.models import Holiday


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "workday", "name"]
    list_filter = ["workday"]
    date_hierarchy = "date"
