"""Pick lists, their tasks (one stop each), every scan and short-pick exceptions (docs/fulfillment.md)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haicang.core.models import Entity
from haicang.fulfillment.models.outbound import PickMode


class PickListStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class PickList(Entity):
    wave = models.ForeignKey("fulfillment.Wave", on_delete=models.PROTECT, related_name="pick_lists")
    operator = models.ForeignKey("parties.Operator", on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey("network.Warehouse", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(max_length=32)  # PCK-2026-000101, per operator
    mode = models.CharField(max_length=8, choices=PickMode.choices)
    status = models.CharField(max_length=12, choices=PickListStatus.choices, default=PickListStatus.OPEN)
    assignee = models.CharField(max_length=200, blank=True)  # the picker's label, once started
    route_distance_mm = models.PositiveBigIntegerField(default=0)  # the improved walk, depot to depot
    sequence_distance_mm = models.PositiveBigIntegerField(default=0)  # the same stops in pick-sequence order
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["operator", "number"], name="pick_list_number_unique"),
        ]
        indexes = [models.Index(fields=["warehouse", "status"], name="pick_list_queue_idx")]

    def __str__(self) -> str:
        return self.number


class PickTaskStatus(models.TextChoices):
    OPEN = "open", _("To pick")
    PICKED = "picked", _("Picked")
    SHORT = "short", _("Short")
    CANCELLED = "cancelled", _("Cancelled")


class PickTask(Entity):
    """Take ``quantity`` of a SKU (and lot) from one bin for one outbound; ``stop`` is its place in the walk."""

    pick_list = models.ForeignKey(PickList, on_delete=models.CASCADE, related_name="tasks")
    outbound = models.ForeignKey("fulfillment.Outbound", on_delete=models.PROTECT, related_name="pick_tasks")
    sku = models.ForeignKey("catalog.Sku", on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey("network.Location", on_delete=models.PROTECT, related_name="+")
    lot_code = models.CharField(max_length=40, blank=True)
    quantity = models.PositiveIntegerField()
    picked_quantity = models.PositiveIntegerField(default=0)
    short_quantity = models.PositiveIntegerField(default=0)
    stop = models.PositiveIntegerField()
    sort_slot = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=PickTaskStatus.choices, default=PickTaskStatus.OPEN)
    picked_by = models.CharField(max_length=200, blank=True)
    picked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pick_list", "stop", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="pick_task_quantity_positive"),
            models.CheckConstraint(
                condition=Q(picked_quantity__lte=models.F("quantity")), name="pick_task_not_overpicked"
            ),
        ]
        indexes = [
            models.Index(fields=["location", "status"], name="pick_task_bin_idx"),
            models.Index(fields=["outbound"], name="pick_task_outbound_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.pick_list_id} #{self.stop}"


class ScanResult(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")


class PickScan(Entity):
    """Every scan on a pick list, applied or refused with its reason — never lost."""

    pick_list = models.ForeignKey(PickList, on_delete=models.CASCADE, related_name="scans")
    task = models.ForeignKey(PickTask, null=True, blank=True, on_delete=models.SET_NULL, related_name="scans")
    actor = models.CharField(max_length=200, blank=True)
    bin_code = models.CharField(max_length=40, blank=True)
    barcode = models.CharField(max_length=64, blank=True)
    quantity = models.IntegerField(default=0)
    result = models.CharField(max_length=10, choices=ScanResult.choices)
    reason_code = models.CharField(max_length=40, blank=True)  # e.g. pick.wrong_item
    message = models.CharField(max_length=300, blank=True)
    occurred_at = models.DateTimeField()

    class Meta:
        ordering = ["occurred_at", "pk"]
        indexes = [models.Index(fields=["pick_list", "occurred_at"], name="pick_scan_list_idx")]

    def __str__(self) -> str:
        return f"{self.result} {self.barcode}"


class ExceptionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class ExceptionResolution(models.TextChoices):
    OTHER_BIN = "other_bin", _("Picked from another bin")
    HANDED_BACK = "handed_back", _("Handed back to the seller's routing")


class PickException(Entity):
    """A short pick: the bin held fewer units than the task asked for."""

    task = models.ForeignKey(PickTask, on_delete=models.PROTECT, related_name="exceptions")
    outbound = models.ForeignKey("fulfillment.Outbound", on_delete=models.PROTECT, related_name="exceptions")
    warehouse = models.ForeignKey("network.Warehouse", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, default="short_pick")
    quantity = models.PositiveIntegerField()  # units missing
    status = models.CharField(max_length=10, choices=ExceptionStatus.choices, default=ExceptionStatus.OPEN)
    resolution = models.CharField(max_length=12, choices=ExceptionResolution.choices, blank=True)
    note = models.CharField(max_length=300, blank=True)
    raised_by = models.CharField(max_length=200, blank=True)
    raised_at = models.DateTimeField()
    resolved_by = models.CharField(max_length=200, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["raised_at"]
        indexes = [models.Index(fields=["warehouse", "status"], name="pick_exception_queue_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.quantity}"
