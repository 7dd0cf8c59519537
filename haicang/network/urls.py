"""The warehouse network's API routes; the project includes them under ``/api/v1/``."""

from rest_framework.routers import DefaultRouter

from haicang.network.api import HolidayViewSet, LocationViewSet, WarehouseViewSet
from haicang.network.carrier_api import (
    CarrierServiceViewSet,
    CarrierViewSet,
    RateCardViewSet,
    RateQuoteViewSet,
)


class Router(DefaultRouter):
    include_format_suffixes = False
    include_root_view = False


router = Router()
router.register("warehouses", WarehouseViewSet, basename="warehouse")
router.register("locations", LocationViewSet, basename="location")
router.register("holidays", HolidayViewSet, basename="holiday")
router.register("carriers", CarrierViewSet, basename="carrier")
router.register("carrier-services", CarrierServiceViewSet, basename="carrier-service")
router.register("rate-cards", RateCardViewSet, basename="rate-card")
router.register("rate-quotes", RateQuoteViewSet, basename="rate-quote")

urlpatterns = router.urls
