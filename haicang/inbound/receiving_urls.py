"""The receiving pages, included by the project under ``/receiving/`` (namespace ``receiving``)."""

from django.urls import path

from haicang.inbound import receiving_views as v

app_name = "receiving"

urlpatterns = [
    path("", v.receiving_list, name="list"),
    path("<uuid:pk>/", v.receiving_shipment, name="shipment"),
    path("<uuid:pk>/discrepancy/", v.receiving_discrepancy, name="discrepancy"),
    path("<uuid:pk>/close/", v.receiving_close, name="close"),
    path("<uuid:pk>/report/", v.receiving_report, name="report"),
    path("<uuid:pk>/report/answer/", v.receiving_report_answer, name="report-answer"),
    path("<uuid:pk>/report/resolve/", v.receiving_report_resolve, name="report-resolve"),
    path("discrepancies/<uuid:pk>/photo/", v.discrepancy_photo, name="discrepancy-photo"),
]
