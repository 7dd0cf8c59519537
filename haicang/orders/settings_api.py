"""``/api/v1/order-settings/``: the acting seller's order-handling choices (``GET``, ``PUT``).

One object per seller, without an id in the path: the caller's own. Resource ``orders``: reading needs
``orders:read``, ``PUT`` needs ``orders:write`` (the seller's owner and order managers). Operators and
installation admins have no order settings: 403 ``access.denied``. The body is ``{"allow_split": true|false}``;
anything else is 400 ``orders.input_invalid`` naming the field. The service is
:func:`haicang.orders.routing.order_settings_set` (audited ``order_settings.changed``).
"""

from __future__ import annotations

import uuid
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from haicang.orders.errors import OrderInputInvalid
from haicang.orders.models import OrderSettings
from haicang.orders.routing import order_settings_of, order_settings_set
from haicang.orders.selectors import READ
from haicang.parties.api.base import ScopedViewSetMixin
from haicang.parties.scoping import AccessDenied, Scope

FIELDS = frozenset({"allow_split"})


class OrderSettingsSerializer(serializers.Serializer):
    allow_split = serializers.BooleanField(
        help_text="Routing may ship an order from several warehouses (one parcel each) when no single "
        "warehouse has everything; false: such an order is backordered"
    )
    updated_at = serializers.DateTimeField(
        allow_null=True, read_only=True, help_text="When the settings were last changed (null: the defaults)"
    )


class OrderSettingsInputSerializer(serializers.Serializer):
    """For the schema only: the view reads the body itself so that every problem is orders.input_invalid."""

    allow_split = serializers.BooleanField()


def settings_input(data: Any) -> bool:
    """``allow_split`` from a request body: an object with exactly that key and a JSON boolean."""
    if not isinstance(data, dict):
        raise OrderInputInvalid('give an object such as {"allow_split": true}', field=None)
    unknown = sorted(set(data) - FIELDS)
    if unknown:
        raise OrderInputInvalid(f"unknown field {unknown[0]!r}", field=unknown[0])
    value = data.get("allow_split")
    if not isinstance(value, bool):
        raise OrderInputInvalid("allow_split is true or false", field="allow_split")
    return value


def seller_of(scope: Scope) -> uuid.UUID:
    if scope.seller_id is None:
        raise AccessDenied("order settings belong to a seller: act for one", permission=READ)
    return scope.seller_id


def representation(settings: OrderSettings) -> dict[str, Any]:
    return dict(OrderSettingsSerializer(settings).data)


class OrderSettingsViewSet(ScopedViewSetMixin):
    """The acting seller's order settings."""

    resource = "orders"
    queryset = OrderSettings.objects.all()
    serializer_class = OrderSettingsSerializer
    filter_backends: list[Any] = []
    pagination_class = None

    @extend_schema(summary="Read your order settings", responses=OrderSettingsSerializer)
    def retrieve(self, request: Request) -> Response:
        return Response(representation(order_settings_of(seller_of(self.scope))))

    @extend_schema(
        summary="Change your order settings",
        description="Needs orders:write. Audited (order_settings.changed). Every input problem is "
        "orders.input_invalid naming the field.",
        request=OrderSettingsInputSerializer,
        responses=OrderSettingsSerializer,
    )
    def update(self, request: Request) -> Response:
        seller_id = seller_of(self.scope)
        allow_split = settings_input(request.data)
        settings = order_settings_set(actor=self.scope.actor, seller_id=seller_id, allow_split=allow_split)
        return Response(representation(settings))
