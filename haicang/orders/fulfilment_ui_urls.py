"""The fulfillment-request pages, included under ``/fulfillment-requests/`` (namespace ``fulfilment``)."""

from django.urls import path

from haicang.orders import fulfilment_views as views

app_name = "fulfilment"

urlpatterns = [
    path("", views.request_list, name="request-list"),
    path("at-risk/", views.at_risk_list, name="at-risk"),
    path("<uuid:pk>/", views.request_detail, name="request-detail"),
    path("<uuid:pk>/<slug:step>/", views.request_step, name="request-step"),
]
