"""The integration API routes; the project includes them under ``/api/v1/``."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from haicang.integration.api import EventTypeListView, WebhookDeliveryViewSet, WebhookSubscriptionViewSet


class Router(DefaultRouter):
    include_format_suffixes = False
    include_root_view = False


router = Router()
router.register("webhook-subscriptions", WebhookSubscriptionViewSet, basename="webhook-subscription")
router.register("webhook-deliveries", WebhookDeliveryViewSet, basename="webhook-delivery")

urlpatterns = [path("event-types/", EventTypeListView.as_view(), name="event-types"), *router.urls]
