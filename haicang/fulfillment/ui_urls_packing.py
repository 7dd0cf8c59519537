"""Pages: packing, labels and the dock (docs/fulfillment.md, "Packing and rate shopping", "Labels", "Ship
confirmation")."""

from django.urls import URLPattern, URLResolver, path

from haicang.fulfillment import views_packing as v

urlpatterns: list[URLPattern | URLResolver] = [
    path("pack/", v.pack_start, name="pack"),
    path("pack/<uuid:pk>/", v.pack_outbound, name="pack-outbound"),
    path("parcels/<uuid:pk>/label.pdf", v.parcel_label_download, {"fmt": "pdf"}, name="parcel-label-pdf"),
    path("parcels/<uuid:pk>/label.zpl", v.parcel_label_download, {"fmt": "zpl"}, name="parcel-label-zpl"),
    path("ship/", v.ship_dock, name="ship"),
]
