"""Orders from the sales channels: the order, its lines (kits exploded into component lines), its status
history and its holds.

The customer's personal data — name, company, street lines, phone, e-mail and the buyer's note — is stored
**sealed** (AES-GCM, :mod:`haicang.core.crypto`, one column each, bound to the order's id and the field's name)
and only :mod:`haicang.orders.contact` seals and opens it. Country, postcode, city and region stay in clear
for routing and rates. E-mail and phone also have a **blind index** (keyed hash) for lookups by value.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haicang.channels.models import PLATFORM_CHOICES
from haicang.core.fields import MoneyField
from haicang.core.models import Entity


class OrderStatus(models.TextChoices):
    """The channel's status in Haicang's vocabulary (haicang.channels.normalised.OrderStatus)."""

    PENDING = "pending", _("Pending")
    UNSHIPPED = "unshipped", _("Unshipped")
    PARTIALLY_SHIPPED = "partially_shipped", _("Partially shipped")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")
    ON_HOLD = "on_hold", _("Held by the platform")


class HoldReason(models.TextChoices):
    SKU_UNMAPPED = "sku_unmapped", _("Channel SKU not mapped")
    ADDRESS_MISSING = "address_missing", _("No ship-to address")
    POSTCODE_MISSING = "postcode_missing", _("Postcode missing")
    POSTCODE_INVALID = "postcode_invalid", _("Postcode invalid")
    PHONE_INVALID = "phone_invalid", _("Phone number invalid")
    PLATFORM_HOLD = "platform_hold", _("Held by the platform")
    ADDRESS_CHANGE_PENDING = "address_change_pending", _("Buyer is changing the address")


class AllocationStatus(models.TextChoices):
    """Where the order's stock stands (routing's own status; ``status`` stays the channel's)."""

    UNALLOCATED = "unallocated", _("Not routed")
    ALLOCATED = "allocated", pgettext_lazy("order stock", "Allocated")
    BACKORDERED = "backordered", _("Backordered")
    CANCELLED = "cancelled", _("Cancelled")  # the order was cancelled: its stock is (being) given back


class CancelledBy(models.TextChoices):
    """Who cancelled the order: the channel (its status said so) or the seller in Haicang."""

    CHANNEL = "channel", _("Channel")
    SELLER = "seller", _("Seller")


class LineKind(models.TextChoices):
    ITEM = "item", _("Item")  # a channel SKU mapped to a plain SKU (or not mapped yet)
    KIT = "kit", _("Kit")  # a channel SKU mapped to a kit: its units ship as the component lines
    COMPONENT = "component", _("Kit component")


class Order(Entity):
    seller = models.ForeignKey("parties.Seller", on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey("channels.ChannelAccount", on_delete=models.PROTECT, related_name="orders")
    number = models.CharField(max_length=32)  # ORD-2026-000123, per seller
    platform = models.CharField(max_length=16, choices=PLATFORM_CHOICES)
    external_id = models.CharField(max_length=100)
    parent_external_id = models.CharField(max_length=100, blank=True)
    display_ref = models.CharField(max_length=100, blank=True)
    marketplace = models.CharField(max_length=50, blank=True)
    raw_ref = models.CharField(max_length=200, blank=True)
    placed_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)
    ship_by = models.DateTimeField(null=True, blank=True)
    deliver_by = models.DateTimeField(null=True, blank=True)
    channel_updated_at = models.DateTimeField(null=True, blank=True)  # the platform's last change
    status = models.CharField(max_length=20, choices=OrderStatus.choices)
    platform_status = models.CharField(max_length=50, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.CharField(max_length=10, choices=CancelledBy.choices, blank=True)
    currency = models.CharField(max_length=3)
    shipping_charged = MoneyField(null=True, blank=True)
    commission = MoneyField(null=True, blank=True)
    total = MoneyField(null=True, blank=True)
    service_level = models.CharField(max_length=100, blank=True)
    flags = models.JSONField(default=list, blank=True)
    # Ship-to in clear (routing and rates need them).
    ship_country = models.CharField(max_length=2, blank=True)
    ship_postcode = models.CharField(max_length=20, blank=True)
    ship_city = models.CharField(max_length=100, blank=True)
    ship_region = models.CharField(max_length=100, blank=True)
    # Personal data, sealed (context ``orders.order:<id>:<field>``); NULL when the channel gave none.
    ship_name_sealed = models.BinaryField(null=True, blank=True)
    ship_company_sealed = models.BinaryField(null=True, blank=True)
    ship_street_sealed = models.BinaryField(null=True, blank=True)  # JSON list of lines
    ship_phone_sealed = models.BinaryField(null=True, blank=True)  # E.164 when it could be read
    ship_email_sealed = models.BinaryField(null=True, blank=True)
    buyer_note_sealed = models.BinaryField(null=True, blank=True)
    # Blind indexes (HMAC-SHA256 under the index key) of the normalised e-mail and phone.
    email_index = models.CharField(max_length=64, blank=True, db_index=True)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True)
    version = models.PositiveIntegerField(default=1)
    # Routing (haicang.orders.routing): allocated when every line holds its stock, backordered when it waits.
    allocation_status = models.CharField(
        max_length=12, choices=AllocationStatus.choices, default=AllocationStatus.UNALLOCATED
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "external_id"], name="order_account_external_unique"),
            models.UniqueConstraint(fields=["seller", "number"], name="order_number_unique"),
        ]
        indexes = [
            models.Index(fields=["seller", "-placed_at"], name="order_seller_placed_idx"),
            models.Index(fields=["seller", "status"], name="order_seller_status_idx"),
            models.Index(fields=["allocation_status", "placed_at"], name="order_allocation_idx"),
        ]
        ordering = ["-placed_at"]

    def __str__(self) -> str:  # never personal data: it is the audit log's label
        return f"{self.number} ({self.platform} {self.external_id})"


class OrderLine(Entity):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=LineKind.choices, default=LineKind.ITEM)
    kit_line = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="components"
    )
    channel_line_id = models.CharField(max_length=100)
    channel_sku = models.CharField(max_length=200)
    platform_item_id = models.CharField(max_length=100, blank=True)
    title = models.CharField(max_length=300, blank=True)
    sku = models.ForeignKey("catalog.Sku", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    quantity = models.PositiveIntegerField()
    original_quantity = models.PositiveIntegerField()
    shipped_quantity = models.PositiveIntegerField(null=True, blank=True)
    unit_price = MoneyField(null=True, blank=True, places=6)
    discount = MoneyField(null=True, blank=True)
    tax = MoneyField(null=True, blank=True)
    price_includes_tax = models.BooleanField(default=False)
    # The stock held for this line (routing reserves it; a channel cancellation releases it).
    reservation = models.ForeignKey(
        "inventory.Reservation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__lte=models.F("original_quantity")),
                name="order_line_quantity_le_ordered",
            ),
            models.CheckConstraint(
                condition=Q(kind="component", kit_line__isnull=False) | ~Q(kind="component"),
                name="order_line_component_has_kit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel_sku} × {self.quantity}"


class OrderHistory(Entity):
    """One change of an order as it came in: created, changed (with the names of the fields), cancelled."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="history")
    version = models.PositiveIntegerField()
    event = models.CharField(max_length=20)  # created | changed | cancelled
    status = models.CharField(max_length=20, choices=OrderStatus.choices)
    previous_status = models.CharField(max_length=20, blank=True)
    platform_status = models.CharField(max_length=50, blank=True)
    changed_fields = models.JSONField(default=list, blank=True)  # names only, never values
    source = models.CharField(max_length=50, blank=True)  # api, import, webhook:shopify, …
    occurred_at = models.DateTimeField()

    class Meta:
        ordering = ["version"]
        constraints = [
            models.UniqueConstraint(fields=["order", "version"], name="order_history_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} v{self.version} {self.event}"


class OrderHold(Entity):
    """Why an order must not be fulfilled yet. Ingestion opens and releases the holds it finds; ``detail``
    never quotes personal data."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="holds")
    reason = models.CharField(max_length=32, choices=HoldReason.choices)
    detail = models.CharField(max_length=300, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["order", "released_at"], name="order_hold_open_idx")]

    def __str__(self) -> str:
        return f"{self.reason}: {self.detail}"

    @property
    def is_open(self) -> bool:
        return self.released_at is None


# --- routing and allocation (haicang.orders.routing) ----------------------------------------------------------
class OrderSettings(Entity):
    """A seller's order-handling choices. ``allow_split``: routing may ship an order from several warehouses
    (one parcel each) when no single warehouse has everything; off by default (one parcel per order)."""

    seller = models.OneToOneField("parties.Seller", on_delete=models.CASCADE, related_name="+")
    allow_split = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"order settings of {self.seller_id}"


class RoutingOutcome(models.TextChoices):
    SINGLE = "single", _("One warehouse")
    SPLIT = "split", _("Split")
    BACKORDER = "backorder", _("Backordered")


class RoutingDecision(Entity):
    """One routing of an order: the warehouses chosen (with the units each reserves) and, per candidate
    warehouse, why (``candidates``: code, chosen, in stock, cost, days, text — "LAX1: 12 in stock, USD 4.10,
    3 days"). Never personal data."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="routing_decisions")
    outcome = models.CharField(max_length=10, choices=RoutingOutcome.choices)
    warehouses = models.ManyToManyField("network.Warehouse", related_name="+", blank=True)
    allocations = models.JSONField(default=list, blank=True)  # [{"warehouse": code, "lines": [[sku, qty]]}]
    candidates = models.JSONField(default=list, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    promise_days = models.IntegerField(null=True, blank=True)
    late = models.BooleanField(default=False)
    # The sum of the parts' last-mile costs (each part priced for its own parcel), in ``cost_currency`` (the
    # order's); null for a backorder or when a part has no price.
    estimated_cost = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    cost_currency = models.CharField(max_length=3, blank=True)
    actor = models.CharField(max_length=200, blank=True)  # the actor's label (user, API key or job)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["order", "-created_at"], name="routing_decision_order_idx")]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.outcome}"


from haicang.orders import models_fulfilment  # noqa: E402, F401 - fulfillment requests (their own module)
