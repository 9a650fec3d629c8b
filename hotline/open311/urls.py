"""``/open311/…`` — GeoReport v2 and its discovery document, each as ``.json`` or ``.xml``."""

from django.urls import re_path

from hotline.open311 import views

urlpatterns = [
    re_path(r"^discovery\.(?P<fmt>[a-z]+)$", views.discovery, name="open311-discovery"),
    re_path(r"^v2/services\.(?P<fmt>[a-z]+)$", views.services, name="open311-services"),
    re_path(
        r"^v2/services/(?P<code>[^/]+)\.(?P<fmt>[a-z]+)$", views.service, name="open311-service"
    ),
    re_path(r"^v2/requests\.(?P<fmt>[a-z]+)$", views.requests, name="open311-requests"),
    re_path(
        r"^v2/requests/(?P<number>[^/]+)\.(?P<fmt>[a-z]+)$",
        views.request_detail,
        name="open311-request",
    ),
    re_path(r"^v2/tokens/(?P<token_id>[^/]+)\.(?P<fmt>[a-z]+)$", views.token, name="open311-token"),
    re_path(r"^(?P<path>.*)$", views.unknown, name="open311-unknown"),
]
