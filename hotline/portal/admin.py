"""The citizens' ratings in the admin site, to look at only: a rating is the citizen's
word and nobody on the staff adds, changes or removes one."""

from django.contrib import admin

from hotline.orders.admin import ReadOnlyAdmin
from hotline.portal.models import CitizenRating


@admin.register(CitizenRating)
class CitizenRatingAdmin(ReadOnlyAdmin):
    list_display = ["at", "order", "result", "comment"]
    list_filter = ["result"]
    list_select_related = ["order"]
    search_fields = ["=order__number"]
    ordering = ["-at", "-pk"]
