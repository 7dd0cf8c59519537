"""The stock and count pages, included under ``/inventory/`` (namespace ``inventory``): ``stock/…`` (the nav
entry Stock, with the move history) and ``counts/…`` (the nav entry Counts, with the approval limits at
``counts/limits/``)."""

from django.urls import path
from django.views.generic import RedirectView

from haicang.inventory import count_views, views

app_name = "inventory"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="inventory:stock-list"), name="home"),
    path("stock/", views.stock_list, name="stock-list"),
    path("stock/skus/<uuid:pk>/", views.stock_sku, name="stock-sku"),
    path("stock/moves/", views.move_list, name="move-list"),
    path("stock/moves/export/", views.move_export, name="move-export"),
    path("counts/", count_views.count_list, name="count-list"),
    path("counts/new/", count_views.count_create, name="count-create"),
    path("counts/limits/", count_views.count_limits, name="count-limits"),
    path("counts/limits/<uuid:pk>/", count_views.count_limits_set, name="count-limits-set"),
    path("counts/<uuid:pk>/", count_views.count_detail, name="count-detail"),
    path("counts/<uuid:pk>/count/", count_views.count_scan, name="count-scan"),
    path("counts/<uuid:pk>/submit/", count_views.count_submit, name="count-submit"),
    path("counts/<uuid:pk>/approve/", count_views.count_approve, name="count-approve"),
    path("counts/<uuid:pk>/reject/", count_views.count_reject, name="count-reject"),
    path("counts/<uuid:pk>/cancel/", count_views.count_cancel, name="count-cancel"),
]
