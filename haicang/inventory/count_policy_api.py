"""``/api/v1/count-policies/``: the cycle-count approval limits of the operator's warehouses.

Resource ``inventory``. One row per warehouse of the acting operator — the limits in force and whether they
are the defaults — keyed by the warehouse's id. Reading needs ``inventory:read`` in an operator's scope (a
seller is refused: 403 on the list, 404 on a warehouse); ``PUT {warehouse_id}/`` sets the warehouse's limits
and needs ``inventory:write`` — the permission count approvals need (operator owner and manager). Every input
problem is ``count.policy_invalid`` with the field at fault. The service is
:func:`haicang.inventory.counting.count_policy_set` (audited ``count.policy_set``).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from haicang.core.api.money_fields import MoneyField
from haicang.core.errors import DomainError
from haicang.core.money import Money, amount_parse, currency_check
from haicang.inventory import count_selectors as cs
from haicang.inventory import counting
from haicang.inventory.errors import CountPolicyInvalid
from haicang.network.models import Warehouse
from haicang.parties.api.base import ScopedViewSetMixin


class PolicyWarehouseSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    code = serializers.CharField()
    name = serializers.CharField()
    currency = serializers.CharField(help_text="The warehouse's currency: the defaults' currency")


class CountPolicySerializer(serializers.Serializer):
    """The approval limits in force at one warehouse: a variance needs a manager's approval when it is more
    than ``max_units`` units either way, or worth more than ``max_value`` (or cannot be valued)."""

    warehouse = PolicyWarehouseSerializer()
    max_units = serializers.IntegerField()
    max_value = MoneyField()
    is_default = serializers.BooleanField(help_text="True when the warehouse has no policy of its own")
    updated_at = serializers.DateTimeField(allow_null=True, help_text="When the policy was last set")


class CountPolicyInputSerializer(serializers.Serializer):
    """For the schema only: the view parses the body itself so that every problem is ``count.policy_invalid``."""

    max_units = serializers.IntegerField(min_value=0, help_text="A whole number of units, 0 or more")
    max_value = MoneyField(help_text="0 or more, in any ISO 4217 currency")


def policy_input(data: Any) -> tuple[int, Money]:
    """``(max_units, max_value)`` from a request body; CountPolicyInvalid naming the field at fault. The
    ranges are the service's to check."""
    if not isinstance(data, dict):
        raise CountPolicyInvalid("give an object with max_units and max_value", field=None)
    max_units = data.get("max_units")
    if isinstance(max_units, bool) or not isinstance(max_units, int):
        raise CountPolicyInvalid("max_units is a whole number, 0 or more", field="max_units")
    value = data.get("max_value")
    if not isinstance(value, dict) or set(value) != {"amount", "currency"}:
        raise CountPolicyInvalid(
            'max_value is an object {"amount": "12.34", "currency": "EUR"}', field="max_value"
        )
    amount, currency = value["amount"], value["currency"]
    try:
        currency = currency_check(currency.upper() if isinstance(currency, str) else "")
    except DomainError as exc:
        raise CountPolicyInvalid(
            f"{value['currency']!r} is not an ISO 4217 currency code", field="max_value.currency"
        ) from exc
    if isinstance(amount, bool) or not isinstance(amount, str | int):
        raise CountPolicyInvalid(
            'give the amount as a string such as "12.34", never a JSON number with a fraction',
            field="max_value.amount",
        )
    try:
        return max_units, Money(amount_parse(str(amount)), currency)
    except (DomainError, TypeError, ValueError) as exc:
        raise CountPolicyInvalid(f"{str(amount)[:64]!r} is not an amount", field="max_value.amount") from exc


@extend_schema_view(
    list=extend_schema(
        summary="List the count approval limits of your warehouses",
        responses=CountPolicySerializer(many=True),
    ),
    retrieve=extend_schema(summary="Read one warehouse's count approval limits"),
)
class CountPolicyViewSet(ScopedViewSetMixin):
    """The approval limits of the acting operator's warehouses, one row per warehouse (keyed by its id): a
    counted variance above them waits for a manager's approval."""

    resource = "inventory"
    queryset = Warehouse.objects.all()
    serializer_class = CountPolicySerializer
    filter_backends: list[Any] = []
    lookup_value_regex = "[0-9a-fA-F-]{36}"

    def get_queryset(self) -> Any:
        warehouses = super().get_queryset()
        operator_id = self.scope.operator_id
        if operator_id is None:  # a seller: no warehouse is theirs to set limits for
            return warehouses.none()
        return warehouses.filter(operator_id=operator_id).order_by("code")

    def _row(self, warehouse: Warehouse) -> dict[str, Any]:
        return dict(CountPolicySerializer(cs.warehouse_limits([warehouse])[0]).data)

    def list(self, request: Request) -> Response:
        cs.operator_id_of(self.scope)  # 403 for a seller: limits are the operator's
        page = self.paginate_queryset(self.get_queryset())
        rows = cs.warehouse_limits(page if page is not None else self.get_queryset())
        data = CountPolicySerializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(self._row(self.get_object()))

    @extend_schema(
        summary="Set a warehouse's count approval limits",
        description="Variances above these limits wait for a manager's approval. Needs inventory:write in "
        "the warehouse's operator. Every input problem is count.policy_invalid.",
        request=CountPolicyInputSerializer,
        responses=CountPolicySerializer,
    )
    def update(self, request: Request, pk: Any = None) -> Response:
        warehouse = self.get_object()
        cs.require_manage(self.scope)
        max_units, max_value = policy_input(request.data)
        counting.count_policy_set(
            actor=self.scope.actor, warehouse=warehouse, max_units=max_units, max_value=max_value
        )
        return Response(self._row(warehouse))
