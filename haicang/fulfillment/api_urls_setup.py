"""API routes: setup — the box catalogue and the carriers' pick-up times (docs/fulfillment.md, "Setup: boxes and
pick-up times")."""

from django.urls import URLPattern, URLResolver
from rest_framework.routers import DefaultRouter

from haicang.fulfillment.api_setup import BoxTypeViewSet, PickupScheduleViewSet


class Router(DefaultRouter):
    include_format_suffixes = False
    include_root_view = False


router = Router()
router.register("box-types", BoxTypeViewSet, basename="box-type")
router.register("pickup-schedules", PickupScheduleViewSet, basename="pickup-schedule")

urlpatterns: list[URLPattern | URLResolver] = list(router.urls)
