"""The base of every party-scoped API view: scoping, permissions per resource, actor for services.

A viewset sets ``resource`` (``"catalog"``, ``"network"``…) and a ``queryset``; reads need
``<resource>:read``, writes ``<resource>:write``. ``get_queryset`` goes through the one scoping helper, so
another party's object is absent (404) and a role without the permission gets 403.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import QuerySet
from rest_framework import mixins, permissions, viewsets
from rest_framework.request import Request

from haicang.parties.access import scope_for_request
from haicang.parties.scoping import Scope, scope_queryset

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def permission_for(resource: str, method: str) -> str:
    return f"{resource}:{'read' if method in SAFE_METHODS else 'write'}"


class ResourcePermission(permissions.BasePermission):
    """403 unless the request's scope holds ``<resource>:read`` (safe methods) or ``<resource>:write``."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        resource = getattr(view, "resource", None)
        if resource is None:
            return False
        scope = scope_for_request(request)
        scope.require(permission_for(resource, request.method or "GET"))
        return True


class ScopedViewSetMixin(viewsets.GenericViewSet):
    """Base of party-scoped viewsets: combine with DRF's mixins (or ``viewsets.ModelViewSet``)."""

    resource: ClassVar[str]
    permission_classes = [ResourcePermission]

    @property
    def scope(self) -> Scope:
        return scope_for_request(self.request)

    def get_queryset(self) -> QuerySet[Any]:
        queryset = super().get_queryset()
        return scope_queryset(queryset, self.scope, permission=permission_for(self.resource, "GET"))


class ScopedReadOnlyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSetMixin):
    pass


# Scoped base for viewsets whose create/update/destroy call services explicitly.
ScopedModelViewSet = ScopedViewSetMixin
