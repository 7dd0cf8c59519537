"""Waves: accepted requests grouped by carrier pick-up time, service level and zone (docs/fulfillment.md)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from haicang.core.models import Entity


class WaveStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RELEASED = "released", _("Released")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Wave(Entity):
    operator = models.ForeignKey("parties.Operator", on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey("network.Warehouse", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(max_length=32)  # WAV-2026-000012, per operator
    status = models.CharField(max_length=10, choices=WaveStatus.choices, default=WaveStatus.PLANNED)
    pickup_at = models.DateTimeField(null=True, blank=True)
    service_level = models.CharField(max_length=100, blank=True)
    zone = models.CharField(max_length=4, blank=True)
    request_count = models.PositiveIntegerField(default=0)
    unit_count = models.PositiveIntegerField(default=0)
    planned_by = models.CharField(max_length=200, blank=True)
    planned_at = models.DateTimeField()
    released_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pickup_at", "number"]
        constraints = [
            models.UniqueConstraint(fields=["operator", "number"], name="wave_number_unique"),
        ]
        indexes = [models.Index(fields=["warehouse", "status", "pickup_at"], name="wave_queue_idx")]

    def __str__(self) -> str:
        return self.number
