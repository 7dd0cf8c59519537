"""API routes: tracking (docs/fulfillment.md, "Tracking")."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import DefaultRouter

from haicang.fulfillment.api_tracking import (
    ParcelTrackingViewSet,
    TrackingAlertViewSet,
    TrackingEventViewSet,
    TrackingMessageViewSet,
    TrackingNumberViewSet,
    TrackingWebhookSecretViewSet,
    tracking_webhook,
)


class Router(DefaultRouter):
    include_format_suffixes = False
    include_root_view = False


router = Router()
router.register("tracking-alerts", TrackingAlertViewSet, basename="tracking-alert")
router.register("tracking-messages", TrackingMessageViewSet, basename="tracking-message")
router.register("tracking-webhook-secrets", TrackingWebhookSecretViewSet, basename="tracking-webhook-secret")

urlpatterns: list[URLPattern | URLResolver] = [
    path("tracking-events/", TrackingEventViewSet.as_view({"post": "create"}), name="tracking-events"),
    path(
        "tracking/<str:carrier_code>/<str:tracking_number>/events/",
        TrackingNumberViewSet.as_view({"post": "record"}),
        name="tracking-number-events",
    ),
    path(
        "parcels/<uuid:pk>/tracking/",
        ParcelTrackingViewSet.as_view({"get": "retrieve"}),
        name="parcel-tracking",
    ),
    path(
        "tracking-webhooks/<uuid:operator_id>/<str:carrier_code>/", tracking_webhook, name="tracking-webhook"
    ),
    *router.urls,
]
