"""``/api/…``: orders and their actions, the directory, call records, the OpenAPI
schema and its documentation page (served from local static files)."""

from django.urls import path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerView,
)
from rest_framework.exceptions import NotFound
from rest_framework.views import APIView

from hotline.api import call_events, calls, directory, linkage, orders, reveal
from hotline.api.order_actions import ACTION_APIS


class NoSuchEndpoint(APIView):
    """Any other path under /api/: the structured 404 instead of an HTML page."""

    authentication_classes = []
    permission_classes = []
    schema = None

    def initial(self, request, *args, **kwargs):
        raise NotFound


urlpatterns = [
    path("orders/", orders.OrdersApi.as_view(), name="api-orders"),
    path("orders/<str:number>/", orders.OrderDetailApi.as_view(), name="api-order"),
    path(
        "orders/<str:number>/reveal/",
        reveal.IdentityRevealApi.as_view(),
        name="api-order-reveal",
    ),
    *(
        path(f"orders/<str:number>/{api.slug}/", api.as_view(), name=f"api-order-{api.slug}")
        for api in ACTION_APIS
    ),
    path("regions/", directory.RegionsApi.as_view(), name="api-regions"),
    path("units/", directory.UnitsApi.as_view(), name="api-units"),
    path("categories/", directory.CategoriesApi.as_view(), name="api-categories"),
    path("tags/", directory.TagsApi.as_view(), name="api-tags"),
    path(
        "catalogue/suggestion/",
        directory.CatalogueSuggestionApi.as_view(),
        name="api-catalogue-suggestion",
    ),
    path("calls/", calls.CallsApi.as_view(), name="api-calls"),
    path("calls/events/", call_events.CallEventsApi.as_view(), name="api-call-events"),
    path(
        "linkage/110/orders/",
        linkage.PoliceHandoverApi.as_view(),
        name="api-police-110-handover",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path(
        "redoc/",
        SpectacularRedocView.as_view(url_name="api-schema", template_name="api/redoc.html"),
        name="api-redoc",
    ),
    re_path(r"^.*$", NoSuchEndpoint.as_view()),
]
