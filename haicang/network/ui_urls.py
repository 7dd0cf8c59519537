"""The warehouse pages, included under ``/network/`` (namespace ``network``)."""

from django.urls import path

from haicang.network import carrier_views, views

app_name = "network"

urlpatterns = [
    path("warehouses/", views.warehouse_list, name="warehouse-list"),
    path("warehouses/<uuid:pk>/", views.warehouse_detail, name="warehouse-detail"),
    path("warehouses/<uuid:pk>/holidays/", views.holiday_create, name="holiday-create"),
    path("carriers/", carrier_views.carrier_list, name="carrier-list"),
    path("carriers/new/", carrier_views.carrier_create, name="carrier-create"),
    path("carrier-services/new/", carrier_views.carrier_service_create, name="carrier-service-create"),
    path("rate-cards/<uuid:pk>/", carrier_views.rate_card_detail, name="rate-card-detail"),
    path("rate-quote/", carrier_views.rate_quote, name="rate-quote"),
]
