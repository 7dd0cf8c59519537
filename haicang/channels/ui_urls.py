"""The channel pages, included under ``/channels/`` (namespace ``channels``)."""

from django.urls import path

from haicang.channels import views

app_name = "channels"

urlpatterns = [
    path("", views.account_list, name="account-list"),
    path("new/", views.account_create, name="account-create"),
    path("<uuid:pk>/", views.account_edit, name="account-edit"),
    path("<uuid:pk>/status/", views.account_status, name="account-status"),
    path("<uuid:pk>/warehouses/", views.account_warehouses, name="account-warehouses"),
    path("<uuid:pk>/share-rules/", views.share_rule_set, name="share-rule-set"),
    path("<uuid:pk>/share-rules/<uuid:rule_id>/delete/", views.share_rule_delete, name="share-rule-delete"),
]
