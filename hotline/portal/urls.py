"""The citizen portal (no sign-in): submit online, track by number and phone, rate."""

from django.urls import path

from hotline.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("submit/", views.submit, name="submit"),
    path("submit/done/", views.submitted, name="submitted"),
    path("submit/regions/", views.region_picker, name="region_search"),
    path("track/", views.track, name="track"),
    path("rate/", views.rate, name="rate"),
]
