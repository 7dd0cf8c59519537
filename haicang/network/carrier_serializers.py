"""API representations of carriers, services, rate cards and quotes. Write serializers only parse input: the
views hand it to the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from haicang.core.api.money_fields import MoneyField
from haicang.network.carrier_selectors import ServiceQuote
from haicang.network.models import Carrier, CarrierService, RateCard, ServiceLevel
from haicang.network.rates import Quote
from haicang.network.services.carriers import ZoneSpec


class CarrierSerializer(serializers.ModelSerializer):
    operator = serializers.UUIDField(source="operator_id", read_only=True)

    class Meta:
        model = Carrier
        fields = [
            "id",
            "operator",
            "code",
            "name",
            "tracking_url_template",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CarrierWriteSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20)
    name = serializers.CharField(max_length=100)
    tracking_url_template = serializers.CharField(
        max_length=300, required=False, allow_blank=True, help_text="https://…{tracking_number}…"
    )


class CarrierRefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    code = serializers.CharField()
    name = serializers.CharField()


class CarrierServiceSerializer(serializers.ModelSerializer):
    operator = serializers.UUIDField(source="operator_id", read_only=True)
    carrier = CarrierRefSerializer(read_only=True)
    warehouses: Any = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    countries: Any = serializers.SlugRelatedField(many=True, read_only=True, slug_field="country")

    class Meta:
        model = CarrierService
        fields = [
            "id",
            "operator",
            "carrier",
            "code",
            "name",
            "service_level",
            "warehouses",
            "countries",
            "residential_allowed",
            "transit_days_default",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CarrierServiceWriteSerializer(serializers.Serializer):
    carrier = serializers.UUIDField()
    code = serializers.CharField(max_length=30)
    name = serializers.CharField(max_length=100)
    service_level = serializers.ChoiceField(choices=ServiceLevel.choices)
    warehouses = serializers.ListField(child=serializers.UUIDField(), required=False, help_text="Ships from")
    countries = serializers.ListField(child=serializers.CharField(max_length=2), help_text="Delivers to")
    residential_allowed = serializers.BooleanField(default=True)
    transit_days_default = serializers.IntegerField(min_value=0)


class WeightBreakSerializer(serializers.Serializer):
    max_weight_g = serializers.IntegerField(min_value=1)
    price = MoneyField()


class AreaSerializer(serializers.Serializer):
    country = serializers.CharField(max_length=2)
    prefix = serializers.CharField(
        max_length=20, allow_blank=True, default="", help_text="Empty: the whole country"
    )


class ZoneSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=20)
    transit_days = serializers.IntegerField(min_value=0, allow_null=True, required=False)
    areas = AreaSerializer(many=True)
    breaks = WeightBreakSerializer(many=True)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return {
            "name": instance.name,
            "transit_days": instance.transit_days,
            "areas": [{"country": a.country, "prefix": a.prefix} for a in instance.areas.all()],
            "breaks": [
                {"max_weight_g": b.max_weight_g, "price": MoneyField().to_representation(b.price)}
                for b in instance.breaks.all()
            ],
        }


class RateCardSerializer(serializers.ModelSerializer):
    service = serializers.UUIDField(source="service_id", read_only=True)
    service_code = serializers.CharField(source="service.code", read_only=True)
    residential_surcharge = MoneyField(read_only=True)
    remote_surcharge = MoneyField(read_only=True)

    class Meta:
        model = RateCard
        fields = [
            "id",
            "service",
            "service_code",
            "currency",
            "effective_from",
            "effective_to",
            "dim_divisor",
            "dim_threshold_mm3",
            "fuel_surcharge_pct",
            "fuel_on_surcharges",
            "residential_surcharge",
            "remote_surcharge",
            "source",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class RateCardDetailSerializer(RateCardSerializer):
    zones = ZoneSerializer(many=True, read_only=True)
    remote_areas = AreaSerializer(many=True, read_only=True)

    class Meta(RateCardSerializer.Meta):
        fields = [*RateCardSerializer.Meta.fields, "zones", "remote_areas"]
        read_only_fields = fields


class RateCardWriteSerializer(serializers.Serializer):
    """Create: a whole card (service, currency, effective_from, dim_divisor, zones required). PATCH: the
    parameters only (dates, divisor, threshold, fuel, surcharges)."""

    service = serializers.UUIDField()
    currency = serializers.CharField(max_length=3)
    effective_from = serializers.DateField()
    effective_to = serializers.DateField(required=False, allow_null=True)
    dim_divisor = serializers.IntegerField(min_value=1, help_text="cm³ per kg (= mm³ per g), e.g. 5000")
    dim_threshold_mm3 = serializers.IntegerField(min_value=0, required=False)
    fuel_surcharge_pct = serializers.DecimalField(
        max_digits=6, decimal_places=3, min_value=Decimal(0), required=False
    )
    fuel_on_surcharges = serializers.BooleanField(required=False)
    residential_surcharge = MoneyField(required=False, allow_null=True)
    remote_surcharge = MoneyField(required=False, allow_null=True)
    remote_areas = AreaSerializer(many=True, required=False)
    zones = ZoneSerializer(many=True)

    def zone_specs(self) -> list[ZoneSpec]:
        return [
            ZoneSpec(
                name=z["name"],
                transit_days=z.get("transit_days"),
                areas=[(a["country"].upper(), a["prefix"]) for a in z["areas"]],
                breaks=[(b["max_weight_g"], b["price"]) for b in z["breaks"]],
            )
            for z in self.validated_data["zones"]
        ]


class ParcelSerializer(serializers.Serializer):
    weight_g = serializers.IntegerField(min_value=1)
    length_mm = serializers.IntegerField(min_value=1)
    width_mm = serializers.IntegerField(min_value=1)
    height_mm = serializers.IntegerField(min_value=1)


class DestinationSerializer(serializers.Serializer):
    country = serializers.CharField(max_length=2)
    postcode = serializers.CharField(max_length=20, allow_blank=True, default="")
    residential = serializers.BooleanField(default=False)


class RateQuoteRequestSerializer(serializers.Serializer):
    warehouse = serializers.UUIDField()
    parcel = ParcelSerializer()
    destination = DestinationSerializer()
    on = serializers.DateField(
        required=False, help_text="The day the rates apply; default: today at the warehouse"
    )


class QuoteLineSerializer(serializers.Serializer):
    kind = serializers.CharField()
    amount = MoneyField()
    detail = serializers.CharField()


class CarrierServiceRefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    code = serializers.CharField()
    name = serializers.CharField()
    service_level = serializers.CharField()
    carrier = CarrierRefSerializer()


class ServiceQuoteSerializer(serializers.Serializer):
    """One service's answer: ``serviceable`` with total and lines, or ``reason`` and ``detail``."""

    service = CarrierServiceRefSerializer()
    rate_card = serializers.UUIDField(allow_null=True)
    serviceable = serializers.BooleanField()
    total = MoneyField(allow_null=True)
    zone = serializers.CharField(allow_null=True)
    transit_days = serializers.IntegerField(allow_null=True)
    billable_weight_g = serializers.IntegerField(allow_null=True)
    dimensional_weight_g = serializers.IntegerField(allow_null=True)
    weight_break_g = serializers.IntegerField(allow_null=True)
    lines = QuoteLineSerializer(many=True)
    reason = serializers.CharField(allow_null=True)
    detail = serializers.CharField(allow_null=True)

    def to_representation(self, instance: ServiceQuote) -> dict[str, Any]:
        result = instance.result
        money = MoneyField()
        body: dict[str, Any] = {
            "service": CarrierServiceRefSerializer(instance.service).data,
            "rate_card": str(instance.card.pk) if instance.card is not None else None,
            "serviceable": instance.serviceable,
        }
        if isinstance(result, Quote):
            return {
                **body,
                "total": money.to_representation(result.total),
                "zone": result.zone,
                "transit_days": result.transit_days,
                "billable_weight_g": result.billable_weight_g,
                "dimensional_weight_g": result.dimensional_weight_g,
                "weight_break_g": result.weight_break_g,
                "lines": [
                    {
                        "kind": str(line.kind),
                        "amount": money.to_representation(line.amount),
                        "detail": line.detail,
                    }
                    for line in result.lines
                ],
                "reason": None,
                "detail": None,
            }
        return {
            **body,
            "total": None,
            "zone": None,
            "transit_days": None,
            "billable_weight_g": None,
            "dimensional_weight_g": None,
            "weight_break_g": None,
            "lines": [],
            "reason": str(result.reason),
            "detail": result.detail,
        }


class RateQuotesSerializer(serializers.Serializer):
    warehouse = serializers.UUIDField()
    on = serializers.DateField()
    quotes = ServiceQuoteSerializer(many=True)
