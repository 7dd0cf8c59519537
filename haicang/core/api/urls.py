"""``/api/v1/``: every app's API views are routed here."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from haicang.core.api.audit_entries import AuditEntryViewSet
from haicang.core.api.me import MeView


class Router(DefaultRouter):
    # One representation per resource (JSON): no `.json` suffix routes.
    include_format_suffixes = False


router = Router()
router.register("audit-entries", AuditEntryViewSet, basename="audit-entry")

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    *router.urls,
]
