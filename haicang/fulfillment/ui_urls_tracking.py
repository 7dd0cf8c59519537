"""Pages: tracking (docs/fulfillment.md, "Tracking")."""

from django.urls import URLPattern, URLResolver, path

from haicang.fulfillment import tracking_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("tracking/alerts/", views.tracking_alerts, name="tracking-alerts"),
    path(
        "tracking/alerts/<uuid:pk>/resolve/", views.tracking_alert_resolve_view, name="tracking-alert-resolve"
    ),
    path("tracking/parcels/<uuid:pk>/", views.tracking_parcel, name="tracking-parcel"),
    path("tracking/parcels/<uuid:pk>/label.pdf", views.tracking_parcel_label, name="tracking-parcel-label"),
]
