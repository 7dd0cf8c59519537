"""Tracking: carrier events normalised to one vocabulary, the raw code and text kept; alerts; messages that
could not be applied, kept with their reason (docs/fulfillment.md, "Tracking")."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from haicang.core.models import Entity


class TrackingStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    INFO_RECEIVED = "info_received", _("Info received")
    IN_TRANSIT = "in_transit", _("In transit")
    OUT_FOR_DELIVERY = "out_for_delivery", _("Out for delivery")
    ATTEMPT_FAILED = "attempt_failed", _("Attempt failed")
    AVAILABLE_FOR_PICKUP = "available_for_pickup", _("Available for pick-up")
    DELIVERED = "delivered", _("Delivered")
    EXCEPTION = "exception", _("Exception")
    RETURNED_TO_SENDER = "returned_to_sender", _("Returned to sender")
    EXPIRED = "expired", _("Expired")


class TrackingSource(models.TextChoices):
    API = "api", _("API")
    WEBHOOK = "webhook", _("Webhook")
    CSV = "csv", _("CSV import")
    CARRIER = "carrier", _("Carrier poll")
    SYSTEM = "system", _("Haicang")


class TrackingEvent(Entity):
    parcel = models.ForeignKey("fulfillment.Parcel", on_delete=models.CASCADE, related_name="tracking_events")
    occurred_at = models.DateTimeField()
    status = models.CharField(max_length=24, choices=TrackingStatus.choices)
    raw_code = models.CharField(max_length=40, blank=True)
    raw_text = models.CharField(max_length=300, blank=True)
    location = models.CharField(max_length=200, blank=True)
    is_customs_hold = models.BooleanField(default=False)
    is_refused_for_charges = models.BooleanField(default=False)
    source = models.CharField(max_length=10, choices=TrackingSource.choices)
    received_at = models.DateTimeField()
    # Replays of one event (same time, code and text) are recognised and not stored twice.
    dedupe_key = models.CharField(max_length=64)

    class Meta:
        ordering = ["occurred_at", "received_at"]
        constraints = [
            models.UniqueConstraint(fields=["parcel", "dedupe_key"], name="tracking_event_dedupe"),
        ]

    def __str__(self) -> str:
        return f"{self.status} {self.raw_code}"


class TrackingAlertKind(models.TextChoices):
    EXCEPTION = "exception", _("Exception")
    CUSTOMS_HOLD = "customs_hold", _("Customs hold")
    REFUSED_FOR_CHARGES = "refused_for_charges", _("Refused for charges")
    NO_SCAN = "no_scan", _("No scan")
    EXPIRED = "expired", _("Expired")


class TrackingAlert(Entity):
    parcel = models.ForeignKey("fulfillment.Parcel", on_delete=models.CASCADE, related_name="tracking_alerts")
    kind = models.CharField(max_length=24, choices=TrackingAlertKind.choices)
    detail = models.CharField(max_length=300, blank=True)
    raised_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["parcel", "kind"],
                condition=models.Q(resolved_at__isnull=True),
                name="tracking_alert_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.parcel_id}"


class TrackingMessage(Entity):
    """A tracking message (API, webhook or CSV row) that could not be applied, kept with its reason."""

    operator = models.ForeignKey(
        "parties.Operator", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(max_length=10, choices=TrackingSource.choices)
    carrier_code = models.CharField(max_length=20, blank=True)
    tracking_number = models.CharField(max_length=40, blank=True)
    payload = models.JSONField(default=dict)
    reason_code = models.CharField(max_length=40)
    reason = models.CharField(max_length=300)
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.reason_code} {self.tracking_number}"


class TrackingWebhookSecret(Entity):
    """The secret a carrier (or a tracking aggregator) signs an operator's tracking webhooks with, per carrier
    code. Sealed (AES-GCM, context ``tracking-webhook-secret:<id>``): never in clear in the database. During a
    rotation the previous secret stays valid until ``previous_secret_expires_at``."""

    operator = models.ForeignKey("parties.Operator", on_delete=models.CASCADE, related_name="+")
    carrier_code = models.CharField(max_length=20)  # normalised (carriers.base.carrier_code_normalise)
    secret_sealed = models.BinaryField()
    secret_created_at = models.DateTimeField()
    previous_secret_sealed = models.BinaryField(null=True, blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["carrier_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["operator", "carrier_code"], name="tracking_webhook_secret_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.carrier_code} {self.operator_id}"
