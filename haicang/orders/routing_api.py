"""``POST /api/v1/orders/{id}/route/``: route one order now (reserve its stock or backorder it), and the routing
decision's representation, which the order's detail also carries (``routing``).

Scoped like the orders (resource ``orders``; a POST needs ``orders:write``): another seller's order is 404,
operators see none. An order on hold answers 409 ``orders.on_hold``; one that is not waiting to ship 409
``orders.not_routable``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from haicang.orders import selectors
from haicang.orders.models import Order, RoutingDecision
from haicang.orders.routing import decision_cost_label, order_route, routing_decision_latest
from haicang.parties.api.base import ScopedViewSetMixin


class RoutingDecisionSerializer(serializers.ModelSerializer[RoutingDecision]):
    warehouses = serializers.SerializerMethodField()
    estimated_cost_label = serializers.SerializerMethodField()

    class Meta:
        model = RoutingDecision
        fields = [
            "id",
            "outcome",
            "warehouses",
            "allocations",
            "candidates",
            "summary",
            "promise_days",
            "late",
            "estimated_cost",
            "cost_currency",
            "estimated_cost_label",
            "actor",
            "created_at",
        ]
        read_only_fields = fields

    def get_warehouses(self, decision: RoutingDecision) -> list[str]:
        return sorted(w.code for w in decision.warehouses.all())

    def get_estimated_cost_label(self, decision: RoutingDecision) -> str:
        """The sum of the parts' last-mile costs as shown ("USD 10.60"); "" when unknown."""
        return decision_cost_label(decision)


def routing_representation(order: Order) -> dict[str, Any] | None:
    """The order's latest routing decision, or ``None`` when it was never routed."""
    decision = routing_decision_latest(order)
    return dict(RoutingDecisionSerializer(decision).data) if decision is not None else None


class OrderRouteViewSet(ScopedViewSetMixin):
    resource = "orders"
    queryset = Order.objects.all()
    serializer_class = RoutingDecisionSerializer

    def get_queryset(self) -> Any:
        return selectors.orders(self.scope)

    @extend_schema(
        summary="Route the order now: reserve its stock in the chosen warehouse(s), or backorder it",
        request=None,
        responses={200: RoutingDecisionSerializer},
    )
    def route(self, request: Request, pk: str | None = None) -> Response:
        order = self.get_object()
        routed = order_route(actor=self.scope.actor, order=order)
        order.refresh_from_db()
        return Response(
            {
                "order": str(order.pk),
                "outcome": routed.outcome,
                "allocation_status": order.allocation_status,
                "routing": routing_representation(order),
            }
        )
