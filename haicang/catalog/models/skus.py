"""Products (a style, as marketplaces list it) and SKUs (one sellable variant: colour and size of a style).

A SKU belongs to one seller; its code is unique per seller. The rules of each field live in
``haicang.catalog.sku_fields`` and ``haicang.catalog.identifiers``; the constraints here are the database's
last word on the ones that must never break.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy

from haicang.core.fields import MoneyField
from haicang.core.models import Entity


class Product(Entity):
    """A style (product family): its SKUs are its variants, listed colour → size."""

    seller = models.ForeignKey("parties.Seller", on_delete=models.PROTECT, related_name="products")
    style_code = models.CharField(max_length=64)
    name_en = models.CharField(max_length=200)
    name_zh = models.CharField(max_length=200, blank=True)
    brand = models.CharField(max_length=100, blank=True)
    category = models.CharField(max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["style_code"]
        constraints = [
            models.UniqueConstraint(fields=["seller", "style_code"], name="product_style_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.style_code} {self.name_en}"


class SkuStatusChoices(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("sku status", "Active")
    DISCONTINUED = "discontinued", pgettext_lazy("sku status", "Discontinued")


class Sku(Entity):
    """A stock-keeping unit owned by a seller. Dimensions in mm, weights in g; unknown is empty, never 0."""

    seller = models.ForeignKey("parties.Seller", on_delete=models.PROTECT, related_name="skus")
    code = models.CharField(max_length=64)
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.PROTECT, related_name="variants"
    )
    name_en = models.CharField(max_length=200)
    name_zh = models.CharField(max_length=200, blank=True)
    colour = models.CharField(max_length=60, blank=True)
    size = models.CharField(max_length=30, blank=True)
    # Each unit, as packed for shipping to a customer.
    length_mm = models.PositiveIntegerField(null=True, blank=True)
    width_mm = models.PositiveIntegerField(null=True, blank=True)
    height_mm = models.PositiveIntegerField(null=True, blank=True)
    weight_g = models.PositiveIntegerField(null=True, blank=True)
    # The supplier's master carton.
    units_per_carton = models.PositiveIntegerField(null=True, blank=True)
    carton_length_mm = models.PositiveIntegerField(null=True, blank=True)
    carton_width_mm = models.PositiveIntegerField(null=True, blank=True)
    carton_height_mm = models.PositiveIntegerField(null=True, blank=True)
    carton_weight_g = models.PositiveIntegerField(null=True, blank=True)
    # Customs.
    hs_code = models.CharField(max_length=10, blank=True, help_text="6–10 digits")
    origin_country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2")
    declared_value = MoneyField("declared customs value", null=True, blank=True)
    # Purchasing (the seller's commercial data: operators do not see it).
    purchase_cost = MoneyField(places=6, null=True, blank=True)
    supplier_name = models.CharField(max_length=200, blank=True)
    moq = models.PositiveIntegerField(null=True, blank=True, help_text="Minimum order quantity, units")
    lead_time_days = models.PositiveIntegerField(null=True, blank=True, help_text="Production lead time")
    # Dangerous goods.
    lithium_battery = models.BooleanField(default=False)
    liquid = models.BooleanField(default=False)
    magnet = models.BooleanField(default=False)
    aerosol = models.BooleanField(default=False)
    flammable = models.BooleanField(default=False)
    powder = models.BooleanField(default=False)
    # What the warehouse records per unit received and shipped.
    track_lot = models.BooleanField(default=False)
    track_expiry = models.BooleanField(default=False)
    track_serial = models.BooleanField(default=False)
    status = models.CharField(
        max_length=16, choices=SkuStatusChoices.choices, default=SkuStatusChoices.ACTIVE
    )
    discontinued_at = models.DateTimeField(null=True, blank=True)
    # True exactly when the SKU has components; written only by kit_set_components (and the import).
    is_kit = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "SKU"
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["seller", "code"], name="sku_code_unique_per_seller"),
            models.UniqueConstraint(
                fields=["product", "colour", "size"],
                condition=Q(product__isnull=False),
                name="sku_variant_unique",
            ),
            models.CheckConstraint(
                condition=Q(track_expiry=False) | Q(track_lot=True), name="sku_expiry_needs_lot"
            ),
            models.CheckConstraint(condition=Q(status__in=SkuStatusChoices.values), name="sku_status_valid"),
        ]
        indexes = [models.Index(fields=["seller", "status"], name="sku_seller_status_idx")]

    def __str__(self) -> str:
        return self.code

    @property
    def volume_mm3(self) -> int | None:
        if self.length_mm is None or self.width_mm is None or self.height_mm is None:
            return None
        return self.length_mm * self.width_mm * self.height_mm

    @property
    def dangerous_goods(self) -> list[str]:
        from haicang.catalog.sku_fields import DANGEROUS_GOODS

        return [name for name in DANGEROUS_GOODS if getattr(self, name)]
