"""The inbound shipment pages, included under ``/inbound/`` (namespace ``inbound``); docs/inbound.md, *Pages*."""

from django.urls import path, re_path

from haicang.inbound import views

app_name = "inbound"

urlpatterns = [
    path("", views.shipment_list, name="shipment-list"),
    path("new/", views.shipment_create, name="shipment-create"),
    path("<uuid:pk>/", views.shipment_detail, name="shipment-detail"),
    path("<uuid:pk>/edit/", views.shipment_edit, name="shipment-edit"),
    path("<uuid:pk>/costs/", views.shipment_costs, name="shipment-costs"),
    path("<uuid:pk>/labels.pdf", views.shipment_labels, name="shipment-labels"),
    re_path(
        r"^(?P<pk>[0-9a-f-]{36})/(?P<step>submit|dispatch|arrive|cancel|eta)/$",
        views.shipment_step,
        name="shipment-step",
    ),
]
