"""The fulfillment pages under /fulfillment/ (docs/ui.md, docs/fulfillment.md): one module per area."""

from django.urls import include, path

app_name = "fulfillment"
urlpatterns = [
    path("", include("haicang.fulfillment.ui_urls_picking")),
    path("", include("haicang.fulfillment.ui_urls_packing")),
    path("", include("haicang.fulfillment.ui_urls_tracking")),
    path("", include("haicang.fulfillment.ui_urls_setup")),
]
