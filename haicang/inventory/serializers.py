"""API representations of the stock ledger and the cycle counts. Read serializers render; write serializers
only parse input — the views hand it to the services."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from haicang.core.api.money_fields import MoneyField
from haicang.inventory.models import (
    CountLine,
    CountTask,
    CountTaskKind,
    CountTaskStatus,
    Move,
    Reservation,
    ReservationStatus,
)
from haicang.network.models import LocationKind


class SkuRefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    code = serializers.CharField()
    name_en = serializers.CharField()
    name_zh = serializers.CharField()


class WarehouseRefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    code = serializers.CharField()


class LocationRefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    code = serializers.CharField()
    kind = serializers.ChoiceField(choices=LocationKind.choices)
    warehouse = serializers.CharField(
        source="warehouse.code", default=None, allow_null=True, help_text="Empty for global virtual locations"
    )


# --- stock levels -----------------------------------------------------------------------------------------


class StockLevelSerializer(serializers.Serializer):
    """Units of one SKU at one warehouse by state. ``on_hand`` = sellable + receiving + damaged + in_returns +
    quarantine; ``available`` = sellable − reserved."""

    owner = serializers.UUIDField(help_text="The seller who owns the stock")
    sku = SkuRefSerializer()
    warehouse = WarehouseRefSerializer()
    in_transit = serializers.IntegerField(help_text="On its way to this warehouse")
    on_hand = serializers.IntegerField()
    sellable = serializers.IntegerField(help_text="On hand in pick and bulk bins")
    reserved = serializers.IntegerField()
    available = serializers.IntegerField()
    receiving = serializers.IntegerField(help_text="In receiving and dock areas")
    damaged = serializers.IntegerField()
    in_returns = serializers.IntegerField()
    quarantine = serializers.IntegerField()


# --- moves and reservations -------------------------------------------------------------------------------


class MoveSerializer(serializers.ModelSerializer):
    sku = SkuRefSerializer(read_only=True)
    from_location = LocationRefSerializer(read_only=True)
    to_location = LocationRefSerializer(read_only=True)
    actor = serializers.CharField(source="actor_label", read_only=True)

    class Meta:
        model = Move
        fields = [
            "id",
            "owner",
            "sku",
            "lot_code",
            "received_on",
            "quantity",
            "from_location",
            "to_location",
            "document_type",
            "document_ref",
            "reason",
            "correction_of",
            "actor",
            "effective_at",
            "recorded_at",
        ]
        read_only_fields = fields


class ReservationSerializer(serializers.ModelSerializer):
    sku = SkuRefSerializer(read_only=True)
    warehouse = WarehouseRefSerializer(read_only=True)
    status = serializers.ChoiceField(choices=ReservationStatus.choices, read_only=True)

    class Meta:
        model = Reservation
        fields = [
            "id",
            "owner",
            "sku",
            "warehouse",
            "demand_type",
            "demand_ref",
            "quantity",
            "open_quantity",
            "consumed_quantity",
            "released_quantity",
            "status",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CorrectionSerializer(serializers.Serializer):
    """Set the on-hand of one SKU (one lot) at one location, if it still is ``expected``."""

    sku = serializers.UUIDField()
    location = serializers.UUIDField()
    lot_code = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    expires_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Expiry of a lot not seen before (required then for an expiry-tracked SKU)",
    )
    expected = serializers.IntegerField(min_value=0, help_text="The on-hand you read and mean to replace")
    counted = serializers.IntegerField(min_value=0, help_text="The on-hand it is to become")
    reason = serializers.CharField(max_length=200)


class CorrectionResultSerializer(serializers.Serializer):
    on_hand = serializers.IntegerField()
    moves = MoveSerializer(many=True)


# --- cycle counts -----------------------------------------------------------------------------------------


class CountLineSerializer(serializers.ModelSerializer):
    """A line as the counter sees it: what was counted, never what the ledger held."""

    location = LocationRefSerializer(read_only=True)
    sku = SkuRefSerializer(read_only=True)

    class Meta:
        model = CountLine
        fields = ["id", "location", "sku", "lot_code", "counted", "counted_at", "counted_by", "implied"]
        read_only_fields = fields


class CountLineReviewSerializer(CountLineSerializer):
    """A line of a submitted task as a manager reviews it: with the ledger's snapshot and the variance."""

    variance = serializers.IntegerField(read_only=True)
    value = MoneyField(read_only=True, allow_null=True, help_text="|variance| at the SKU's purchase cost")
    approval_reasons = serializers.SerializerMethodField()

    class Meta(CountLineSerializer.Meta):
        fields = [
            *CountLineSerializer.Meta.fields,
            "expected",
            "variance",
            "value",
            "needs_approval",
            "approval_reasons",
        ]
        read_only_fields = fields

    def get_approval_reasons(self, line: CountLine) -> list[str]:
        return [r for r in line.approval_reasons.split(",") if r]


class CountTaskSerializer(serializers.ModelSerializer):
    warehouse = WarehouseRefSerializer(read_only=True)
    sku = SkuRefSerializer(read_only=True, allow_null=True)
    kind = serializers.ChoiceField(choices=CountTaskKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=CountTaskStatus.choices, read_only=True)
    assignee = serializers.CharField(
        source="assignee.username", read_only=True, default=None, allow_null=True
    )
    locations = LocationRefSerializer(many=True, read_only=True)
    reviewed = serializers.SerializerMethodField(
        help_text="True when the lines show the ledger's snapshot and variances (a manager, after submit)"
    )
    lines = serializers.SerializerMethodField()

    class Meta:
        model = CountTask
        fields = [
            "id",
            "number",
            "warehouse",
            "kind",
            "sku",
            "status",
            "round",
            "assignee",
            "note",
            "locations",
            "created_by",
            "created_at",
            "submitted_at",
            "submitted_by",
            "decided_at",
            "decided_by",
            "decision_note",
            "applied_at",
            "reviewed",
            "lines",
        ]
        read_only_fields = fields

    def get_reviewed(self, task: CountTask) -> bool:
        return bool(self.context.get("review")) and task.status != CountTaskStatus.OPEN

    def get_lines(self, task: CountTask) -> list[dict[str, Any]]:
        lines = task.lines.select_related("location__warehouse", "sku")
        serializer = CountLineReviewSerializer if self.get_reviewed(task) else CountLineSerializer
        return list(serializer(lines, many=True).data)


class CountTaskListSerializer(CountTaskSerializer):
    class Meta(CountTaskSerializer.Meta):
        fields = [f for f in CountTaskSerializer.Meta.fields if f not in ("locations", "lines")]
        read_only_fields = fields


class CountTaskCreateSerializer(serializers.Serializer):
    warehouse = serializers.UUIDField()
    locations = serializers.ListField(
        child=serializers.UUIDField(), required=False, max_length=5000, help_text="Count these locations…"
    )
    location_codes = serializers.ListField(
        child=serializers.CharField(max_length=20),
        required=False,
        max_length=5000,
        help_text="…or these codes",
    )
    sku = serializers.UUIDField(required=False, help_text="…or one SKU wherever the warehouse holds it")
    assignee = serializers.CharField(required=False, allow_null=True, help_text="The counter's username")
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class CountLineRecordSerializer(serializers.Serializer):
    """Scan the location (id or code), then the SKU (id, code or barcode), then type the quantity."""

    location = serializers.UUIDField(required=False)
    location_code = serializers.CharField(required=False, max_length=20)
    sku = serializers.UUIDField(required=False)
    sku_code = serializers.CharField(required=False, max_length=64, help_text="A SKU code or a barcode")
    lot_code = serializers.CharField(required=False, allow_blank=True, max_length=64, default="")
    quantity = serializers.IntegerField(min_value=0)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("location") and not attrs.get("location_code"):
            raise serializers.ValidationError({"location": "Give the location (id or location_code)."})
        if not attrs.get("sku") and not attrs.get("sku_code"):
            raise serializers.ValidationError({"sku": "Give the SKU (id, or sku_code: a code or a barcode)."})
        return attrs


class CountDecisionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class CountRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)
