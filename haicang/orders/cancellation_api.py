"""``POST /api/v1/orders/{id}/cancel/`` ``{"reason"}``: the seller cancels an order in Haicang
(:func:`haicang.orders.cancellation.order_cancel`). Scoped like the orders (a POST needs ``orders:write``):
another seller's order is 404, operators see none. An order already cancelled, shipped or delivered answers 409
``orders.not_cancellable``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from haicang.orders import selectors
from haicang.orders.cancellation import order_cancel
from haicang.orders.models import Order
from haicang.orders.models_fulfilment import FulfillmentRequest
from haicang.parties.api.base import ScopedViewSetMixin


class OrderCancelSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class OrderCancelViewSet(ScopedViewSetMixin):
    resource = "orders"
    queryset = Order.objects.all()
    serializer_class = OrderCancelSerializer

    def get_queryset(self) -> Any:
        return selectors.orders(self.scope)

    @extend_schema(
        summary="Cancel the order: its fulfillment requests are cancelled or asked to cancel, its free stock "
        "released",
        request=OrderCancelSerializer,
        responses={200: None},
    )
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        order = self.get_object()
        body = OrderCancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        order = order_cancel(actor=self.scope.actor, order=order, reason=body.validated_data["reason"])
        requests = FulfillmentRequest.objects.filter(order=order).order_by("number")
        return Response(
            {
                "order": str(order.pk),
                "status": order.status,
                "allocation_status": order.allocation_status,
                "cancelled_by": order.cancelled_by,
                "fulfillment_requests": [
                    {"id": str(r.pk), "number": r.number, "status": r.status, "cancellation": r.cancellation}
                    for r in requests
                ],
            }
        )
