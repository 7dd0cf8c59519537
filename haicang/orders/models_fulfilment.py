"""Fulfillment requests: what a seller asks an operator's warehouse to ship for an order (docs/orders.md,
"Fulfillment requests").

A request carries **only what the service agreement grants** the operator, copied when it is released: the
SKUs and quantities, the ship-to (country, postcode, city and region in clear; name, company and street lines
**sealed**, bound to the request's id), the customer's phone and e-mail only when the agreement shares them,
and prices only when it shares prices. The order itself stays invisible to operators.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haicang.core.fields import MoneyField
from haicang.core.models import Entity


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    IN_PROGRESS = "in_progress", _("In progress")
    SHIPPED = "shipped", _("Shipped")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (RequestStatus.SUBMITTED, RequestStatus.ACCEPTED, RequestStatus.IN_PROGRESS)


class CancellationState(models.TextChoices):
    NONE = "", _("None")
    REQUESTED = "requested", _("Cancellation requested")
    ACCEPTED = "accepted", _("Cancellation accepted")
    REFUSED = "refused", _("Cancellation refused")


class FulfillmentRequest(Entity):
    seller = models.ForeignKey("parties.Seller", on_delete=models.PROTECT, related_name="+")
    operator = models.ForeignKey("parties.Operator", on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey("network.Warehouse", on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey("parties.ServiceAgreement", on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="fulfillment_requests")
    number = models.CharField(max_length=32)  # FR-2026-000045, per seller
    order_number = models.CharField(max_length=32)  # copied: the operator cannot read the order
    status = models.CharField(max_length=12, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED)
    reject_reason = models.CharField(max_length=300, blank=True)
    cancellation = models.CharField(max_length=10, choices=CancellationState.choices, blank=True, default="")
    cancellation_reason = models.CharField(max_length=300, blank=True)  # the seller's
    cancellation_answer = models.CharField(max_length=300, blank=True)  # the operator's, when it refuses
    # The agreement's data-sharing grants as they were at release (what was copied).
    shares_prices = models.BooleanField(default=False)
    shares_email = models.BooleanField(default=False)
    shares_phone = models.BooleanField(default=False)
    service_level = models.CharField(max_length=100, blank=True)
    currency = models.CharField(max_length=3, blank=True)  # only with shared prices
    ship_country = models.CharField(max_length=2, blank=True)
    ship_postcode = models.CharField(max_length=20, blank=True)
    ship_city = models.CharField(max_length=100, blank=True)
    ship_region = models.CharField(max_length=100, blank=True)
    # Sealed (context ``orders.fulfillment_request:<id>:<field>``); phone and e-mail NULL unless shared.
    ship_name_sealed = models.BinaryField(null=True, blank=True)
    ship_company_sealed = models.BinaryField(null=True, blank=True)
    ship_street_sealed = models.BinaryField(null=True, blank=True)
    ship_phone_sealed = models.BinaryField(null=True, blank=True)
    ship_email_sealed = models.BinaryField(null=True, blank=True)
    # The SLA clock (haicang.orders.sla_rules), fixed at release.
    released_at = models.DateTimeField()
    sla_start_at = models.DateTimeField()
    agreement_due_at = models.DateTimeField()
    platform_ship_by = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField()
    sla_basis = models.CharField(max_length=10)  # agreement | platform
    at_risk_from = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)  # rejected, shipped or cancelled
    carrier = models.CharField(max_length=100, blank=True)
    tracking_numbers = models.JSONField(default=list, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(fields=["seller", "number"], name="fulfillment_request_number_unique"),
        ]
        indexes = [
            models.Index(fields=["operator", "status", "due_at"], name="fr_operator_due_idx"),
            models.Index(fields=["seller", "status", "due_at"], name="fr_seller_due_idx"),
            models.Index(fields=["order"], name="fr_order_idx"),
        ]

    def __str__(self) -> str:  # never personal data
        return f"{self.number} ({self.order_number})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class FulfillmentRequestLine(Entity):
    request = models.ForeignKey(FulfillmentRequest, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey("orders.OrderLine", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField()
    sku = models.ForeignKey("catalog.Sku", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    unit_price = MoneyField(null=True, blank=True, places=6)  # only with shared prices

    class Meta:
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="fr_line_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.sku_id} × {self.quantity}"


class FulfillmentRequestHistory(Entity):
    """One change of a request: who (the actor's label), when, the event and the status it left."""

    request = models.ForeignKey(FulfillmentRequest, on_delete=models.CASCADE, related_name="history")
    version = models.PositiveIntegerField()
    event = models.CharField(max_length=32)
    status = models.CharField(max_length=12, choices=RequestStatus.choices)
    previous_status = models.CharField(max_length=12, blank=True)
    actor = models.CharField(max_length=200, blank=True)
    detail = models.CharField(max_length=300, blank=True)  # a reason; never personal data
    occurred_at = models.DateTimeField()

    class Meta:
        ordering = ["version"]
        constraints = [
            models.UniqueConstraint(fields=["request", "version"], name="fr_history_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} v{self.version} {self.event}"
