"""Locations: a warehouse's bins and areas, and the virtual locations of the stock ledger.

One table holds both, so that a ledger move goes from one ``Location`` to another with two plain foreign keys
whatever the places are (see docs/network.md):

- real locations (kinds pick, bulk, receiving, dock, returns, quarantine, damaged) belong to a warehouse and
  have a code unique in it — a bin code ``ZONE-AISLE-RACK-LEVEL-POSITION`` (whose parts are also kept in
  columns for filtering) or an area code such as ``DOCK-01``;
- ``in_transit`` is virtual and belongs to a warehouse: stock on its way there (one per warehouse);
- supplier, customer, inventory_loss and scrap are virtual and global (no warehouse): one row each.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from haicang.core.models import Entity


class LocationKind(models.TextChoices):
    PICK = "pick", "Pick"
    BULK = "bulk", "Bulk"
    RECEIVING = "receiving", "Receiving"
    DOCK = "dock", "Dock"
    RETURNS = "returns", "Returns"
    QUARANTINE = "quarantine", "Quarantine"
    DAMAGED = "damaged", "Damaged"
    SUPPLIER = "supplier", "Supplier (virtual)"
    IN_TRANSIT = "in_transit", "In transit (virtual)"
    CUSTOMER = "customer", "Customer (virtual)"
    INVENTORY_LOSS = "inventory_loss", "Inventory loss (virtual)"
    SCRAP = "scrap", "Scrap (virtual)"


REAL_KINDS = frozenset(
    {
        LocationKind.PICK,
        LocationKind.BULK,
        LocationKind.RECEIVING,
        LocationKind.DOCK,
        LocationKind.RETURNS,
        LocationKind.QUARANTINE,
        LocationKind.DAMAGED,
    }
)
GLOBAL_VIRTUAL_KINDS = frozenset(
    {LocationKind.SUPPLIER, LocationKind.CUSTOMER, LocationKind.INVENTORY_LOSS, LocationKind.SCRAP}
)
VIRTUAL_KINDS = GLOBAL_VIRTUAL_KINDS | {LocationKind.IN_TRANSIT}
REAL_KIND_CHOICES = [(kind.value, kind.label) for kind in LocationKind if kind in REAL_KINDS]
# Locations whose stock is sellable (on hand in pick and bulk bins).
SELLABLE_KINDS = frozenset({LocationKind.PICK, LocationKind.BULK})


class Location(Entity):
    """A place stock can be: a real bin or area of a warehouse, or a virtual location of the ledger."""

    warehouse = models.ForeignKey(
        "network.Warehouse", null=True, blank=True, on_delete=models.PROTECT, related_name="locations"
    )
    kind = models.CharField(max_length=16, choices=LocationKind.choices)
    code = models.CharField(max_length=20)
    # The parts of a bin code (empty for area codes and virtual locations).
    zone = models.CharField(max_length=4, blank=True)
    aisle = models.PositiveSmallIntegerField(null=True, blank=True)
    rack = models.PositiveSmallIntegerField(null=True, blank=True)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(null=True, blank=True)
    capacity_volume_mm3 = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="Empty: not limited"
    )
    capacity_weight_g = models.PositiveBigIntegerField(null=True, blank=True, help_text="Empty: not limited")
    pick_sequence = models.PositiveIntegerField(
        null=True, blank=True, help_text="Walk order in the warehouse"
    )
    x_m = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    y_m = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["warehouse", "code"]
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "code"], name="location_code_unique"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(warehouse__isnull=True), name="location_global_code_unique"
            ),
            models.UniqueConstraint(
                fields=["warehouse"], condition=Q(kind="in_transit"), name="location_one_in_transit"
            ),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(warehouse__isnull=True), name="location_one_global_virtual"
            ),
            models.CheckConstraint(
                condition=Q(warehouse__isnull=True, kind__in=sorted(GLOBAL_VIRTUAL_KINDS))
                | Q(warehouse__isnull=False, kind__in=sorted(REAL_KINDS | {LocationKind.IN_TRANSIT})),
                name="location_kind_warehouse",
            ),
        ]
        indexes = [
            models.Index(fields=["warehouse", "pick_sequence"], name="location_walk_order"),
            models.Index(fields=["warehouse", "kind", "zone"], name="location_kind_zone"),
        ]

    @property
    def is_virtual(self) -> bool:
        return self.kind not in REAL_KINDS

    def __str__(self) -> str:
        return f"{self.warehouse.code}:{self.code}" if self.warehouse_id and self.warehouse else self.code
