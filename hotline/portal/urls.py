"""The citizen portal (no sign-in): submit online, track by number and phone, rate."""

from django.urls import path  # noqa: F401

app_name = "portal"

urlpatterns: list = []
