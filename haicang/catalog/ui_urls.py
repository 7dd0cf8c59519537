"""The catalogue's pages, included under ``/catalog/`` (namespace ``catalog``)."""

from django.urls import path

from haicang.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.sku_list, name="sku-list"),
    path("skus/new/", views.sku_create, name="sku-create"),
    path("skus/<uuid:pk>/", views.sku_detail, name="sku-detail"),
    path("skus/<uuid:pk>/edit/", views.sku_edit, name="sku-edit"),
    path("skus/<uuid:pk>/status/", views.sku_status, name="sku-status"),
    path("import/", views.catalog_import_page, name="import"),
    path("export/", views.catalog_export_file, name="export"),
    path("products/", views.product_list, name="product-list"),
    path("products/new/", views.product_create, name="product-create"),
    path("products/<uuid:pk>/", views.product_detail, name="product-detail"),
    path("products/<uuid:pk>/edit/", views.product_edit, name="product-edit"),
]
