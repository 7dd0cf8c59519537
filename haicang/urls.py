from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include("haicang.core.api.urls")),
    path("api/v1/", include("haicang.parties.urls")),
    path("api/v1/", include("haicang.network.urls")),
    path("api/v1/", include("haicang.catalog.urls")),
    path("api/v1/", include("haicang.inventory.urls")),
    path("api/v1/", include("haicang.inbound.urls")),
    path("api/v1/", include("haicang.channels.urls")),
    path("api/v1/", include("haicang.orders.urls")),
    path("api/v1/", include("haicang.orders.fulfilment_urls")),
    path("api/v1/", include("haicang.fulfillment.urls")),
    path("api/v1/", include("haicang.integration.urls")),
    path("api/v1/", include("haicang.exchange.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("catalog/", include("haicang.catalog.ui_urls")),
    path("inventory/", include("haicang.inventory.ui_urls")),
    path("inbound/", include("haicang.inbound.ui_urls")),
    path("putaway/", include("haicang.inbound.putaway_urls")),
    path("receiving/", include("haicang.inbound.receiving_urls")),
    path("parties/", include("haicang.parties.ui_urls")),
    path("network/", include("haicang.network.ui_urls")),
    path("imports/", include("haicang.exchange.ui_urls")),
    path("channels/", include("haicang.channels.ui_urls")),
    path("orders/", include("haicang.orders.ui_urls")),
    path("fulfillment-requests/", include("haicang.orders.fulfilment_ui_urls")),
    path("fulfillment/", include("haicang.fulfillment.ui_urls")),
    path("integration/", include("haicang.integration.ui_urls")),
    path("", include("haicang.web.urls")),
]

# Problem JSON under /api/, the UI's HTML pages elsewhere (haicang.core.api.errorpages).
handler400 = "haicang.core.api.errorpages.bad_request"
handler403 = "haicang.core.api.errorpages.permission_denied"
handler404 = "haicang.core.api.errorpages.page_not_found"
handler500 = "haicang.core.api.errorpages.server_error"
