"""The outbox and the webhooks that carry it to the parties' systems.

* :class:`OutboxEvent` — one row per event, written in the transaction of the change it announces. It names
  the event type, the subject (type, id, version) and the parties concerned — never personal data and never a
  payload: the payload is rendered at delivery time through the receiving party's scope.
* :class:`SubjectVersion` — the outbox's own version counter per subject, for subjects that carry no version.
* :class:`WebhookSubscription` — a seller's or an operator's endpoint, the event types it wants and its secrets
  (sealed at rest with :mod:`haicang.core.crypto`; only ``services`` seals and unseals them).
* :class:`WebhookDelivery` — one event to one subscription: attempts, lease, outcome.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haicang.core.models import Entity


class OutboxEvent(Entity):
    event_type = models.CharField(max_length=64)
    schema_version = models.PositiveSmallIntegerField(default=1)
    subject_type = models.CharField(max_length=64)
    subject_id = models.CharField(max_length=100)
    subject_version = models.BigIntegerField()
    seller = models.ForeignKey(
        "parties.Seller", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    operator = models.ForeignKey(
        "parties.Operator", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    occurred_at = models.DateTimeField()
    # Set by the relay once deliveries were made for every matching subscription (None: not yet fanned out).
    fanned_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "subject_version"], name="outbox_subject"),
            models.Index(fields=["id"], condition=Q(fanned_out_at__isnull=True), name="outbox_unfanned"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.subject_type}/{self.subject_id}@{self.subject_version}"


class SubjectVersion(models.Model):
    """The last version handed out for a subject; bumped in the transaction of the change (row lock held)."""

    subject_type = models.CharField(max_length=64)
    subject_id = models.CharField(max_length=100)
    version = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id"], name="outbox_subject_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject_type}/{self.subject_id}@{self.version}"


class DisabledCause(models.TextChoices):
    FAILING = "failing", _("Its deliveries kept failing")
    PARTY = "party", _("Turned off by the party")


class WebhookSubscription(Entity):
    seller = models.ForeignKey(
        "parties.Seller", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    operator = models.ForeignKey(
        "parties.Operator", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    url = models.URLField(max_length=500)
    description = models.CharField(max_length=200, blank=True)
    event_types = models.JSONField(default=list)
    is_active = models.BooleanField(default=True)
    # The signing secrets, sealed (AES-GCM, context ``webhook-secret:<id>``): never in clear in the database.
    secret_sealed = models.BinaryField()
    secret_created_at = models.DateTimeField()
    previous_secret_sealed = models.BinaryField(null=True, blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)  # deliveries that ended dead in a row
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    disabled_cause = models.CharField(max_length=16, choices=DisabledCause.choices, blank=True)
    # The party saw the notice that the relay turned the subscription off (None: the banner shows).
    disabled_acknowledged_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(seller__isnull=False, operator__isnull=True)
                | Q(seller__isnull=True, operator__isnull=False),
                name="webhook_subscription_one_party",
            )
        ]

    def __str__(self) -> str:
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    FAILED = "failed", _("Failed, will retry")
    DELIVERED = "delivered", _("Delivered")
    DEAD = "dead", _("Dead letter")


class WebhookDelivery(Entity):
    event = models.ForeignKey(OutboxEvent, on_delete=models.PROTECT, related_name="deliveries")
    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    first_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField()
    # The lease of the relay that claimed it; an expired lease (a relay that died) is taken again.
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    last_response_excerpt = models.CharField(max_length=500, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "subscription"], name="webhook_delivery_unique")
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=["pending", "failed"]),
                name="webhook_delivery_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.subscription_id} ({self.status})"
