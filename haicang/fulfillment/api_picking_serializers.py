"""Serializers of the picking API (``api_picking``): outbounds, waves, pick lists, scans, short picks, queues."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from haicang.fulfillment.models import (
    ExceptionStatus,
    OutboundStatus,
    PickListStatus,
    PickTaskStatus,
    ScanResult,
    WaveStatus,
)


class PickRefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    code = serializers.CharField()


class PickNumberRefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    number = serializers.CharField()


class PickMoneySerializer(serializers.Serializer):
    amount = serializers.CharField()
    currency = serializers.CharField()


def _ref(obj: Any, attr: str = "code") -> dict[str, Any] | None:
    return None if obj is None else {"id": obj.pk, attr: getattr(obj, attr)}


class OutboundSerializer(serializers.Serializer):
    """An outbound; sellers do not get the warehouse's internal fields (wave, pick mode, zone, planned cost)."""

    id = serializers.UUIDField()
    number = serializers.CharField(help_text="The fulfillment request's number")
    request = PickNumberRefSerializer()
    status = serializers.ChoiceField(choices=OutboundStatus.choices)
    seller = PickRefSerializer()
    warehouse = PickRefSerializer()
    service_level = serializers.CharField(help_text="express, expedited, ground or economy")
    due_at = serializers.DateTimeField()
    units = serializers.IntegerField()
    lines = serializers.IntegerField()
    est_weight_g = serializers.IntegerField()
    est_volume_mm3 = serializers.IntegerField()
    planned_service = PickRefSerializer(allow_null=True)
    planned_reason = serializers.CharField()
    pickup_at = serializers.DateTimeField(allow_null=True)
    exception_reason = serializers.CharField()
    accepted_at = serializers.DateTimeField()
    picked_at = serializers.DateTimeField(allow_null=True)
    packed_at = serializers.DateTimeField(allow_null=True)
    shipped_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField()
    zone = serializers.CharField(required=False, help_text="Operators only")
    wave = PickNumberRefSerializer(allow_null=True, required=False, help_text="Operators only")
    pick_mode = serializers.CharField(required=False, help_text="single or batch; operators only")
    sort_slot = serializers.IntegerField(allow_null=True, required=False, help_text="Operators only")
    planned_cost = PickMoneySerializer(allow_null=True, required=False, help_text="Operators only")

    def to_representation(self, instance: Any) -> dict[str, Any]:
        cost = instance.planned_cost
        data: dict[str, Any] = {
            "id": instance.pk,
            "number": instance.number,
            "request": {"id": instance.request_id, "number": instance.number},
            "status": instance.status,
            "seller": _ref(instance.seller),
            "warehouse": _ref(instance.warehouse),
            "service_level": instance.service_level,
            "due_at": instance.due_at,
            "units": instance.units,
            "lines": instance.lines,
            "est_weight_g": instance.est_weight_g,
            "est_volume_mm3": instance.est_volume_mm3,
            "planned_service": _ref(instance.planned_service),
            "planned_reason": instance.planned_reason,
            "pickup_at": instance.pickup_at,
            "exception_reason": instance.exception_reason,
            "accepted_at": instance.accepted_at,
            "picked_at": instance.picked_at,
            "packed_at": instance.packed_at,
            "shipped_at": instance.shipped_at,
            "version": instance.version,
        }
        if self.context.get("operator"):
            data.update(
                {
                    "zone": instance.zone,
                    "wave": _ref(instance.wave, "number"),
                    "pick_mode": instance.pick_mode,
                    "sort_slot": instance.sort_slot,
                    "planned_cost": None
                    if cost is None
                    else {"amount": f"{cost.amount:f}", "currency": cost.currency},
                }
            )
        stamp = serializers.DateTimeField()
        return {k: stamp.to_representation(v) if isinstance(v, datetime) else v for k, v in data.items()}


class PickListSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField(source="pk")
    number = serializers.CharField()
    mode = serializers.CharField(help_text="single or batch")
    status = serializers.ChoiceField(choices=PickListStatus.choices)
    assignee = serializers.CharField()
    route_distance_mm = serializers.IntegerField(help_text="The improved walk, depot to depot")
    sequence_distance_mm = serializers.IntegerField(help_text="The same stops walked in pick-sequence order")


class WaveSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="pk")
    number = serializers.CharField()
    status = serializers.ChoiceField(choices=WaveStatus.choices)
    warehouse = serializers.SerializerMethodField()
    pickup_at = serializers.DateTimeField(allow_null=True)
    minutes_to_pickup = serializers.SerializerMethodField(help_text="Negative once the pick-up has passed")
    service_level = serializers.CharField()
    zone = serializers.CharField()
    request_count = serializers.IntegerField()
    unit_count = serializers.IntegerField()
    planned_by = serializers.CharField()
    planned_at = serializers.DateTimeField()
    released_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)

    def get_warehouse(self, wave: Any) -> PickRefSerializer:
        return _ref(wave.warehouse)  # type: ignore[return-value]

    def get_minutes_to_pickup(self, wave: Any) -> int | None:
        if wave.pickup_at is None:
            return None
        return int((wave.pickup_at - timezone.now()).total_seconds() // 60)


class WaveDetailSerializer(WaveSerializer):
    pick_lists = PickListSummarySerializer(many=True)
    outbounds = serializers.SerializerMethodField()

    def get_outbounds(self, wave: Any) -> list[dict[str, Any]]:
        return [
            {"id": str(o.pk), "number": o.number, "status": o.status}
            for o in wave.outbounds.order_by("due_at", "pk")
        ]


class PickTaskSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="pk")
    stop = serializers.IntegerField()
    location = serializers.SerializerMethodField()
    sku = serializers.SerializerMethodField()
    lot_code = serializers.CharField()
    quantity = serializers.IntegerField()
    picked_quantity = serializers.IntegerField()
    short_quantity = serializers.IntegerField()
    sort_slot = serializers.IntegerField(allow_null=True)
    status = serializers.ChoiceField(choices=PickTaskStatus.choices)
    outbound = serializers.SerializerMethodField()

    def get_location(self, task: Any) -> PickRefSerializer:
        return _ref(task.location)  # type: ignore[return-value]

    def get_sku(self, task: Any) -> PickRefSerializer:
        return {"id": task.sku.pk, "code": task.sku.code, "name": task.sku.name_en}  # type: ignore[return-value]

    def get_outbound(self, task: Any) -> PickNumberRefSerializer:
        return _ref(task.outbound, "number")  # type: ignore[return-value]


class PickListSerializer(PickListSummarySerializer):
    wave = serializers.SerializerMethodField()
    warehouse = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)

    def get_wave(self, pick_list: Any) -> PickNumberRefSerializer:
        return _ref(pick_list.wave, "number")  # type: ignore[return-value]

    def get_warehouse(self, pick_list: Any) -> PickRefSerializer:
        return _ref(pick_list.warehouse)  # type: ignore[return-value]


class PickListDetailSerializer(PickListSerializer):
    tasks = serializers.SerializerMethodField()
    next_task = serializers.SerializerMethodField(help_text="The task to pick now (null: none left)")

    def get_tasks(self, pick_list: Any) -> PickTaskSerializer(many=True):  # type: ignore[valid-type]
        from haicang.fulfillment.selectors import pick_tasks

        return PickTaskSerializer(pick_tasks(pick_list), many=True).data

    def get_next_task(self, pick_list: Any) -> PickTaskSerializer:
        from haicang.fulfillment.picking import current_task

        task = current_task(pick_list)
        return None if task is None else PickTaskSerializer(task).data  # type: ignore[return-value]


class PickScanSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="pk")
    pick_list = serializers.UUIDField(source="pick_list_id")
    task = serializers.UUIDField(source="task_id", allow_null=True)
    actor = serializers.CharField()
    bin_code = serializers.CharField()
    barcode = serializers.CharField()
    quantity = serializers.IntegerField()
    result = serializers.ChoiceField(choices=ScanResult.choices)
    reason_code = serializers.CharField(
        help_text="Refused: pick.wrong_bin, pick.unknown_barcode, pick.wrong_item or pick.wrong_quantity"
    )
    message = serializers.CharField()
    occurred_at = serializers.DateTimeField()


class PickExceptionSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="pk")
    kind = serializers.CharField()
    status = serializers.ChoiceField(choices=ExceptionStatus.choices)
    resolution = serializers.CharField(help_text="other_bin or handed_back once resolved")
    quantity = serializers.IntegerField(help_text="Units missing")
    note = serializers.CharField()
    outbound = serializers.SerializerMethodField()
    task = PickTaskSerializer()
    pick_list = serializers.SerializerMethodField()
    raised_by = serializers.CharField()
    raised_at = serializers.DateTimeField()
    resolved_by = serializers.CharField()
    resolved_at = serializers.DateTimeField(allow_null=True)

    def get_outbound(self, exception: Any) -> PickNumberRefSerializer:
        return _ref(exception.outbound, "number")  # type: ignore[return-value]

    def get_pick_list(self, exception: Any) -> PickNumberRefSerializer:
        return _ref(exception.task.pick_list, "number")  # type: ignore[return-value]


class CountdownSerializer(serializers.Serializer):
    carrier = serializers.SerializerMethodField()
    pickup_at = serializers.DateTimeField()
    minutes_left = serializers.IntegerField(help_text="Negative: missed")
    outbounds = serializers.IntegerField()
    not_picked = serializers.IntegerField()
    by_status = serializers.DictField(child=serializers.IntegerField())

    def get_carrier(self, countdown: Any) -> PickRefSerializer:
        return {"id": countdown.carrier_id, "code": countdown.carrier_code}  # type: ignore[return-value]


class QueuesSerializer(serializers.Serializer):
    to_accept = serializers.IntegerField()
    cancellations = serializers.IntegerField(help_text="Pending cancellation requests to answer")
    to_wave = serializers.IntegerField()
    planned_waves = serializers.IntegerField()
    to_pick = serializers.IntegerField()
    open_pick_lists = serializers.IntegerField()
    picked = serializers.IntegerField()
    exceptions = serializers.IntegerField()
    open_short_picks = serializers.IntegerField()
    countdowns = CountdownSerializer(many=True, help_text="With ?warehouse= only")


# --- inputs ---------------------------------------------------------------------------------------------------
class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")


class CancellationAnswerInputSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    reason = serializers.CharField(
        max_length=300, allow_blank=True, required=False, default="", help_text="Required to refuse"
    )


class WavePlanInputSerializer(serializers.Serializer):
    warehouse = serializers.UUIDField()
    max_units_per_wave = serializers.IntegerField(min_value=1, required=False)
    max_requests_per_wave = serializers.IntegerField(min_value=1, required=False)


class WaveReleaseInputSerializer(serializers.Serializer):
    max_orders_per_batch = serializers.IntegerField(min_value=1, required=False)
    max_units_per_batch = serializers.IntegerField(min_value=1, required=False)


class WaveReleaseAllInputSerializer(WaveReleaseInputSerializer):
    warehouse = serializers.UUIDField()


class PickStartInputSerializer(serializers.Serializer):
    assignee = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")


class PickScanInputSerializer(serializers.Serializer):
    bin_code = serializers.CharField(max_length=40)
    barcode = serializers.CharField(
        max_length=64, allow_blank=True, required=False, default="", help_text="Empty: a bin scan only"
    )
    quantity = serializers.IntegerField(required=False, default=1)


class PickShortInputSerializer(serializers.Serializer):
    task = serializers.UUIDField()
    found = serializers.IntegerField(
        min_value=0, required=False, default=0, help_text="Units taken from the bin"
    )


class ResolveInputSerializer(serializers.Serializer):
    resolution = serializers.CharField(
        help_text="other_bin, handed_back, or auto (another bin when one holds the units, else hand back)"
    )
    note = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")
