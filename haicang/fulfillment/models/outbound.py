"""The warehouse's working record of one fulfillment request (docs/fulfillment.md, "Outbound work").

The request itself (``orders.FulfillmentRequest``) is the contract between seller and operator: its status
(accepted → in progress → shipped | cancelled) is what both parties see. An :class:`Outbound` is created when
the operator accepts a request and carries what only the warehouse cares about: the wave, how it is picked,
the carrier service pre-selected at release and the estimates behind it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from haicang.core.fields import MoneyField
from haicang.core.models import Entity


class OutboundStatus(models.TextChoices):
    TO_WAVE = "to_wave", _("To wave")
    WAVED = "waved", _("In a wave")
    PICKING = "picking", _("Picking")
    PICKED = "picked", _("Picked")
    PACKED = "packed", _("Packed")
    SHIPPED = "shipped", _("Shipped")
    EXCEPTION = "exception", _("Exception")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_OUTBOUND = (
    OutboundStatus.TO_WAVE,
    OutboundStatus.WAVED,
    OutboundStatus.PICKING,
    OutboundStatus.PICKED,
    OutboundStatus.PACKED,
    OutboundStatus.EXCEPTION,
)


class PickMode(models.TextChoices):
    SINGLE = "single", _("Single order")
    BATCH = "batch", _("Batch, sort to order")


class Outbound(Entity):
    request = models.OneToOneField(
        "orders.FulfillmentRequest", on_delete=models.PROTECT, related_name="outbound"
    )
    seller = models.ForeignKey("parties.Seller", on_delete=models.PROTECT, related_name="+")
    operator = models.ForeignKey("parties.Operator", on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey("network.Warehouse", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(max_length=32)  # the request's number (FR-…), for scanning and lists
    status = models.CharField(max_length=12, choices=OutboundStatus.choices, default=OutboundStatus.TO_WAVE)
    service_level = models.CharField(max_length=100, blank=True)
    due_at = models.DateTimeField()  # the request's SLA due time
    units = models.PositiveIntegerField(default=0)
    lines = models.PositiveIntegerField(default=0)
    est_weight_g = models.PositiveIntegerField(default=0)  # from the SKUs' master data
    est_volume_mm3 = models.PositiveBigIntegerField(default=0)
    zone = models.CharField(max_length=4, blank=True)  # the pick zone holding most of its units
    # Pre-selected at release from the estimates (re-rated at packing with the measured weight).
    planned_service = models.ForeignKey(
        "network.CarrierService", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    planned_cost = MoneyField(null=True, blank=True)
    planned_reason = models.CharField(max_length=300, blank=True)
    pickup_at = models.DateTimeField(null=True, blank=True)  # the carrier pick-up it is planned for
    wave = models.ForeignKey(
        "fulfillment.Wave", null=True, blank=True, on_delete=models.SET_NULL, related_name="outbounds"
    )
    pick_mode = models.CharField(max_length=8, choices=PickMode.choices, blank=True)
    sort_slot = models.PositiveSmallIntegerField(null=True, blank=True)  # the sort-to-order slot (batch)
    exception_reason = models.CharField(max_length=300, blank=True)
    accepted_at = models.DateTimeField()
    picked_at = models.DateTimeField(null=True, blank=True)
    packed_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_at"]
        indexes = [
            models.Index(fields=["warehouse", "status", "due_at"], name="outbound_queue_idx"),
            models.Index(fields=["wave"], name="outbound_wave_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_OUTBOUND
