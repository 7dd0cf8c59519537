"""The Imports pages, included under ``/imports/`` (namespace ``exchange``)."""

from django.urls import path

from haicang.exchange import views

app_name = "exchange"

urlpatterns = [
    path("", views.job_list, name="job-list"),
    path("<uuid:pk>/", views.job_detail, name="job-detail"),
    path("<uuid:pk>/confirm/", views.job_confirm, name="job-confirm"),
    path("<uuid:pk>/discard/", views.job_discard, name="job-discard"),
    path("profiles/", views.profile_list, name="profile-list"),
    path("profiles/<uuid:pk>/", views.profile_edit, name="profile-edit"),
    path("profiles/<uuid:pk>/delete/", views.profile_delete, name="profile-delete"),
]
