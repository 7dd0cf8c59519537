"""Permission classes shared by API views."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request


class StaffOnly(BasePermission):
    """Signed-in staff users only.

    A stop-gap for installation-wide reads (the audit log) until parties, roles and the per-request
    scoping helper exist; then these endpoints answer every party its own scope instead.
    """

    message = _("Only staff users may use this endpoint for now.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and getattr(user, "is_staff", False))
