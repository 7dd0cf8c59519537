"""The operator's box catalogue and its carriers' pick-up times (docs/fulfillment.md)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from haicang.core.models import Entity


class BoxType(Entity):
    """A carton the operator packs into: inner dimensions, the weight it carries and its own weight."""

    operator = models.ForeignKey("parties.Operator", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=100)
    inner_length_mm = models.PositiveIntegerField()
    inner_width_mm = models.PositiveIntegerField()
    inner_height_mm = models.PositiveIntegerField()
    max_weight_g = models.PositiveIntegerField()
    tare_g = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["operator", "code"]
        constraints = [
            models.UniqueConstraint(fields=["operator", "code"], name="box_type_code_unique"),
            models.CheckConstraint(
                condition=Q(
                    inner_length_mm__gt=0, inner_width_mm__gt=0, inner_height_mm__gt=0, max_weight_g__gt=0
                ),
                name="box_type_dimensions_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def inner_volume_mm3(self) -> int:
        return self.inner_length_mm * self.inner_width_mm * self.inner_height_mm


class PickupSchedule(Entity):
    """When a carrier collects at a warehouse: a local time on the given weekdays (ISO 1 = Monday … 7)."""

    warehouse = models.ForeignKey("network.Warehouse", on_delete=models.CASCADE, related_name="+")
    carrier = models.ForeignKey("network.Carrier", on_delete=models.CASCADE, related_name="+")
    pickup_time = models.TimeField(help_text="Local time at the warehouse")
    weekdays = models.JSONField(default=list, help_text="ISO weekdays, e.g. [1, 2, 3, 4, 5]")
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["warehouse", "pickup_time"]
        constraints = [
            models.UniqueConstraint(
                fields=["warehouse", "carrier", "pickup_time"], name="pickup_schedule_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.carrier_id} {self.pickup_time:%H:%M}"
