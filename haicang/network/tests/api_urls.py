"""The project's URLs with the warehouse network's API mounted under ``/api/v1/`` (as the lead will)."""

from django.urls import include, path

from haicang.urls import urlpatterns as root_urlpatterns

handler400 = "haicang.core.api.errorpages.bad_request"
handler403 = "haicang.core.api.errorpages.permission_denied"
handler404 = "haicang.core.api.errorpages.page_not_found"
handler500 = "haicang.core.api.errorpages.server_error"

urlpatterns = [path("api/v1/", include("haicang.network.urls")), *root_urlpatterns]
