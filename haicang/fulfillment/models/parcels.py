"""Parcels: what leaves the warehouse — box, measured weight, carrier service, label, tracking."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from haicang.core.fields import MoneyField
from haicang.core.models import Entity


class ParcelStatus(models.TextChoices):
    PACKED = "packed", _("Packed")
    LABELLED = "labelled", _("Labelled")
    SHIPPED = "shipped", _("Shipped")
    VOIDED = "voided", _("Voided")  # its label cancelled before shipping


class Parcel(Entity):
    outbound = models.ForeignKey("fulfillment.Outbound", on_delete=models.PROTECT, related_name="parcels")
    seller = models.ForeignKey("parties.Seller", on_delete=models.PROTECT, related_name="+")
    operator = models.ForeignKey("parties.Operator", on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey("network.Warehouse", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(max_length=32)  # PCL-2026-000321, per operator
    status = models.CharField(max_length=10, choices=ParcelStatus.choices, default=ParcelStatus.PACKED)
    box_type = models.ForeignKey(
        "fulfillment.BoxType", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    suggested_box = models.ForeignKey(
        "fulfillment.BoxType", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    length_mm = models.PositiveIntegerField(default=0)
    width_mm = models.PositiveIntegerField(default=0)
    height_mm = models.PositiveIntegerField(default=0)
    weight_g = models.PositiveIntegerField(default=0)  # measured at packing
    billable_weight_g = models.PositiveIntegerField(default=0)  # max(actual, dimensional) for the service
    carrier_service = models.ForeignKey(
        "network.CarrierService", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    carrier_code = models.CharField(max_length=20, blank=True)
    service_code = models.CharField(max_length=30, blank=True)
    rate = MoneyField(null=True, blank=True)
    rate_reason = models.CharField(max_length=500, blank=True)
    tracking_number = models.CharField(max_length=40, blank=True)
    label_pdf = models.FileField(upload_to="labels/%Y/%m/", blank=True)
    label_zpl = models.TextField(blank=True)
    labelled_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    # The latest normalised tracking status (TrackingStatus), kept in step by the tracking service.
    tracking_status = models.CharField(max_length=24, blank=True)
    last_event_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    packed_by = models.CharField(max_length=200, blank=True)
    packed_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["packed_at"]
        constraints = [
            models.UniqueConstraint(fields=["operator", "number"], name="parcel_number_unique"),
            models.UniqueConstraint(
                fields=["carrier_code", "tracking_number"],
                condition=~models.Q(tracking_number=""),
                name="parcel_tracking_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["tracking_number"], name="parcel_tracking_idx"),
            models.Index(fields=["warehouse", "status"], name="parcel_queue_idx"),
            models.Index(fields=["tracking_status", "last_event_at"], name="parcel_tracking_state_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class ParcelLine(Entity):
    parcel = models.ForeignKey(Parcel, on_delete=models.CASCADE, related_name="lines")
    sku = models.ForeignKey("catalog.Sku", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["parcel", "sku"]

    def __str__(self) -> str:
        return f"{self.sku_id} × {self.quantity}"
