"""The parties' pages, included under ``/parties/`` (namespace ``parties``)."""

from django.urls import path

from haicang.parties import views

app_name = "parties"

urlpatterns = [
    path("switch/", views.party_switch, name="switch"),
    path("members/", views.member_list, name="member-list"),
    path("members/<uuid:pk>/role/", views.member_role, name="member-role"),
    path("members/<uuid:pk>/deactivate/", views.member_deactivate, name="member-deactivate"),
    path("api-keys/", views.api_key_list, name="api-key-list"),
    path("api-keys/new/", views.api_key_create, name="api-key-create"),
    path("api-keys/<uuid:pk>/revoke/", views.api_key_revoke, name="api-key-revoke"),
    path("agreements/", views.agreement_list, name="agreement-list"),
    path("agreements/<uuid:pk>/", views.agreement_detail, name="agreement-detail"),
]
