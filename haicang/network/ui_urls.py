"""The warehouse pages, included under ``/network/`` (namespace ``network``)."""

from django.urls import path

from haicang.network import views

app_name = "network"

urlpatterns = [
    path("warehouses/", views.warehouse_list, name="warehouse-list"),
    path("warehouses/<uuid:pk>/", views.warehouse_detail, name="warehouse-detail"),
    path("warehouses/<uuid:pk>/holidays/", views.holiday_create, name="holiday-create"),
]
