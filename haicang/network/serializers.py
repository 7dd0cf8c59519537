"""API representations of the warehouse network. Read serializers render models; write serializers only
parse input — the views hand it to the services (no ``ModelSerializer.save``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from rest_framework import serializers

from haicang.network.models import REAL_KIND_CHOICES, Holiday, Location, LocationKind, Warehouse


def metres(**kwargs: Any) -> serializers.DecimalField:
    """Metres with two decimals (centimetres), as on the floor plan."""
    return serializers.DecimalField(max_digits=8, decimal_places=2, **kwargs)


class OperatorRefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    code = serializers.CharField()
    name = serializers.CharField()


class AddressSerializer(serializers.Serializer):
    """A warehouse's business address (no personal data)."""

    line1 = serializers.CharField(source="address_line1", max_length=200)
    line2 = serializers.CharField(source="address_line2", max_length=200, required=False, allow_blank=True)
    postcode = serializers.CharField(max_length=20, required=False, allow_blank=True)
    city = serializers.CharField(max_length=100)
    country = serializers.CharField(max_length=2, help_text="ISO 3166-1 alpha-2")


class WorkingHoursSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(min_value=0, max_value=6, help_text="0 = Monday … 6 = Sunday")
    opens = serializers.TimeField(help_text="Local time")
    closes = serializers.TimeField(help_text="Local time; 00:00 closes at midnight at the end of the day")


class WarehouseSerializer(serializers.ModelSerializer):
    operator = OperatorRefSerializer(read_only=True)
    address = AddressSerializer(source="*", read_only=True)
    markets: Any = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="country", help_text="The service area: countries shipped to"
    )
    working_hours = WorkingHoursSerializer(many=True, read_only=True)

    class Meta:
        model = Warehouse
        fields = [
            "id",
            "code",
            "name",
            "operator",
            "address",
            "time_zone",
            "currency",
            "cutoff_time",
            "markets",
            "working_hours",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


def _hours_map(rows: list[dict[str, Any]]) -> dict[int, tuple[dt.time, dt.time]]:
    hours: dict[int, tuple[dt.time, dt.time]] = {}
    for row in rows:
        if row["weekday"] in hours:
            raise serializers.ValidationError(f"weekday {row['weekday']} is listed twice")
        hours[row["weekday"]] = (row["opens"], row["closes"])
    return hours


class WarehouseWriteSerializer(serializers.Serializer):
    """Input of create (all required but line2, postcode, cut-off, markets, hours) and PATCH (all optional)."""

    code = serializers.CharField(max_length=20)
    name = serializers.CharField(max_length=200)
    address = AddressSerializer()
    time_zone = serializers.CharField(max_length=64, help_text="IANA time zone, e.g. Europe/Berlin")
    currency = serializers.CharField(max_length=3)
    cutoff_time = serializers.TimeField(required=False, help_text="Daily order cut-off, local time")
    markets = serializers.ListField(child=serializers.CharField(max_length=2), required=False)
    working_hours = WorkingHoursSerializer(many=True, required=False)
    is_active = serializers.BooleanField(required=False)

    def validate_working_hours(self, value: list[dict[str, Any]]) -> dict[int, tuple[dt.time, dt.time]]:
        return _hours_map(value)


class LocationSerializer(serializers.ModelSerializer):
    warehouse = serializers.UUIDField(source="warehouse_id", read_only=True)
    warehouse_code = serializers.CharField(source="warehouse.code", read_only=True)
    type = serializers.ChoiceField(source="kind", choices=LocationKind.choices, read_only=True)
    x_m = metres(read_only=True, allow_null=True)
    y_m = metres(read_only=True, allow_null=True)

    class Meta:
        model = Location
        fields = [
            "id",
            "warehouse",
            "warehouse_code",
            "code",
            "type",
            "zone",
            "aisle",
            "rack",
            "level",
            "position",
            "capacity_volume_mm3",
            "capacity_weight_g",
            "pick_sequence",
            "x_m",
            "y_m",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class LocationWriteSerializer(serializers.Serializer):
    """Input of location create (warehouse, code, type required) and PATCH (code and warehouse ignored)."""

    warehouse = serializers.UUIDField()
    code = serializers.CharField(
        max_length=40, help_text="Bin code A-01-03-2-1, or an area code such as DOCK-01"
    )
    type = serializers.ChoiceField(choices=REAL_KIND_CHOICES)
    capacity_volume_mm3 = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    capacity_weight_g = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    pick_sequence = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    x_m = metres(required=False, allow_null=True)
    y_m = metres(required=False, allow_null=True)


class SpanField(serializers.ListField):
    """A ``[first, last]`` pair of whole numbers."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(child=serializers.IntegerField(), min_length=2, max_length=2, **kwargs)


class LayoutSerializer(serializers.Serializer):
    origin_x_m = metres(default=Decimal(0))
    origin_y_m = metres(default=Decimal(0))
    aisle_spacing_m = metres(default=Decimal("3.00"))
    rack_width_m = metres(default=Decimal("2.70"))


class LocationRangeSerializer(serializers.Serializer):
    warehouse = serializers.UUIDField()
    zone = serializers.CharField(max_length=4)
    aisles = SpanField(help_text="[first, last], 1–999")
    racks = SpanField(help_text="[first, last], 1–999")
    levels = SpanField(help_text="[first, last], 1–99")
    positions = SpanField(help_text="[first, last], 1–99")
    type = serializers.ChoiceField(choices=REAL_KIND_CHOICES, default=LocationKind.PICK)
    capacity_volume_mm3 = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    capacity_weight_g = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    layout = LayoutSerializer(required=False)


class RangeCreatedSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    first_code = serializers.CharField()
    last_code = serializers.CharField()
    first_pick_sequence = serializers.IntegerField()
    last_pick_sequence = serializers.IntegerField()


class HolidaySerializer(serializers.ModelSerializer):
    warehouse = serializers.UUIDField(source="warehouse_id", read_only=True)

    class Meta:
        model = Holiday
        fields = ["id", "warehouse", "on", "name", "created_at"]
        read_only_fields = fields


class HolidayWriteSerializer(serializers.Serializer):
    warehouse = serializers.UUIDField()
    on = serializers.DateField(help_text="Local date on which the warehouse does not work")
    name = serializers.CharField(max_length=100)
