"""The webhook pages, included under ``/integration/`` (namespace ``integration``)."""

from django.urls import path

from haicang.integration import views

app_name = "integration"

urlpatterns = [
    path("webhooks/", views.subscription_list, name="webhook-list"),
    path("webhooks/new/", views.subscription_create, name="webhook-create"),
    path("webhooks/<uuid:pk>/", views.subscription_detail, name="webhook-detail"),
    path("webhooks/<uuid:pk>/test/", views.subscription_test, name="webhook-test"),
    path("webhooks/<uuid:pk>/rotate-secret/", views.subscription_rotate, name="webhook-rotate"),
    path("webhooks/<uuid:pk>/active/", views.subscription_active, name="webhook-active"),
    path("webhooks/<uuid:pk>/acknowledge/", views.subscription_acknowledge, name="webhook-acknowledge"),
    path("dead-letters/", views.dead_letter_list, name="dead-letters"),
    path("deliveries/<uuid:pk>/replay/", views.delivery_replay, name="delivery-replay"),
    path("events/", views.event_catalogue, name="event-catalogue"),
]
