"""``/api/v1/putaway/``: what waits in receiving, where it should go, and putting it away.

Resource ``inbound``; the operator's work in its own warehouses (a seller is refused with 403):

- ``GET putaway/queue/?warehouse=<id>`` — units waiting in the receiving locations (all the operator's
  warehouses without ``warehouse``): SKU, owner, location, quantity, the shipments that brought them;
- ``GET putaway/suggestion/?warehouse=<id>&sku=<id>&quantity=<n>`` — the bin and the reason;
- ``POST putaway/`` — ``{sku, from_location (id, or code with warehouse), to_location (the scanned code),
  quantity, suggested?, other_bin?}``: moves the units (``haicang.inbound.putaway.putaway_confirm``).
"""

from __future__ import annotations

from typing import Any, cast

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from haicang.core.errors import NotFound, ValidationFailed
from haicang.inbound import putaway as p
from haicang.inbound.putaway_rules import Suggestion
from haicang.inventory.models import Balance
from haicang.network.models import Location, Warehouse
from haicang.parties.api.base import ScopedViewSetMixin


class PutawayRefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    code = serializers.CharField()


class ShipmentRefSerializer(serializers.Serializer):
    id = serializers.UUIDField(allow_null=True)
    number = serializers.CharField()


class QueueRowSerializer(serializers.Serializer):
    warehouse = PutawayRefSerializer(source="location.warehouse")
    location = PutawayRefSerializer()
    sku = PutawayRefSerializer()
    sku_name = serializers.CharField(source="sku.name_en")
    owner = serializers.UUIDField(source="owner.pk")
    owner_name = serializers.CharField(source="owner.name")
    quantity = serializers.IntegerField()
    shipments = ShipmentRefSerializer(
        many=True, help_text="Shipments received into the location, newest first"
    )


class SuggestedBinSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    code = serializers.CharField()
    kind = serializers.CharField()
    pick_sequence = serializers.IntegerField(allow_null=True)


class SentenceSerializer(serializers.Serializer):
    code = serializers.CharField()
    params = serializers.DictField()


class SuggestionSerializer(serializers.Serializer):
    warehouse = PutawayRefSerializer()
    sku = PutawayRefSerializer()
    quantity = serializers.IntegerField()
    location = SuggestedBinSerializer(allow_null=True, help_text="Null: no bin fits")
    rule = serializers.ChoiceField(choices=["holds_sku", "empty_pick", "empty_bulk", "none"])
    fit = serializers.ChoiceField(
        choices=["yes", "no", "unknown"], help_text="unknown: the room could not be checked"
    )
    reason = serializers.CharField()
    sentences = SentenceSerializer(many=True)


class PutawayInputSerializer(serializers.Serializer):
    sku = serializers.UUIDField()
    from_location = serializers.CharField(
        help_text="A receiving location: its id, or its code with warehouse"
    )
    warehouse = serializers.UUIDField(required=False, help_text="Needed when from_location is a code")
    to_location = serializers.CharField(help_text="The bin's code as scanned")
    quantity = serializers.IntegerField(min_value=1)
    suggested = serializers.CharField(
        required=False, allow_blank=True, help_text="The bin the operator was shown; another is refused…"
    )
    other_bin = serializers.BooleanField(
        required=False, default=False, help_text="…unless the operator chose another bin on purpose"
    )


class PutawayResultSerializer(serializers.Serializer):
    sku = PutawayRefSerializer()
    from_location = PutawayRefSerializer()
    to_location = PutawayRefSerializer()
    quantity = serializers.IntegerField()
    left = serializers.IntegerField(help_text="Units of the SKU still at the receiving location")
    suggested = serializers.CharField(allow_null=True)
    followed = serializers.BooleanField()
    moves = serializers.ListField(child=serializers.UUIDField())


def suggestion_data(warehouse: Warehouse, sku: Any, quantity: int, suggestion: Suggestion) -> dict[str, Any]:
    location = None
    if suggestion.bin is not None:
        found = Location.objects.get(warehouse=warehouse, code=suggestion.bin.code)
        location = {
            "id": found.pk,
            "code": found.code,
            "kind": found.kind,
            "pick_sequence": found.pick_sequence,
        }
    return {
        "warehouse": {"id": warehouse.pk, "code": warehouse.code},
        "sku": {"id": sku.pk, "code": sku.code},
        "quantity": quantity,
        "location": location,
        "rule": str(suggestion.rule),
        "fit": str(suggestion.fit),
        "reason": p.reason_text(suggestion),
        "sentences": [{"code": s.code, "params": dict(s.params)} for s in suggestion.sentences],
    }


def _quantity(raw: Any) -> int:
    try:
        quantity = int(str(raw))
    except (TypeError, ValueError):
        quantity = 0
    if quantity <= 0:
        raise p.PutawayInvalid(f"quantity is a whole number above 0, not {raw!r}", field="quantity")
    return quantity


class PutawayViewSet(ScopedViewSetMixin):
    """Putaway: the queue of received units, the suggested bin, and the move into the scanned bin."""

    resource = "inbound"
    queryset = Balance.objects.all()
    filter_backends: list[Any] = []

    def _warehouse(self, raw: Any, *, required: bool) -> Warehouse | None:
        if raw in (None, ""):
            if required:
                raise ValidationFailed("give the warehouse (its id)", field="warehouse")
            return None
        return p.putaway_warehouse_get(self.scope, raw)

    @extend_schema(
        summary="List what waits for putaway",
        parameters=[OpenApiParameter("warehouse", str, description="A warehouse id (default: all yours)")],
        responses=QueueRowSerializer(many=True),
    )
    @action(detail=False, methods=["get"])
    def queue(self, request: Request) -> Response:
        p.operator_id_of(self.scope)
        warehouse = self._warehouse(request.query_params.get("warehouse"), required=False)
        rows = p.putaway_queue(self.scope, warehouse=warehouse)
        page = self.paginate_queryset(rows)
        data = QueueRowSerializer(page if page is not None else rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    @extend_schema(
        summary="Suggest a bin for units of a SKU",
        parameters=[
            OpenApiParameter("warehouse", str, required=True),
            OpenApiParameter("sku", str, required=True),
            OpenApiParameter("quantity", int, required=True),
        ],
        responses=SuggestionSerializer,
    )
    @action(detail=False, methods=["get"])
    def suggestion(self, request: Request) -> Response:
        p.operator_id_of(self.scope)
        warehouse = self._warehouse(request.query_params.get("warehouse"), required=True)
        if warehouse is None:  # required: never
            raise ValidationFailed("give the warehouse (its id)", field="warehouse")
        if not request.query_params.get("sku"):
            raise ValidationFailed("give the SKU (its id)", field="sku")
        sku = p.putaway_sku_get(self.scope, request.query_params.get("sku"))
        quantity = _quantity(request.query_params.get("quantity"))
        suggestion = p.putaway_suggestion(warehouse=warehouse, sku=sku, quantity=quantity)
        return Response(suggestion_data(warehouse, sku, quantity, suggestion))

    @extend_schema(
        summary="Put units away into a bin",
        description="Moves units from a receiving location into the scanned pick or bulk bin. A code that "
        "is not an active bin of the warehouse is 400 putaway.wrong_bin; another bin than `suggested` is "
        "409 putaway.bin_mismatch unless `other_bin` is true; more than waits is 409 putaway.not_enough.",
        request=PutawayInputSerializer,
        responses={201: PutawayResultSerializer},
    )
    def create(self, request: Request) -> Response:
        p.operator_id_of(self.scope, p.WRITE)
        body = PutawayInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        sku = p.putaway_sku_get(self.scope, data["sku"])
        warehouse = self._warehouse(data.get("warehouse"), required=False)
        if warehouse is None:
            found = (
                Location.objects.filter(warehouse__in=p.putaway_warehouses(self.scope))
                .filter(pk=_uuid_or_none(data["from_location"]))
                .select_related("warehouse")
                .first()
            )
            if found is None:
                raise NotFound(
                    f"no location with id {data['from_location']} (give warehouse with a code)",
                    field="from_location",
                )
            warehouse = cast(Warehouse, found.warehouse)
        from_location = p.receiving_location_get(self.scope, warehouse=warehouse, ref=data["from_location"])
        done = p.putaway_confirm(
            actor=self.scope.actor,
            sku=sku,
            from_location=from_location,
            scanned=data["to_location"],
            quantity=data["quantity"],
            suggested=data.get("suggested") or "",
            other_bin=data.get("other_bin", False),
        )
        result = {
            "sku": {"id": sku.pk, "code": sku.code},
            "from_location": {"id": from_location.pk, "code": from_location.code},
            "to_location": {"id": done.to_location.pk, "code": done.to_location.code},
            "quantity": done.quantity,
            "left": done.left,
            "suggested": done.suggestion.code,
            "followed": done.followed,
            "moves": [move.pk for move in done.moves],
        }
        return Response(PutawayResultSerializer(result).data, status=status.HTTP_201_CREATED)


def _uuid_or_none(raw: Any) -> Any:
    import uuid

    try:
        return uuid.UUID(str(raw))
    except ValueError:
        return None
