"""API routes: packing, labels and ship confirmation (docs/fulfillment.md, "Packing and rate shopping",
"Labels", "Ship confirmation")."""

from django.urls import URLPattern, URLResolver
from rest_framework.routers import DefaultRouter

from haicang.fulfillment.api_packing import (
    BoxSuggestionViewSet,
    DockScanViewSet,
    PackingOutboundViewSet,
    ParcelViewSet,
)


class Router(DefaultRouter):
    include_format_suffixes = False
    include_root_view = False


router = Router()
# Only detail actions (outbounds/{id}/pack/, …/ship/): the outbound itself is read at outbounds/{id}/.
router.register("outbounds", PackingOutboundViewSet, basename="packing-outbound")
router.register("box-suggestions", BoxSuggestionViewSet, basename="box-suggestion")
router.register("parcels", ParcelViewSet, basename="packed-parcel")
router.register("dock-scans", DockScanViewSet, basename="dock-scan")

urlpatterns: list[URLPattern | URLResolver] = list(router.urls)
