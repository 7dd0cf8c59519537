"""API routes: picking (docs/fulfillment.md, "Outbound work", "Waves", "Picking")."""

from django.urls import URLPattern, URLResolver
from rest_framework.routers import DefaultRouter

from haicang.fulfillment.api_picking import (
    OutboundRequestViewSet,
    OutboundViewSet,
    PickExceptionViewSet,
    PickListViewSet,
    WaveViewSet,
)


class Router(DefaultRouter):
    include_format_suffixes = False
    include_root_view = False


router = Router()
router.register("outbounds", OutboundViewSet, basename="outbound")
router.register("outbound-requests", OutboundRequestViewSet, basename="outbound-request")
router.register("waves", WaveViewSet, basename="wave")
router.register("pick-lists", PickListViewSet, basename="pick-list")
router.register("pick-exceptions", PickExceptionViewSet, basename="pick-exception")

urlpatterns: list[URLPattern | URLResolver] = list(router.urls)
