"""The fulfillment API under /api/v1/ (docs/api.md, docs/fulfillment.md): one module per area."""

from django.urls import include, path

urlpatterns = [
    path("", include("haicang.fulfillment.api_urls_picking")),
    path("", include("haicang.fulfillment.api_urls_packing")),
    path("", include("haicang.fulfillment.api_urls_tracking")),
    path("", include("haicang.fulfillment.api_urls_setup")),
]
