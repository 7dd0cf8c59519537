"""The inbound API routes; the project includes them under ``/api/v1/``."""

from rest_framework.routers import DefaultRouter

from haicang.inbound.api import (
    DiscrepancyViewSet,
    InboundReceivingViewSet,
    InboundShipmentViewSet,
    LandedCostAverageViewSet,
    ReceivingScanViewSet,
)
from haicang.inbound.putaway_api import PutawayViewSet


class Router(DefaultRouter):
    include_format_suffixes = False
    include_root_view = False


router = Router()
router.register("inbound-shipments", InboundShipmentViewSet, basename="inbound-shipment")
router.register("landed-costs", LandedCostAverageViewSet, basename="landed-cost")
# Receiving (scans, discrepancies, the receipt report): more routes under inbound-shipments/{id}/.
router.register("inbound-shipments", InboundReceivingViewSet, basename="inbound-receiving")
router.register("receiving-scans", ReceivingScanViewSet, basename="receiving-scan")
router.register("inbound-discrepancies", DiscrepancyViewSet, basename="inbound-discrepancy")
router.register("putaway", PutawayViewSet, basename="putaway")

urlpatterns = router.urls
