"""Serializers of the packing API (``api_packing``): parcels, what to pack, box suggestions, rate quotes, dock
scans. A seller sees its parcels without the operator's cost and working details (rate, reason, packer)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from haicang.fulfillment.models import ParcelStatus, ScanResult


class PackRefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    code = serializers.CharField()


class PackNumberRefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    number = serializers.CharField()


class PackMoneySerializer(serializers.Serializer):
    amount = serializers.CharField()
    currency = serializers.CharField()


class PackLineSerializer(serializers.Serializer):
    sku = PackRefSerializer()
    quantity = serializers.IntegerField()


class LabelLinksSerializer(serializers.Serializer):
    pdf = serializers.CharField()
    zpl = serializers.CharField()


def _money(value: Any) -> dict[str, str] | None:
    return None if value is None else {"amount": str(value.amount), "currency": value.currency}


def _ref(obj: Any) -> dict[str, Any] | None:
    return None if obj is None else {"id": obj.pk, "code": obj.code}


OPERATOR_ONLY = ("rate", "rate_reason", "packed_by")


class PackedParcelSerializer(serializers.Serializer):
    """A parcel; ``rate``, ``rate_reason`` and ``packed_by`` only for the operator."""

    id = serializers.UUIDField()
    number = serializers.CharField()
    status = serializers.ChoiceField(choices=ParcelStatus.choices)
    outbound = PackNumberRefSerializer()
    request = PackNumberRefSerializer()
    order_number = serializers.CharField()
    warehouse = PackRefSerializer()
    box_type = PackRefSerializer(allow_null=True)
    suggested_box = PackRefSerializer(allow_null=True)
    length_mm = serializers.IntegerField()
    width_mm = serializers.IntegerField()
    height_mm = serializers.IntegerField()
    weight_g = serializers.IntegerField(help_text="Measured at packing")
    billable_weight_g = serializers.IntegerField(
        help_text="max(measured, dimensional) for the chosen service"
    )
    carrier_code = serializers.CharField()
    carrier_name = serializers.CharField()
    service_code = serializers.CharField()
    service_name = serializers.CharField()
    rate = PackMoneySerializer(allow_null=True, required=False)
    rate_reason = serializers.CharField(required=False)
    tracking_number = serializers.CharField()
    tracking_url = serializers.CharField()
    label = LabelLinksSerializer(allow_null=True, help_text="Downloads, once labelled")  # type: ignore[assignment]
    packed_by = serializers.CharField(required=False)
    packed_at = serializers.DateTimeField()
    labelled_at = serializers.DateTimeField(allow_null=True)
    shipped_at = serializers.DateTimeField(allow_null=True)
    lines = PackLineSerializer(many=True)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        service = instance.carrier_service
        request = instance.outbound.request
        labelled = (
            instance.status in (ParcelStatus.LABELLED, ParcelStatus.SHIPPED) and instance.tracking_number
        )
        data: dict[str, Any] = {
            "id": instance.pk,
            "number": instance.number,
            "status": instance.status,
            "outbound": {"id": instance.outbound_id, "number": instance.outbound.number},
            "request": {"id": request.pk, "number": request.number},
            "order_number": request.order_number,
            "warehouse": _ref(instance.warehouse),
            "box_type": _ref(instance.box_type),
            "suggested_box": _ref(instance.suggested_box),
            "length_mm": instance.length_mm,
            "width_mm": instance.width_mm,
            "height_mm": instance.height_mm,
            "weight_g": instance.weight_g,
            "billable_weight_g": instance.billable_weight_g,
            "carrier_code": instance.carrier_code,
            "carrier_name": service.carrier.name if service is not None else "",
            "service_code": instance.service_code,
            "service_name": service.name if service is not None else "",
            "tracking_number": instance.tracking_number,
            "tracking_url": service.carrier.tracking_url(instance.tracking_number)
            if service is not None and instance.tracking_number
            else "",
            "label": {
                "pdf": reverse("packed-parcel-label-pdf", args=[instance.pk]),
                "zpl": reverse("packed-parcel-label-zpl", args=[instance.pk]),
            }
            if labelled
            else None,
            "packed_at": instance.packed_at,
            "labelled_at": instance.labelled_at,
            "shipped_at": instance.shipped_at,
            "lines": [
                {"sku": {"id": line.sku_id, "code": line.sku.code}, "quantity": line.quantity}
                for line in instance.lines.select_related("sku")
            ],
        }
        data.update(
            rate=_money(instance.rate), rate_reason=instance.rate_reason, packed_by=instance.packed_by
        )
        shown: dict[str, Any] = serializers.Serializer.to_representation(self, data)
        if not self.context.get("operator"):  # the operator's cost and working details
            for key in OPERATOR_ONLY:
                shown.pop(key, None)
        return shown


class BoxSkipSerializer(serializers.Serializer):
    code = serializers.CharField()
    reason = serializers.CharField(help_text="item_too_large, too_heavy, volume_over_fill or no_layout")
    detail = serializers.CharField()


class PlacementSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The SKU's code")
    x_mm = serializers.IntegerField()
    y_mm = serializers.IntegerField()
    z_mm = serializers.IntegerField()
    l_mm = serializers.IntegerField()
    w_mm = serializers.IntegerField()
    h_mm = serializers.IntegerField()


class BoxSuggestionSerializer(serializers.Serializer):
    box = PackRefSerializer(allow_null=True, help_text="Null: no box of the catalogue fits")
    reason = serializers.CharField()
    fill_percent = serializers.IntegerField(allow_null=True)
    gross_weight_g = serializers.IntegerField(allow_null=True, help_text="Items plus the box's tare")
    skipped = BoxSkipSerializer(many=True, help_text="The smaller boxes tried first, and why each was passed")
    placements = PlacementSerializer(many=True, help_text="Where each unit goes (a packing guide)")


class ToPackSerializer(serializers.Serializer):
    outbound = PackNumberRefSerializer()
    status = serializers.CharField()
    service_level = serializers.CharField()
    due_at = serializers.DateTimeField()
    items = PackLineSerializer(many=True, help_text="Picked units not yet in a live parcel")
    items_weight_g = serializers.IntegerField(help_text="From the SKUs' master data")
    suggestion = BoxSuggestionSerializer()
    parcels = PackedParcelSerializer(many=True)


class PackLineInputSerializer(serializers.Serializer):
    sku = serializers.CharField(help_text="The SKU's id or code")
    quantity = serializers.IntegerField(min_value=1)


class PackInputSerializer(serializers.Serializer):
    weight_g = serializers.IntegerField(min_value=1, help_text="Measured weight of the packed parcel")
    box_type = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="A box of your catalogue (id or code); default: the suggested",
    )
    length_mm = serializers.IntegerField(
        min_value=1, required=False, help_text="Outer dimensions; default: the box's"
    )
    width_mm = serializers.IntegerField(min_value=1, required=False)
    height_mm = serializers.IntegerField(min_value=1, required=False)
    lines = PackLineInputSerializer(many=True, required=False, help_text="Default: every unit left to pack")


class SuggestInputSerializer(serializers.Serializer):
    items = PackLineInputSerializer(many=True, help_text="SKUs of one seller of yours and their quantities")


class RateQuoteSerializer(serializers.Serializer):
    service = PackRefSerializer()
    label = serializers.CharField(help_text='For people, e.g. "UPS Ground"')  # type: ignore[assignment]
    service_class = serializers.CharField(help_text="economy, ground, expedited or express")
    serviceable = serializers.BooleanField()
    refusal = serializers.CharField(help_text="Why it cannot carry the parcel (a stable code), else empty")
    total = PackMoneySerializer(allow_null=True)
    comparable = PackMoneySerializer(allow_null=True, help_text="In the warehouse's currency")
    transit_days = serializers.IntegerField(allow_null=True)
    arrives_on = serializers.DateField(allow_null=True)
    billable_weight_g = serializers.IntegerField(allow_null=True)
    dimensional_weight_g = serializers.IntegerField(allow_null=True)
    chosen = serializers.BooleanField(help_text="The rate shop's choice")


class RateShopSerializer(serializers.Serializer):
    ship_on = serializers.DateField()
    requirement = serializers.CharField(help_text='The service level read, e.g. "Standard"')
    deliver_by = serializers.DateField()
    chosen = PackRefSerializer(allow_null=True)
    late = serializers.BooleanField()
    reason = serializers.CharField()
    quotes = RateQuoteSerializer(many=True)


class RateInputSerializer(serializers.Serializer):
    service = serializers.CharField(
        required=False, allow_blank=True, help_text="A service (id or code) to take"
    )
    weight_g = serializers.IntegerField(min_value=1, required=False, help_text="A corrected weight")
    length_mm = serializers.IntegerField(min_value=1, required=False)
    width_mm = serializers.IntegerField(min_value=1, required=False)
    height_mm = serializers.IntegerField(min_value=1, required=False)


class VoidInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)


class DockScanInputSerializer(serializers.Serializer):
    raw = serializers.CharField(
        max_length=100, help_text="The scanned label: tracking number or parcel number"
    )
    warehouse = serializers.UUIDField(
        required=False, help_text="The dock's warehouse (wrong ones are refused)"
    )


class DockScanSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    raw = serializers.CharField()
    result = serializers.ChoiceField(choices=ScanResult.choices)
    reason_code = serializers.CharField()
    message = serializers.CharField()
    parcel = PackNumberRefSerializer(allow_null=True, source="parcel_ref")
    warehouse = serializers.UUIDField(allow_null=True, source="warehouse_id")
    actor = serializers.CharField()
    occurred_at = serializers.DateTimeField()
