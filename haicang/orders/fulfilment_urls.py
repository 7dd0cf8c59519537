"""The fulfillment-request API routes (under ``/api/v1/``)."""

from rest_framework.routers import DefaultRouter

from haicang.orders.fulfilment_api import FulfillmentCancellationViewSet, FulfillmentRequestViewSet


class Router(DefaultRouter):
    include_format_suffixes = False
    include_root_view = False


router = Router()
router.register("fulfillment-requests", FulfillmentRequestViewSet, basename="fulfillment-request")
router.register("fulfillment-requests", FulfillmentCancellationViewSet, basename="fulfillment-cancellation")

urlpatterns = router.urls
