"""API representations of inbound shipments. Read serializers render (the operator's view leaves out every
price); write serializers only parse — the rules, and the list of every problem, are the services'."""

from __future__ import annotations

import uuid
from typing import Any

from rest_framework import serializers

from haicang.core.api.money_fields import MoneyField
from haicang.inbound.asn_rules import (
    AsnSpec,
    CartonSpec,
    ContentSpec,
    CostSpec,
    CustomsSpec,
    LineSpec,
    SkuRef,
)
from haicang.inbound.models import (
    Carton,
    CustomsLine,
    EtaChange,
    FreightCost,
    InboundShipment,
    LandedCostAverage,
    Milestone,
    ShipmentLine,
    ShipmentStatus,
    TransportMode,
)
from haicang.inbound.receiving import ReceiptLine

# --- reading ----------------------------------------------------------------------------------------------


class RefSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    code = serializers.CharField()


class ShipmentLineSerializer(serializers.ModelSerializer[ShipmentLine]):
    sku = serializers.UUIDField(source="sku_id", read_only=True)
    sku_code = serializers.CharField(source="sku.code", read_only=True)
    purchase_cost = MoneyField(read_only=True)
    landed_unit_cost = MoneyField(read_only=True, allow_null=True)
    short_quantity = serializers.IntegerField(read_only=True)

    class Meta:
        model = ShipmentLine
        fields = [
            "sku",
            "sku_code",
            "expected_quantity",
            "received_quantity",
            "damaged_quantity",
            "short_quantity",
            "purchase_cost",
            "landed_unit_cost",
        ]


class CartonContentOutSerializer(serializers.Serializer[Any]):
    sku = serializers.UUIDField(source="sku_id")
    sku_code = serializers.CharField(source="sku.code")
    quantity = serializers.IntegerField()


class CartonSerializer(serializers.ModelSerializer[Carton]):
    contents = CartonContentOutSerializer(many=True, read_only=True)

    class Meta:
        model = Carton
        fields = ["number", "length_mm", "width_mm", "height_mm", "gross_weight_g", "contents"]


class CustomsLineSerializer(serializers.ModelSerializer[CustomsLine]):
    sku = serializers.UUIDField(source="sku_id", read_only=True)
    sku_code = serializers.CharField(source="sku.code", read_only=True)
    declared_value = MoneyField(read_only=True)

    class Meta:
        model = CustomsLine
        fields = ["sku", "sku_code", "hs_code", "origin_country", "declared_value"]


class FreightCostSerializer(serializers.ModelSerializer[FreightCost]):
    amount = MoneyField(read_only=True)

    class Meta:
        model = FreightCost
        fields = ["kind", "amount", "basis", "note"]


class MilestoneSerializer(serializers.ModelSerializer[Milestone]):
    actor = serializers.CharField(source="actor_label")

    class Meta:
        model = Milestone
        fields = ["status", "at", "actor", "note"]


class EtaChangeSerializer(serializers.ModelSerializer[EtaChange]):
    actor = serializers.CharField(source="actor_label")

    class Meta:
        model = EtaChange
        fields = ["previous_eta", "new_eta", "at", "actor", "reason"]


HEADER = [
    "reference",
    "mode",
    "carrier",
    "origin_city",
    "origin_port",
    "origin_country",
    "container_number",
    "bill_of_lading",
    "air_waybill",
    "etd",
    "eta",
    "note",
]
# What the operator of the warehouse does not see: the seller's commercial data.
PRICED = ("costs",)
PRICED_LINE = ("purchase_cost", "landed_unit_cost")


class InboundShipmentListSerializer(serializers.ModelSerializer[InboundShipment]):
    seller = RefSerializer(read_only=True)
    warehouse = RefSerializer(read_only=True)
    status = serializers.ChoiceField(choices=ShipmentStatus.choices, read_only=True)
    mode = serializers.ChoiceField(choices=TransportMode.choices, read_only=True)

    class Meta:
        model = InboundShipment
        fields = [
            "id",
            "number",
            "seller",
            "warehouse",
            "status",
            *[name for name in HEADER if name != "mode"],
            "mode",
            "submitted_at",
            "dispatched_at",
            "arrived_at",
            "closed_at",
            "cancelled_at",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class InboundShipmentSerializer(InboundShipmentListSerializer):
    """A shipment with its lines, cartons, customs lines, costs (sellers only), milestones and ETA changes."""

    lines = ShipmentLineSerializer(many=True, read_only=True)
    cartons = CartonSerializer(many=True, read_only=True)
    customs_lines = CustomsLineSerializer(many=True, read_only=True)
    costs = FreightCostSerializer(many=True, read_only=True, required=False)
    milestones = MilestoneSerializer(many=True, read_only=True)
    eta_changes = EtaChangeSerializer(many=True, read_only=True)

    class Meta(InboundShipmentListSerializer.Meta):
        fields = [
            *InboundShipmentListSerializer.Meta.fields,
            "fx_date",
            "lines",
            "cartons",
            "customs_lines",
            "costs",
            "milestones",
            "eta_changes",
        ]
        read_only_fields = fields

    def to_representation(self, instance: InboundShipment) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not self.context.get("priced", False):
            for name in PRICED:
                data.pop(name, None)
            for line in data["lines"]:
                for name in PRICED_LINE:
                    line.pop(name, None)
            for customs in data["customs_lines"]:
                customs.pop("declared_value", None)
        return data


class LandedCostAverageSerializer(serializers.ModelSerializer[LandedCostAverage]):
    sku = RefSerializer(read_only=True)
    warehouse = RefSerializer(read_only=True)
    unit_cost = MoneyField(read_only=True)
    last_shipment = serializers.CharField(source="last_shipment.number", default=None, read_only=True)

    class Meta:
        model = LandedCostAverage
        fields = ["id", "sku", "warehouse", "unit_cost", "units_received", "last_shipment", "updated_at"]
        read_only_fields = fields


# --- landed cost breakdown --------------------------------------------------------------------------------


class LandedLineSerializer(serializers.Serializer[Any]):
    sku_code = serializers.CharField(source="key")
    quantity = serializers.IntegerField()
    goods = MoneyField()
    costs = MoneyField()
    total = MoneyField()
    unit_cost = MoneyField()


class CostAllocationSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField()
    basis = serializers.CharField()
    basis_used = serializers.CharField(help_text="The basis, or `units` when it could not be measured")
    amount = MoneyField(help_text="As entered")
    converted = MoneyField(help_text="In the seller's base currency")
    counted = serializers.BooleanField(help_text="False for import VAT the seller recovers")
    parts = serializers.ListField(child=MoneyField(), help_text="Per line, in the order of `lines`")


class LandedCostSerializer(serializers.Serializer[Any]):
    currency = serializers.CharField()
    fx_date = serializers.DateField()
    goods_total = MoneyField()
    costs_total = MoneyField()
    total = MoneyField()
    lines = LandedLineSerializer(many=True)
    costs = CostAllocationSerializer(many=True)


# --- writing ----------------------------------------------------------------------------------------------


class _SkuRefIn(serializers.Serializer[Any]):
    sku = serializers.UUIDField(required=False, help_text="The SKU's id; or give `sku_code`")
    sku_code = serializers.CharField(required=False, max_length=64)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("sku" in attrs) == ("sku_code" in attrs):
            raise serializers.ValidationError({"sku": "give either sku (an id) or sku_code"})
        return attrs


def sku_ref(data: dict[str, Any]) -> SkuRef:
    value = data.get("sku")
    return value if isinstance(value, uuid.UUID) else str(data["sku_code"])


class LineInSerializer(_SkuRefIn):
    quantity = serializers.IntegerField()
    purchase_cost = MoneyField(required=False, allow_null=True, help_text="Per unit; default: the SKU's")


class ContentInSerializer(_SkuRefIn):
    quantity = serializers.IntegerField()


class CartonInSerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField()
    length_mm = serializers.IntegerField(required=False, allow_null=True)
    width_mm = serializers.IntegerField(required=False, allow_null=True)
    height_mm = serializers.IntegerField(required=False, allow_null=True)
    gross_weight_g = serializers.IntegerField(required=False, allow_null=True)
    contents = ContentInSerializer(many=True)


class CustomsInSerializer(_SkuRefIn):
    hs_code = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=20)
    origin_country = serializers.CharField(required=False, allow_blank=True, max_length=8)
    declared_value = MoneyField(
        required=False, allow_null=True, help_text="For the line; default: the SKU's × units"
    )


class CostInSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField(help_text="freight, insurance, duty, import_vat, broker, other")
    amount = MoneyField()
    basis = serializers.CharField(required=False, allow_null=True, help_text="volume, weight or value")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ShipmentWriteSerializer(serializers.Serializer[Any]):
    """A shipment document. On create, `warehouse`, `mode` and `origin_country` are required; on change
    (drafts only) give any fields — a nested list given replaces the whole list."""

    warehouse = serializers.UUIDField()
    version = serializers.IntegerField(required=False, help_text="Refuse the change unless this is current")
    reference = serializers.CharField(required=False, allow_blank=True)
    mode = serializers.CharField(help_text="sea_fcl, sea_lcl, air, rail, express")
    carrier = serializers.CharField(required=False, allow_blank=True)
    origin_city = serializers.CharField(required=False, allow_blank=True)
    origin_port = serializers.CharField(required=False, allow_blank=True)
    origin_country = serializers.CharField()
    container_number = serializers.CharField(required=False, allow_blank=True)
    bill_of_lading = serializers.CharField(required=False, allow_blank=True)
    air_waybill = serializers.CharField(required=False, allow_blank=True)
    etd = serializers.DateField(required=False, allow_null=True)
    eta = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True)
    lines = LineInSerializer(many=True, required=False)
    cartons = CartonInSerializer(many=True, required=False)
    customs_lines = CustomsInSerializer(many=True, required=False)
    costs = CostInSerializer(many=True, required=False)


def lines_of(rows: list[dict[str, Any]]) -> list[LineSpec]:
    return [LineSpec(sku_ref(r), r["quantity"], r.get("purchase_cost")) for r in rows]


def cartons_of(rows: list[dict[str, Any]]) -> list[CartonSpec]:
    return [
        CartonSpec(
            number=r["number"],
            contents=[ContentSpec(sku_ref(c), c["quantity"]) for c in r["contents"]],
            length_mm=r.get("length_mm"),
            width_mm=r.get("width_mm"),
            height_mm=r.get("height_mm"),
            gross_weight_g=r.get("gross_weight_g"),
        )
        for r in rows
    ]


def customs_of(rows: list[dict[str, Any]]) -> list[CustomsSpec]:
    return [
        CustomsSpec(sku_ref(r), r.get("hs_code"), r.get("origin_country") or None, r.get("declared_value"))
        for r in rows
    ]


def costs_of(rows: list[dict[str, Any]]) -> list[CostSpec]:
    return [CostSpec(r["kind"], r["amount"], r.get("basis"), r.get("note") or "") for r in rows]


NESTED_PARSERS = {"lines": lines_of, "cartons": cartons_of, "customs_lines": customs_of, "costs": costs_of}


def changes_of(data: dict[str, Any]) -> dict[str, Any]:
    """The validated body as service keyword values (nested lists as specs); ``warehouse`` and ``version``
    are left to the view."""
    out: dict[str, Any] = {}
    for name, value in data.items():
        if name in ("warehouse", "version"):
            continue
        out[name] = NESTED_PARSERS[name](value) if name in NESTED_PARSERS else value
    return out


def spec_from(data: dict[str, Any]) -> AsnSpec:
    return AsnSpec(**changes_of(data))


class CostsSetSerializer(serializers.Serializer[Any]):
    costs = CostInSerializer(many=True)


class NoteSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class MilestoneInSerializer(NoteSerializer):
    at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="When it happened (default: now)"
    )


class CancelSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class EtaSerializer(serializers.Serializer[Any]):
    eta = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


_LOT_HELP = "Lot-tracked SKUs: the lot the units belong to (ignored for other SKUs)"
_EXPIRY_HELP = "A new lot of an expiry-tracked SKU: its expiry date"


class ReceiptLineInSerializer(_SkuRefIn):
    quantity = serializers.IntegerField(min_value=0, default=0, help_text="Good units")
    damaged = serializers.IntegerField(min_value=0, default=0)
    lot_code = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=64, help_text=_LOT_HELP
    )
    expires_on = serializers.DateField(required=False, allow_null=True, default=None, help_text=_EXPIRY_HELP)


class ReceiptSerializer(serializers.Serializer[Any]):
    lines = ReceiptLineInSerializer(many=True)
    location = serializers.CharField(required=False, help_text="Receiving location code (default: the first)")
    damaged_location = serializers.CharField(required=False, help_text="Damaged location code")


def receipt_lines_of(rows: list[dict[str, Any]]) -> list[ReceiptLine]:
    return [
        ReceiptLine(sku_ref(r), r["quantity"], r["damaged"], r["lot_code"], r["expires_on"]) for r in rows
    ]


# --- receiving: scans, discrepancies, the receipt report ---------------------------------------------------


class _ShipmentRef(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    code = serializers.CharField(source="number")


class ReceivingScanSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    shipment = _ShipmentRef()
    carton = serializers.IntegerField(source="carton.number", default=None, allow_null=True)
    kind = serializers.CharField(help_text="carton (a label), sku (a barcode or code), confirm (a carton)")
    raw = serializers.CharField(help_text="What was scanned or typed")
    sku = RefSerializer(allow_null=True)
    quantity = serializers.IntegerField(help_text="Units received by the scan (0 when rejected)")
    damaged = serializers.BooleanField()
    lot_code = serializers.CharField(help_text="The lot received (lot-tracked SKUs), else empty")
    status = serializers.CharField(help_text="applied or rejected")
    reason_code = serializers.CharField(help_text="Why it was rejected: a stable error code")
    reason = serializers.CharField()
    actor = serializers.CharField(source="actor_label")
    at = serializers.DateTimeField()


class ScanInSerializer(serializers.Serializer[Any]):
    raw = serializers.CharField(max_length=200, help_text="A carton label or a SKU's barcode or code")
    carton = serializers.IntegerField(required=False, allow_null=True, help_text="The carton being received")
    quantity = serializers.IntegerField(required=False, default=1, help_text="Units, default 1")
    damaged = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    location = serializers.CharField(required=False, help_text="Receiving location code (default: the first)")
    damaged_location = serializers.CharField(required=False, help_text="Damaged location code")
    lot_code = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=64, help_text=_LOT_HELP
    )
    expires_on = serializers.DateField(required=False, allow_null=True, default=None, help_text=_EXPIRY_HELP)


class CartonConfirmInSerializer(serializers.Serializer[Any]):
    carton = serializers.IntegerField(help_text="The carton's number")
    location = serializers.CharField(required=False, help_text="Receiving location code (default: the first)")
    lot_code = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=64,
        help_text="The lot of the carton's lot-tracked SKUs (a carton of one lot; else scan its items)",
    )
    expires_on = serializers.DateField(required=False, allow_null=True, default=None, help_text=_EXPIRY_HELP)


class DiscrepancySerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    shipment = _ShipmentRef()
    carton = serializers.IntegerField(source="carton.number", default=None, allow_null=True)
    kind = serializers.CharField(help_text="short, over, damaged, unexpected_sku")
    sku = RefSerializer()
    quantity = serializers.IntegerField()
    lot_code = serializers.CharField(help_text="The lot received (lot-tracked SKUs), else empty")
    note = serializers.CharField()
    has_photo = serializers.SerializerMethodField()
    actor = serializers.CharField(source="actor_label")
    at = serializers.DateTimeField()

    def get_has_photo(self, obj: Any) -> bool:
        return bool(obj.photo)


class DiscrepancyInSerializer(_SkuRefIn):
    kind = serializers.ChoiceField(choices=["over", "unexpected_sku", "damaged"])
    quantity = serializers.IntegerField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    carton = serializers.IntegerField(required=False, allow_null=True)
    photo = serializers.FileField(
        required=False, allow_null=True, help_text="JPEG, PNG, GIF or WebP (multipart)"
    )
    location = serializers.CharField(required=False, help_text="Receiving location code (over, unexpected)")
    damaged_location = serializers.CharField(required=False, help_text="Damaged location code (damaged)")
    lot_code = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=64, help_text=_LOT_HELP
    )
    expires_on = serializers.DateField(required=False, allow_null=True, default=None, help_text=_EXPIRY_HELP)


class DisputeSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(help_text="The seller's claim")
    at = serializers.DateTimeField()
    by = serializers.CharField()


class ResolutionSerializer(serializers.Serializer[Any]):
    outcome = serializers.CharField(help_text="accepted (the seller's claim) or rejected")
    note = serializers.CharField(help_text="The adjustment made (accepted) or the reason (rejected)")
    at = serializers.DateTimeField()
    by = serializers.CharField()


class ReceiptReportSerializer(serializers.Serializer[Any]):
    status = serializers.CharField(
        help_text="preview (not closed yet), open (awaiting the seller), acknowledged, disputed, "
        "resolved (the operator answered the dispute)"
    )
    closed_at = serializers.DateTimeField(allow_null=True)
    closed_by = serializers.CharField(allow_blank=True)
    responded_at = serializers.DateTimeField(allow_null=True)
    responded_by = serializers.CharField(allow_blank=True)
    response_note = serializers.CharField(allow_blank=True)
    dispute = DisputeSerializer(allow_null=True, help_text="The seller's dispute, kept after any answer")
    resolution = ResolutionSerializer(allow_null=True, help_text="The operator's answer to the dispute")
    totals = serializers.DictField(child=serializers.IntegerField())
    lines = serializers.ListField(
        child=serializers.DictField(),
        help_text="Per SKU: sku, on_shipment, expected, received, damaged, short, over, discrepancies",
    )


class ReportAnswerSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


class ReportResolveSerializer(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(
        choices=["accepted", "rejected"],
        help_text="accepted: the seller's claim holds; rejected: it does not",
    )
    note = serializers.CharField(
        max_length=1000, help_text="Accepted: the adjustment made (credit, stock correction…); rejected: why"
    )
