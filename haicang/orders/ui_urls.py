"""The order pages, included under ``/orders/`` (namespace ``orders``)."""

from django.urls import path

from haicang.orders import settings_views, views

app_name = "orders"

urlpatterns = [
    path("", views.order_list, name="order-list"),
    path("<uuid:pk>/", views.order_detail, name="order-detail"),
    path("settings/", settings_views.order_settings, name="order-settings"),
]
