"""The stock ledger's tables. Written only by ``haicang.inventory.ledger`` (moves, balances, counters) and
``haicang.inventory.services`` (reservations, lots); read through ``haicang.inventory.selectors``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from haicang.core.models import ActorKind, Entity


class Lot(Entity):
    """A lot (batch) of one SKU, with its expiry date for FEFO picking."""

    owner = models.ForeignKey("parties.Seller", on_delete=models.PROTECT, related_name="lots")
    sku = models.ForeignKey("catalog.Sku", on_delete=models.PROTECT, related_name="lots")
    code = models.CharField(max_length=64)
    expires_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sku", "code"], name="lot_sku_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} ({self.expires_on or 'no expiry'})"


class Move(Entity):
    """``quantity`` units of one SKU of one owner (one lot, one receipt layer) from one location to another.

    Immutable: never updated or deleted; a correction is a new move (``correction_of``) with a reason.
    """

    owner = models.ForeignKey("parties.Seller", on_delete=models.PROTECT, related_name="+")
    sku = models.ForeignKey("catalog.Sku", on_delete=models.PROTECT, related_name="+")
    lot_code = models.CharField(max_length=64, blank=True, default="")
    received_on = models.DateField(help_text="The receipt date of the layer moved (FIFO ageing)")
    quantity = models.PositiveIntegerField()
    from_location = models.ForeignKey("network.Location", on_delete=models.PROTECT, related_name="+")
    to_location = models.ForeignKey("network.Location", on_delete=models.PROTECT, related_name="+")
    document_type = models.CharField(max_length=32)
    document_ref = models.CharField(max_length=64, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    correction_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_kind = models.CharField(max_length=16, choices=ActorKind.choices)
    actor_label = models.CharField(max_length=200)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    effective_at = models.DateTimeField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="move_quantity_positive"),
            models.CheckConstraint(condition=~Q(from_location=F("to_location")), name="move_two_locations"),
        ]
        indexes = [
            models.Index(fields=["owner", "sku", "effective_at"], name="move_owner_sku_idx"),
            models.Index(fields=["from_location", "effective_at"], name="move_from_idx"),
            models.Index(fields=["to_location", "effective_at"], name="move_to_idx"),
            models.Index(fields=["document_type", "document_ref"], name="move_document_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.sku_id} {self.from_location_id} → {self.to_location_id}"


class Balance(models.Model):
    """Quantity per (owner, SKU, location, lot, receipt layer): a cache of the moves, written in the same
    transaction as them by ``ledger``; checked and rebuilt by ``haicang verify`` / ``rebuild-balances``.
    Negative only at virtual locations (the supplier gives, the customer takes)."""

    owner = models.ForeignKey("parties.Seller", on_delete=models.PROTECT, related_name="+")
    sku = models.ForeignKey("catalog.Sku", on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey("network.Location", on_delete=models.PROTECT, related_name="+")
    lot_code = models.CharField(max_length=64, blank=True, default="")
    received_on = models.DateField()
    quantity = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "sku", "location", "lot_code", "received_on"], name="balance_key_unique"
            ),
        ]
        indexes = [models.Index(fields=["location", "sku"], name="balance_location_sku_idx")]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.sku_id} at {self.location_id} ({self.lot_code or '-'}, {self.received_on})"


class StockCounter(models.Model):
    """Per (owner, SKU, warehouse): sellable on hand (pick and bulk bins) and reserved. A cache of the
    balances and reservations, written with them by ``ledger``/``locks``; the database refuses reserved >
    sellable, and every change goes through a guarded UPDATE (see ``haicang.inventory.locks``)."""

    owner = models.ForeignKey("parties.Seller", on_delete=models.PROTECT, related_name="+")
    sku = models.ForeignKey("catalog.Sku", on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey("network.Warehouse", on_delete=models.PROTECT, related_name="+")
    sellable = models.BigIntegerField(default=0)
    reserved = models.BigIntegerField(default=0)
    # Bumped by every guarded UPDATE of the row: the subject version of its ``stock.available_changed`` events
    # (the row lock orders the versions in commit order). Kept by ``rebuild-balances``.
    version = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "sku", "warehouse"], name="stock_counter_unique"),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="stock_counter_reserved_not_negative"),
            models.CheckConstraint(
                condition=Q(reserved__lte=F("sellable")), name="stock_counter_reserved_le_sellable"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sku_id}@{self.warehouse_id}: {self.reserved}/{self.sellable}"


class ReservationStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Reservation(Entity):
    """Sellable units held at a warehouse for a demand (an order line, a transfer). ``open_quantity`` is what is
    still held; it falls as units are consumed (shipped) or released."""

    owner = models.ForeignKey("parties.Seller", on_delete=models.PROTECT, related_name="+")
    sku = models.ForeignKey("catalog.Sku", on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey("network.Warehouse", on_delete=models.PROTECT, related_name="+")
    demand_type = models.CharField(max_length=32)
    demand_ref = models.CharField(max_length=64)
    quantity = models.PositiveIntegerField()
    open_quantity = models.PositiveIntegerField()
    consumed_quantity = models.PositiveIntegerField(default=0)
    released_quantity = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=8, choices=ReservationStatus.choices, default=ReservationStatus.OPEN)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity=F("open_quantity") + F("consumed_quantity") + F("released_quantity")),
                name="reservation_quantities_add_up",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "sku", "warehouse", "status"], name="reservation_open_idx"),
            models.Index(fields=["demand_type", "demand_ref"], name="reservation_demand_idx"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.open_quantity}/{self.quantity} × {self.sku_id} for {self.demand_type} {self.demand_ref}"
        )
