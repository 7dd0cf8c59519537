"""Cycle counts: a task to count some locations (or one SKU's locations) of one warehouse, blind, line by line.

Written only by ``haicang.inventory.counting``; the adjustments a count causes are ordinary ledger moves
(document type ``cycle_count``, document ref the task's number). See docs/inventory.md, "Cycle counts".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from haicang.core.fields import MoneyField
from haicang.core.models import Entity


class CountTaskKind(models.TextChoices):
    LOCATION = "location", "By location"
    SKU = "sku", "By SKU"


class CountTaskStatus(models.TextChoices):
    OPEN = "open", "Open"  # being counted
    COUNTED = "counted", "Counted"  # submitted; some variance waits for a manager's approval
    APPLIED = "applied", "Applied"  # variances posted as adjustment moves (approved, or none needed approval)
    CANCELLED = "cancelled", "Cancelled"


class CountPolicy(models.Model):
    """When a variance needs a manager's approval at one warehouse: more than ``max_units`` units either way, or
    worth more than ``max_value`` at the SKU's purchase cost. No row: the defaults of ``count_rules``."""

    warehouse = models.OneToOneField(
        "network.Warehouse", on_delete=models.CASCADE, related_name="count_policy"
    )
    max_units = models.PositiveIntegerField()
    max_value = MoneyField(places=4)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "count policies"

    def __str__(self) -> str:
        return f"{self.warehouse_id}: >{self.max_units} units or >{self.max_value}"


class CountTask(Entity):
    """Count the stock at ``locations`` (kind location), or one ``sku`` wherever it lay at creation (kind sku)."""

    number = models.CharField(max_length=32, help_text="CNT-2026-000001, per operator")
    operator = models.ForeignKey("parties.Operator", on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey("network.Warehouse", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=CountTaskKind.choices)
    sku = models.ForeignKey("catalog.Sku", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    locations = models.ManyToManyField("network.Location", related_name="+")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=CountTaskStatus.choices, default=CountTaskStatus.OPEN)
    note = models.CharField(max_length=500, blank=True)
    round = models.PositiveSmallIntegerField(default=1, help_text="1, then +1 at each recount")
    created_by = models.CharField(max_length=200)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.CharField(max_length=200, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.CharField(max_length=200, blank=True, help_text="Who approved, rejected or cancelled")
    decision_note = models.CharField(max_length=500, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["operator", "number"], name="count_task_number_unique"),
            models.CheckConstraint(
                condition=Q(kind="location", sku__isnull=True) | Q(kind="sku", sku__isnull=False),
                name="count_task_sku_iff_by_sku",
            ),
        ]
        indexes = [models.Index(fields=["warehouse", "status"], name="count_task_status_idx")]

    def __str__(self) -> str:
        return self.number


class CountLine(Entity):
    """What was counted of one (location, SKU, lot) — and, hidden from the counter, what the ledger held.

    ``expected`` is snapshotted from the balances when the line is recorded (or, for a task location's stock
    nobody recorded, when the task is submitted: then ``counted`` is 0). Applying the task is a
    compare-and-set against it.
    """

    task = models.ForeignKey(CountTask, on_delete=models.CASCADE, related_name="lines")
    location = models.ForeignKey("network.Location", on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey("parties.Seller", on_delete=models.PROTECT, related_name="+")
    sku = models.ForeignKey("catalog.Sku", on_delete=models.PROTECT, related_name="+")
    lot_code = models.CharField(max_length=64, blank=True, default="")
    counted = models.PositiveIntegerField()
    expected = models.BigIntegerField(
        help_text="On hand in the ledger when counted (never shown to the counter)"
    )
    counted_at = models.DateTimeField()
    counted_by = models.CharField(max_length=200)
    implied = models.BooleanField(default=False, help_text="Not found by the counter: counted as 0 at submit")
    # |variance| × the SKU's purchase cost, in the policy's currency; empty when it cannot be valued.
    value = MoneyField(places=4, null=True, blank=True)
    needs_approval = models.BooleanField(default=False)
    approval_reasons = models.CharField(max_length=64, blank=True, help_text="units, value, value_unknown")

    class Meta:
        ordering = ["location__code", "sku__code", "lot_code"]
        constraints = [
            models.UniqueConstraint(fields=["task", "location", "sku", "lot_code"], name="count_line_unique"),
        ]

    @property
    def variance(self) -> int:
        return self.counted - self.expected

    def __str__(self) -> str:
        return f"{self.task_id}: {self.sku_id}@{self.location_id} counted {self.counted}"
