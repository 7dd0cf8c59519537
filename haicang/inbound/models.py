"""Inbound (first-leg) shipments: the seller's advance shipping notice and what happens to it.

Written only by the services of this app (``services``, ``receiving``, ``costing``); the stock itself moves
through the inventory ledger (supplier → in transit to the warehouse → receiving). See docs/inbound.md.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from haicang.core.fields import MoneyField
from haicang.core.models import Entity
from haicang.inbound.landed_cost import Basis, CostKind


class ShipmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    IN_TRANSIT = "in_transit", "In transit"
    ARRIVED = "arrived", "Arrived"
    RECEIVING = "receiving", "Receiving"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"


class TransportMode(models.TextChoices):
    SEA_FCL = "sea_fcl", "Sea, full container"
    SEA_LCL = "sea_lcl", "Sea, less than container"
    AIR = "air", "Air"
    RAIL = "rail", "Rail"
    EXPRESS = "express", "Express"


class InboundShipment(Entity):
    """One first-leg shipment (an ASN) of one seller to one warehouse."""

    seller = models.ForeignKey("parties.Seller", on_delete=models.PROTECT, related_name="inbound_shipments")
    warehouse = models.ForeignKey(
        "network.Warehouse", on_delete=models.PROTECT, related_name="inbound_shipments"
    )
    number = models.CharField(max_length=32, help_text="ASN-2026-000001, per seller")
    reference = models.CharField(max_length=64, blank=True, help_text="The seller's own reference, e.g. a PO")
    status = models.CharField(max_length=12, choices=ShipmentStatus.choices, default=ShipmentStatus.DRAFT)
    mode = models.CharField(max_length=8, choices=TransportMode.choices)
    carrier = models.CharField(max_length=100, blank=True, help_text="Shipping line, airline or forwarder")
    origin_city = models.CharField(max_length=100, blank=True)
    origin_port = models.CharField(max_length=100, blank=True, help_text="Port or airport, e.g. CNSZX")
    origin_country = models.CharField(max_length=2)
    container_number = models.CharField(max_length=20, blank=True)
    bill_of_lading = models.CharField(max_length=40, blank=True)
    air_waybill = models.CharField(max_length=20, blank=True)
    etd = models.DateField(null=True, blank=True, help_text="Estimated departure")
    eta = models.DateField(null=True, blank=True, help_text="Estimated arrival at the warehouse")
    note = models.CharField(max_length=500, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    arrived_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    fx_date = models.DateField(null=True, blank=True, help_text="The date of the FX rates of the landed cost")
    version = models.PositiveIntegerField(default=1, help_text="Grows with every change")
    created_by = models.CharField(max_length=200)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["seller", "number"], name="inbound_number_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "cancelled"]) | Q(submitted_at__isnull=False),
                name="inbound_submitted_at",
            ),
        ]
        indexes = [
            models.Index(fields=["warehouse", "status"], name="inbound_warehouse_status_idx"),
            models.Index(fields=["seller", "status"], name="inbound_seller_status_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class ShipmentLine(Entity):
    """What the seller ships of one SKU: expected units, purchase cost; received and damaged units (caches of
    the receipts, written with them) and the landed unit cost in the seller's base currency."""

    shipment = models.ForeignKey(InboundShipment, on_delete=models.CASCADE, related_name="lines")
    sku = models.ForeignKey("catalog.Sku", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(default=0)
    expected_quantity = models.PositiveIntegerField()
    purchase_cost = MoneyField("purchase cost per unit", places=6)
    received_quantity = models.PositiveIntegerField(default=0, help_text="Good units received")
    damaged_quantity = models.PositiveIntegerField(default=0, help_text="Units received damaged")
    landed_unit_cost = MoneyField(places=6, null=True, blank=True)
    landed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["shipment", "position"]
        constraints = [
            models.UniqueConstraint(fields=["shipment", "sku"], name="inbound_line_sku_unique"),
            models.CheckConstraint(
                condition=Q(expected_quantity__gt=0), name="inbound_line_expected_positive"
            ),
            models.CheckConstraint(
                condition=Q(received_quantity__lte=F("expected_quantity") - F("damaged_quantity")),
                name="inbound_line_received_le_expected",
            ),
        ]

    @property
    def short_quantity(self) -> int:
        return self.expected_quantity - self.received_quantity - self.damaged_quantity

    def __str__(self) -> str:
        return f"{self.shipment_id}: {self.sku_id} × {self.expected_quantity}"


class Carton(Entity):
    """One carton of the shipment as the supplier packed it: dimensions, gross weight, contents."""

    shipment = models.ForeignKey(InboundShipment, on_delete=models.CASCADE, related_name="cartons")
    number = models.PositiveIntegerField(help_text="1…n in the shipment")
    length_mm = models.PositiveIntegerField(null=True, blank=True)
    width_mm = models.PositiveIntegerField(null=True, blank=True)
    height_mm = models.PositiveIntegerField(null=True, blank=True)
    gross_weight_g = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["shipment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["shipment", "number"], name="inbound_carton_number_unique"),
        ]

    @property
    def volume_mm3(self) -> int | None:
        if self.length_mm is None or self.width_mm is None or self.height_mm is None:
            return None
        return self.length_mm * self.width_mm * self.height_mm

    def __str__(self) -> str:
        return f"{self.shipment_id} carton {self.number}"


class CartonContent(models.Model):
    carton = models.ForeignKey(Carton, on_delete=models.CASCADE, related_name="contents")
    sku = models.ForeignKey("catalog.Sku", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["carton", "id"]
        constraints = [
            models.UniqueConstraint(fields=["carton", "sku"], name="inbound_carton_content_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="inbound_carton_content_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.carton_id}: {self.sku_id} × {self.quantity}"


class CustomsLine(models.Model):
    """What is declared to customs for one SKU of the shipment."""

    shipment = models.ForeignKey(InboundShipment, on_delete=models.CASCADE, related_name="customs_lines")
    sku = models.ForeignKey("catalog.Sku", on_delete=models.PROTECT, related_name="+")
    hs_code = models.CharField(max_length=10)
    origin_country = models.CharField(max_length=2)
    declared_value = MoneyField("declared value of the line")

    class Meta:
        ordering = ["shipment", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shipment", "sku"], name="inbound_customs_sku_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.shipment_id}: {self.sku_id} HS {self.hs_code}"


class FreightCost(models.Model):
    """A cost of getting the goods to the warehouse, split over the units by ``basis`` (landed cost)."""

    shipment = models.ForeignKey(InboundShipment, on_delete=models.CASCADE, related_name="costs")
    kind = models.CharField(max_length=12, choices=[(k.value, k.value.replace("_", " ")) for k in CostKind])
    amount = MoneyField()
    basis = models.CharField(max_length=8, choices=[(b.value, b.value) for b in Basis])
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["shipment", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} by {self.basis}"


class Milestone(models.Model):
    """A step of the shipment's life: the status it reached, when, who."""

    shipment = models.ForeignKey(InboundShipment, on_delete=models.CASCADE, related_name="milestones")
    status = models.CharField(max_length=12, choices=ShipmentStatus.choices)
    at = models.DateTimeField()
    actor_label = models.CharField(max_length=200)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["shipment", "at", "id"]

    def __str__(self) -> str:
        return f"{self.shipment_id} {self.status} at {self.at:%Y-%m-%d %H:%M}"


class EtaChange(models.Model):
    shipment = models.ForeignKey(InboundShipment, on_delete=models.CASCADE, related_name="eta_changes")
    previous_eta = models.DateField(null=True, blank=True)
    new_eta = models.DateField()
    at = models.DateTimeField()
    actor_label = models.CharField(max_length=200)
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["shipment", "at", "id"]

    def __str__(self) -> str:
        return f"{self.shipment_id}: ETA {self.previous_eta} → {self.new_eta}"


class LandedCostAverage(Entity):
    """The moving weighted-average landed unit cost of one seller's SKU at one warehouse, in the seller's base
    currency; updated by each receipt of an inbound shipment (``costing.landed_average_receive``)."""

    seller = models.ForeignKey("parties.Seller", on_delete=models.CASCADE, related_name="+")
    sku = models.ForeignKey("catalog.Sku", on_delete=models.CASCADE, related_name="+")
    warehouse = models.ForeignKey("network.Warehouse", on_delete=models.CASCADE, related_name="+")
    unit_cost = MoneyField(places=6)
    units_received = models.PositiveBigIntegerField(default=0, help_text="Units that entered the average")
    last_shipment = models.ForeignKey(
        InboundShipment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sku", "warehouse"]
        constraints = [
            models.UniqueConstraint(fields=["seller", "sku", "warehouse"], name="landed_average_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.sku_id}@{self.warehouse_id}: {self.unit_cost}"


# --- receiving: scans, discrepancies, the receipt report (``scanning``, ``discrepancies``, ``receipt_report``)


class ScanKind(models.TextChoices):
    CARTON = "carton", "Carton label"
    SKU = "sku", "SKU barcode or code"
    CONFIRM = "confirm", "Carton confirmed as labelled"


class ScanStatus(models.TextChoices):
    APPLIED = "applied", "Applied"
    REJECTED = "rejected", "Rejected"


class ReceivingScan(Entity):
    """One scan (or typed entry) on the receiving page, kept whether it could be applied or not: what was
    read, what it was taken for, how many units it received and — when rejected — why."""

    shipment = models.ForeignKey(InboundShipment, on_delete=models.CASCADE, related_name="scans")
    carton = models.ForeignKey(Carton, null=True, blank=True, on_delete=models.SET_NULL, related_name="scans")
    kind = models.CharField(max_length=8, choices=ScanKind.choices)
    raw = models.CharField(max_length=200, blank=True, help_text="What the scanner sent or the user typed")
    sku = models.ForeignKey("catalog.Sku", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(default=0, help_text="Units received by this scan")
    damaged = models.BooleanField(default=False, help_text="The units went to the damaged location")
    lot_code = models.CharField(max_length=64, blank=True, help_text="The lot received (lot-tracked SKUs)")
    status = models.CharField(max_length=8, choices=ScanStatus.choices)
    reason_code = models.CharField(max_length=64, blank=True, help_text="Stable code of the rejection")
    reason = models.CharField(max_length=500, blank=True)
    actor_label = models.CharField(max_length=200)
    at = models.DateTimeField()

    class Meta:
        ordering = ["shipment", "-at", "-id"]
        indexes = [models.Index(fields=["shipment", "at"], name="inbound_scan_shipment_at_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="applied", reason_code="") | Q(status="rejected") & ~Q(reason_code=""),
                name="inbound_scan_rejected_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shipment_id} {self.kind} {self.raw!r} {self.status}"


class DiscrepancyKind(models.TextChoices):
    SHORT = "short", "Short"
    OVER = "over", "Over"
    DAMAGED = "damaged", "Damaged"
    UNEXPECTED_SKU = "unexpected_sku", "Unexpected SKU"


class Discrepancy(Entity):
    """A difference between the ASN and what arrived, recorded with a note (and optionally a photo): units
    over the expected quantity or of a SKU not on the shipment (both received only this way), damaged units,
    and — written at close — units short."""

    shipment = models.ForeignKey(InboundShipment, on_delete=models.CASCADE, related_name="discrepancies")
    carton = models.ForeignKey(
        Carton, null=True, blank=True, on_delete=models.SET_NULL, related_name="discrepancies"
    )
    kind = models.CharField(max_length=16, choices=DiscrepancyKind.choices)
    sku = models.ForeignKey("catalog.Sku", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    lot_code = models.CharField(max_length=64, blank=True, help_text="The lot received (lot-tracked SKUs)")
    note = models.CharField(max_length=500, blank=True)
    photo = models.CharField(max_length=500, blank=True, help_text="Path of the photo in the file storage")
    actor_label = models.CharField(max_length=200)
    at = models.DateTimeField()

    class Meta:
        ordering = ["shipment", "at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="inbound_discrepancy_positive"),
        ]
        indexes = [models.Index(fields=["shipment", "kind"], name="inbound_discrepancy_kind_idx")]

    def __str__(self) -> str:
        return f"{self.shipment_id} {self.kind} {self.sku_id} × {self.quantity}"


class ReportStatus(models.TextChoices):
    OPEN = "open", "Awaiting the seller"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    DISPUTED = "disputed", "Disputed"
    RESOLVED = "resolved", "Dispute answered"


class DisputeResolution(models.TextChoices):
    ACCEPTED = "accepted", "The seller's claim is accepted"
    REJECTED = "rejected", "The seller's claim is rejected"


class ReceiptReport(Entity):
    """What closing a shipment found, per SKU (expected, received, damaged, short, over, discrepancies),
    kept as it was at close; the seller acknowledges or disputes it, and the operator answers a dispute
    (accepted with the adjustment it makes, or rejected with the reason)."""

    shipment = models.OneToOneField(InboundShipment, on_delete=models.CASCADE, related_name="receipt_report")
    status = models.CharField(max_length=12, choices=ReportStatus.choices, default=ReportStatus.OPEN)
    lines = models.JSONField(default=list, help_text="Per SKU, as at close")
    closed_at = models.DateTimeField()
    closed_by = models.CharField(max_length=200)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.CharField(max_length=200, blank=True)
    response_note = models.CharField(max_length=1000, blank=True)
    disputed_at = models.DateTimeField(null=True, blank=True)
    disputed_by = models.CharField(max_length=200, blank=True)
    dispute_note = models.CharField(max_length=1000, blank=True, help_text="The seller's claim, kept")
    resolution = models.CharField(max_length=8, choices=DisputeResolution.choices, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.CharField(max_length=200, blank=True)
    resolution_note = models.CharField(
        max_length=1000, blank=True, help_text="The operator's adjustment (accepted) or reason (rejected)"
    )

    class Meta:
        ordering = ["-closed_at"]

    def __str__(self) -> str:
        return f"receipt report of {self.shipment_id} ({self.status})"
