"""Carriers, their services and rate cards: the operator's data (docs/network.md, "Carriers and rate cards").

A :class:`Carrier` (a parcel company the operator ships with) offers :class:`CarrierService` rows (one
product: ground, expedited, express…) from some of the operator's warehouses to some countries. A service
is priced by dated :class:`RateCard` rows, each with its :class:`RateZone` rows (areas by postcode prefix,
:class:`RateZoneArea`), the zones' :class:`WeightBreak` rows and the card's :class:`RateCardRemoteArea`
prefixes. Written only by ``haicang.network.services.carriers`` and the ``rate_card`` import.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from haicang.core.fields import MoneyField
from haicang.core.models import Entity


class ServiceLevel(models.TextChoices):
    ECONOMY = "economy", _("Economy")
    GROUND = "ground", _("Ground")
    EXPEDITED = "expedited", _("Expedited")
    EXPRESS = "express", _("Express")


class Carrier(Entity):
    """A parcel carrier an operator ships with, e.g. ``UPX`` United Parcel Express."""

    operator = models.ForeignKey("parties.Operator", on_delete=models.PROTECT, related_name="carriers")
    code = models.CharField(max_length=20, help_text="Short code, unique per operator, e.g. UPX")
    name = models.CharField(max_length=100)
    tracking_url_template = models.CharField(
        max_length=300, blank=True, help_text="A URL with {tracking_number} where the number goes"
    )
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["operator", "code"], name="carrier_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def tracking_url(self, tracking_number: str) -> str:
        """The carrier's tracking page for ``tracking_number``; empty when the carrier has no template."""
        from urllib.parse import quote

        template = self.tracking_url_template
        return template.replace("{tracking_number}", quote(tracking_number, safe="")) if template else ""


class CarrierService(Entity):
    """One product of a carrier that the operator sells from some warehouses to some countries."""

    operator = models.ForeignKey(
        "parties.Operator", on_delete=models.PROTECT, related_name="carrier_services"
    )
    carrier = models.ForeignKey(Carrier, on_delete=models.PROTECT, related_name="services")
    code = models.CharField(max_length=30, help_text="Unique per operator, e.g. UPX-GROUND")
    name = models.CharField(max_length=100)
    service_level = models.CharField(max_length=16, choices=ServiceLevel.choices)
    warehouses = models.ManyToManyField(
        "network.Warehouse", related_name="carrier_services", blank=True, help_text="Ships from"
    )
    residential_allowed = models.BooleanField(default=True)
    transit_days_default = models.PositiveSmallIntegerField(
        help_text="Transit days where the rate card's zone gives none"
    )
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["operator", "code"], name="carrier_service_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CarrierServiceCountry(models.Model):
    """A destination country a service delivers to."""

    service = models.ForeignKey(CarrierService, on_delete=models.CASCADE, related_name="countries")
    country = models.CharField(max_length=2)

    class Meta:
        ordering = ["country"]
        constraints = [
            models.UniqueConstraint(fields=["service", "country"], name="carrier_service_country_unique")
        ]

    def __str__(self) -> str:
        return f"{self.service.code} → {self.country}"


class RateCard(Entity):
    """A service's prices from ``effective_from`` to ``effective_to`` (both included; empty: open-ended).

    The dimensional-weight divisor is in cm³/kg, the same number as mm³/g; fuel is a percentage of the base
    price (and of the surcharges when ``fuel_on_surcharges``). Surcharges are in the card's currency.
    """

    service = models.ForeignKey(CarrierService, on_delete=models.PROTECT, related_name="rate_cards")
    currency = models.CharField(max_length=3)
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)
    dim_divisor = models.PositiveIntegerField(help_text="cm³ per kg (= mm³ per g), e.g. 5000")
    dim_threshold_mm3 = models.BigIntegerField(
        default=0, help_text="Dimensional weight applies only above this volume; 0: always"
    )
    fuel_surcharge_pct = models.DecimalField(max_digits=6, decimal_places=3, default=0)
    fuel_on_surcharges = models.BooleanField(default=False)
    residential_surcharge = MoneyField()
    remote_surcharge = MoneyField()
    source = models.CharField(max_length=200, blank=True, help_text="Where it came from, e.g. the file name")
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["service", "-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="rate_card_effective_order",
            ),
            models.CheckConstraint(condition=Q(dim_divisor__gt=0), name="rate_card_divisor_positive"),
            models.CheckConstraint(condition=Q(dim_threshold_mm3__gte=0), name="rate_card_threshold"),
            models.CheckConstraint(condition=Q(fuel_surcharge_pct__gte=0), name="rate_card_fuel_pct"),
            models.CheckConstraint(
                condition=Q(residential_surcharge_currency=F("currency"))
                & Q(remote_surcharge_currency=F("currency"))
                & Q(residential_surcharge_amount__gte=0)
                & Q(remote_surcharge_amount__gte=0),
                name="rate_card_surcharges",
            ),
        ]

    def __str__(self) -> str:
        until = self.effective_to.isoformat() if self.effective_to else "…"
        return f"{self.service.code} {self.effective_from.isoformat()}–{until}"


class RateCardRemoteArea(models.Model):
    """Postcodes of ``country`` starting with ``prefix`` (empty: the whole country) pay the remote surcharge."""

    card = models.ForeignKey(RateCard, on_delete=models.CASCADE, related_name="remote_areas")
    country = models.CharField(max_length=2)
    prefix = models.CharField(max_length=12, blank=True)

    class Meta:
        ordering = ["country", "prefix"]
        constraints = [
            models.UniqueConstraint(fields=["card", "country", "prefix"], name="rate_card_remote_unique")
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.prefix}*"


class RateZone(models.Model):
    """A zone of a card: a name (``2``, ``DE``, ``EU-1``) and its transit days (empty: the service's)."""

    card = models.ForeignKey(RateCard, on_delete=models.CASCADE, related_name="zones")
    name = models.CharField(max_length=20)
    transit_days = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["card", "name"], name="rate_zone_name_unique")]

    def __str__(self) -> str:
        return f"zone {self.name}"


class RateZoneArea(models.Model):
    """Postcodes of ``country`` starting with ``prefix`` (a postcode key; empty: the rest of the country)
    are in ``zone``. ``card`` repeats the zone's card so that a (country, prefix) is unique per card."""

    card = models.ForeignKey(RateCard, on_delete=models.CASCADE, related_name="zone_areas")
    zone = models.ForeignKey(RateZone, on_delete=models.CASCADE, related_name="areas")
    country = models.CharField(max_length=2)
    prefix = models.CharField(max_length=12, blank=True)

    class Meta:
        ordering = ["country", "prefix"]
        constraints = [
            models.UniqueConstraint(fields=["card", "country", "prefix"], name="rate_zone_area_unique")
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.prefix}* → {self.zone.name}"


class WeightBreak(models.Model):
    """Parcels of the zone up to ``max_weight_g`` billable grams cost ``price`` (the card's currency)."""

    zone = models.ForeignKey(RateZone, on_delete=models.CASCADE, related_name="breaks")
    max_weight_g = models.PositiveIntegerField()
    price = MoneyField()

    class Meta:
        ordering = ["max_weight_g"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "max_weight_g"], name="weight_break_unique"),
            models.CheckConstraint(condition=Q(max_weight_g__gt=0), name="weight_break_positive"),
            models.CheckConstraint(condition=Q(price_amount__gte=0), name="weight_break_price"),
        ]

    def __str__(self) -> str:
        return f"≤ {self.max_weight_g} g: {self.price}"
