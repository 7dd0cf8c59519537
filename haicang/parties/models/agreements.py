"""Service agreements between one seller and one operator, with the data-sharing scope and fee schedule."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from haicang.core.fields import MoneyField
from haicang.core.models import Entity
from haicang.parties.models.parties import Operator, Seller


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    TERMINATED = "terminated", "Terminated"


class ServiceAgreement(Entity):
    """What one operator does for one seller in some of its warehouses, for how long, at what price.

    The data-sharing scope says which order fields the operator may see beyond what it needs to ship (SKUs,
    quantities, ship-to address, service level): by default none of prices, customer e-mail or phone.
    """

    seller = models.ForeignKey(Seller, on_delete=models.PROTECT, related_name="agreements")
    operator = models.ForeignKey(Operator, on_delete=models.PROTECT, related_name="agreements")
    warehouses = models.ManyToManyField("network.Warehouse", related_name="agreements", blank=True)
    reference = models.CharField(max_length=40, help_text="Human reference, e.g. AGR-2026-000001")
    status = models.CharField(max_length=16, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    # SLA: orders released before the warehouse's cut-off ship within this many working hours.
    sla_ship_within_working_hours = models.PositiveIntegerField(default=24)
    # Data-sharing scope.
    share_prices = models.BooleanField(default=False)
    share_customer_email = models.BooleanField(default=False)
    share_customer_phone = models.BooleanField(default=False)

    class Meta:
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="agreement_valid_dates",
            ),
            models.UniqueConstraint(fields=["seller", "reference"], name="agreement_reference_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.seller} × {self.operator}"


class FeeSchedule(Entity):
    """The prices of one agreement from a date, in the operator's billing currency. Data, not code."""

    agreement = models.ForeignKey(ServiceAgreement, on_delete=models.CASCADE, related_name="fee_schedules")
    currency = models.CharField(max_length=3)
    effective_from = models.DateField()
    storage_free_days = models.PositiveIntegerField(default=0)
    peak_factor = models.DecimalField(max_digits=6, decimal_places=3, default=1)
    peak_months = models.JSONField(
        default=list, blank=True, help_text="Months (1–12) the peak factor applies"
    )

    class Meta:
        ordering = ["agreement", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "effective_from"], name="fee_schedule_effective_unique"
            ),
            models.CheckConstraint(
                condition=Q(peak_factor__gte=1), name="fee_schedule_peak_factor_at_least_1"
            ),
        ]

    def __str__(self) -> str:
        return f"fees of {self.agreement.reference} from {self.effective_from}"


class FeeKind(models.TextChoices):
    INBOUND_CARTON = "inbound_carton", "Inbound, per carton"
    INBOUND_PALLET = "inbound_pallet", "Inbound, per pallet"
    INBOUND_UNIT = "inbound_unit", "Inbound, per unit"
    STORAGE_M3_DAY = "storage_m3_day", "Storage, per m³ per day"
    OUTBOUND_ORDER = "outbound_order", "Outbound, per order"
    OUTBOUND_EXTRA_UNIT = "outbound_extra_unit", "Outbound, per extra unit"
    PACKAGING = "packaging", "Packaging, per order"
    RETURN_UNIT = "return_unit", "Returns, per unit"
    LABELLING = "labelling", "Labelling, per unit"
    KITTING = "kitting", "Kitting, per kit"
    POSTAGE_MARKUP_PCT = "postage_markup_pct", "Postage markup, percent"


class FeeLine(models.Model):
    """One price of a schedule. ``amount`` per unit of the kind (a percent for the postage markup)."""

    schedule = models.ForeignKey(FeeSchedule, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=32, choices=FeeKind.choices)
    amount = MoneyField(places=6)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["kind"]
        constraints = [models.UniqueConstraint(fields=["schedule", "kind"], name="fee_line_kind_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.amount}"


class StorageAgeBand(models.Model):
    """A storage surcharge per m³ per day for stock whose FIFO age falls in [from_day, to_day]."""

    schedule = models.ForeignKey(FeeSchedule, on_delete=models.CASCADE, related_name="age_bands")
    from_day = models.PositiveIntegerField()
    to_day = models.PositiveIntegerField(null=True, blank=True, help_text="Empty: no upper bound")
    surcharge_m3_day = MoneyField(places=6)

    class Meta:
        ordering = ["from_day"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "from_day"], name="storage_age_band_unique"),
            models.CheckConstraint(
                condition=Q(to_day__isnull=True) | Q(to_day__gte=F("from_day")), name="storage_age_band_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_day}–{self.to_day or '∞'} days: {self.surcharge_m3_day}"
