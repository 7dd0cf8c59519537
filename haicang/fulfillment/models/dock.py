"""Scans at the dock: every parcel label scanned to confirm it left, applied or refused with its reason."""

from __future__ import annotations

from django.db import models

from haicang.core.models import Entity
from haicang.fulfillment.models.picking import ScanResult


class DockScan(Entity):
    """One scan on the ship/dock page: the raw label text, the parcel it named (if any) and the outcome."""

    operator = models.ForeignKey("parties.Operator", on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey(
        "network.Warehouse", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    parcel = models.ForeignKey(
        "fulfillment.Parcel", null=True, blank=True, on_delete=models.SET_NULL, related_name="dock_scans"
    )
    raw = models.CharField(max_length=100)
    actor = models.CharField(max_length=200, blank=True)
    result = models.CharField(max_length=10, choices=ScanResult.choices)
    reason_code = models.CharField(max_length=40, blank=True)  # e.g. ship.label_unknown
    message = models.CharField(max_length=300, blank=True)
    occurred_at = models.DateTimeField()

    class Meta:
        ordering = ["-occurred_at", "pk"]
        indexes = [models.Index(fields=["operator", "occurred_at"], name="dock_scan_operator_idx")]

    def __str__(self) -> str:
        return f"{self.result} {self.raw}"
