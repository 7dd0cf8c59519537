"""Barcodes of a SKU and the components of a kit."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from haicang.catalog.identifiers import BarcodeKind
from haicang.catalog.models.skus import Sku
from haicang.core.models import Entity


class Barcode(Entity):
    """A barcode printed on a SKU: a GTIN or the seller's own code. Unique per seller by ``key``."""

    seller = models.ForeignKey("parties.Seller", on_delete=models.PROTECT, related_name="+")
    sku = models.ForeignKey(Sku, on_delete=models.CASCADE, related_name="barcodes")
    value = models.CharField(max_length=48, help_text="As printed")
    kind = models.CharField(max_length=8, choices=[(k.value, k.value) for k in BarcodeKind])
    key = models.CharField(max_length=48, help_text="What a scan matches: GTINs padded to 14 digits")

    class Meta:
        ordering = ["sku", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["seller", "key"], name="barcode_key_unique_per_seller")
        ]

    def __str__(self) -> str:
        return self.value


class KitComponent(models.Model):
    """``quantity`` units of ``component`` in one unit of ``kit``. Components are plain SKUs of the same seller."""

    kit = models.ForeignKey(Sku, on_delete=models.CASCADE, related_name="components")
    component = models.ForeignKey(Sku, on_delete=models.PROTECT, related_name="in_kits")
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["kit", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kit", "component"], name="kit_component_unique"),
            models.CheckConstraint(condition=~Q(kit=F("component")), name="kit_not_its_own_component"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="kit_component_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.component_id} in {self.kit_id}"
