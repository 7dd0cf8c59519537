"""The orders API routes (under ``/api/v1/``) and the channels' order webhooks."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from haicang.orders.api import OrderViewSet
from haicang.orders.cancellation_api import OrderCancelViewSet
from haicang.orders.release_api import OrderReleaseViewSet
from haicang.orders.routing_api import OrderRouteViewSet
from haicang.orders.settings_api import OrderSettingsViewSet
from haicang.orders.webhooks import shopify_order_webhook


class Router(DefaultRouter):
    include_format_suffixes = False
    include_root_view = False


router = Router()
router.register("orders", OrderViewSet, basename="order")

urlpatterns = [
    path(
        "channel-webhooks/shopify/<uuid:account_id>/orders/",
        shopify_order_webhook,
        name="orders-shopify-webhook",
    ),
    path("orders/<pk>/route/", OrderRouteViewSet.as_view({"post": "route"}), name="order-route"),
    path(
        "order-settings/",
        OrderSettingsViewSet.as_view({"get": "retrieve", "put": "update"}),
        name="order-settings",
    ),
    path("orders/<pk>/cancel/", OrderCancelViewSet.as_view({"post": "cancel"}), name="order-cancel"),
    path("orders/<pk>/release/", OrderReleaseViewSet.as_view({"post": "release"}), name="order-release"),
    *router.urls,
]
