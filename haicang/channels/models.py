"""A seller's stores on the marketplaces and how their SKUs map to the seller's catalogue.

* :class:`ChannelAccount` — one store of one seller on one platform (a seller may have several Temu stores).
  Its API credentials and webhook secret are **sealed** (AES-GCM, :mod:`haicang.core.crypto`, bound to the
  account's id): only :mod:`haicang.channels.services` seals and unseals them; they are never in clear in the
  database, the API, the pages or the audit log.
* :class:`ChannelSkuMap` — a channel SKU of an account → the seller's SKU (a plain SKU or a kit; the orders
  app explodes kits into their components).
* :class:`StockShareRule` — how much of the stock an account may sell: per SKU or the account's default, a
  percent of the pool or a fixed quantity, and a safety buffer (:mod:`haicang.channels.stock_share_rules`).
* :class:`ChannelStockLevel` — the available-to-sell last computed per account and SKU (``channels.stock-sync``).
* :class:`StockSyncCursor` — how far the stock sync has read the outbox.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haicang.channels.normalised import Platform
from haicang.core.models import Entity

PLATFORM_LABELS = {
    Platform.SHOPIFY: "Shopify",
    Platform.AMAZON: "Amazon",
    Platform.TIKTOK: "TikTok Shop",
    Platform.TEMU: "Temu",
    Platform.SHEIN: "SHEIN",
}
PLATFORM_CHOICES = [(p.value, PLATFORM_LABELS[p]) for p in Platform]


class AccountStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DISABLED = "disabled", _("Disabled")


class ChannelAccount(Entity):
    seller = models.ForeignKey("parties.Seller", on_delete=models.PROTECT, related_name="channel_accounts")
    platform = models.CharField(max_length=16, choices=PLATFORM_CHOICES)
    name = models.CharField(max_length=100)
    external_shop_id = models.CharField(max_length=100, blank=True)  # the platform's id of the store
    region = models.CharField(max_length=16, blank=True)  # US, EU, GLOBAL, or a country code
    currency = models.CharField(max_length=3)  # the store's selling currency (ISO 4217)
    status = models.CharField(max_length=16, choices=AccountStatus.choices, default=AccountStatus.ACTIVE)
    # Sealed JSON of the platform's credentials (context ``channel-account:<id>:credentials``).
    credentials_sealed = models.BinaryField(null=True, blank=True)
    credentials_updated_at = models.DateTimeField(null=True, blank=True)
    # Sealed webhook secret (context ``channel-account:<id>:webhook-secret``).
    webhook_secret_sealed = models.BinaryField(null=True, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The warehouses whose stock the account sells (docs/channels.md, "Stock sync"); none: it sells nothing.
    warehouses = models.ManyToManyField("network.Warehouse", blank=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["seller", "name"], name="channel_account_name_unique"),
            models.UniqueConstraint(
                fields=["seller", "platform", "external_shop_id"],
                condition=~Q(external_shop_id=""),
                name="channel_account_shop_unique",
            ),
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_platform_display()})"

    @property
    def has_credentials(self) -> bool:
        return bool(self.credentials_sealed)

    @property
    def has_webhook_secret(self) -> bool:
        return bool(self.webhook_secret_sealed)


class ChannelSkuMap(Entity):
    account = models.ForeignKey(ChannelAccount, on_delete=models.CASCADE, related_name="sku_maps")
    channel_sku = models.CharField(max_length=200)
    sku = models.ForeignKey("catalog.Sku", on_delete=models.PROTECT, related_name="+")
    # The platform's ids of the listing that stock pushes need ({"inventory_item_id": …} on Shopify,
    # {"product_id", "sku_id"} on TikTok Shop, {"goods_id", "sku_id"} on Temu, {"sku_code"} on SHEIN).
    listing = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "channel_sku"], name="channel_sku_map_unique"),
        ]
        ordering = ["channel_sku"]

    def __str__(self) -> str:
        return f"{self.channel_sku} → {self.sku_id}"


class RuleMode(models.TextChoices):
    PERCENT = "percent", _("Percent of the pool")
    FIXED = "fixed", _("Fixed quantity")


class StockShareRule(Entity):
    """An account's share of a SKU's stock (``sku`` set) or of every SKU without a rule of its own (``sku`` null):
    ``percent`` of the pool or ``quantity`` units, minus ``buffer`` units held back."""

    account = models.ForeignKey(ChannelAccount, on_delete=models.CASCADE, related_name="share_rules")
    sku = models.ForeignKey("catalog.Sku", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    mode = models.CharField(max_length=8, choices=RuleMode.choices, default=RuleMode.PERCENT)
    percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    quantity = models.PositiveIntegerField(null=True, blank=True)
    buffer = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "sku"], name="stock_share_rule_unique"),
            models.UniqueConstraint(
                fields=["account"], condition=Q(sku__isnull=True), name="stock_share_rule_default_unique"
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        mode="percent",
                        percent__isnull=False,
                        percent__gte=0,
                        percent__lte=100,
                        quantity__isnull=True,
                    )
                    | Q(mode="fixed", quantity__isnull=False, percent__isnull=True)
                ),
                name="stock_share_rule_mode_value",
            ),
        ]
        ordering = ["account", "sku"]

    def __str__(self) -> str:
        return f"{self.account_id}/{self.sku_id or '*'}: {self.mode}"


class ChannelStockLevel(Entity):
    """What ``account`` may sell of ``sku``, as last computed. ``version`` grows with every change (the subject
    version of its ``channel.stock_changed`` events); ``pushed_version`` below it means the platform has not been
    sent the latest quantity yet."""

    account = models.ForeignKey(ChannelAccount, on_delete=models.CASCADE, related_name="stock_levels")
    sku = models.ForeignKey("catalog.Sku", on_delete=models.CASCADE, related_name="+")
    quantity = models.BigIntegerField(default=0)
    version = models.BigIntegerField(default=0)
    computed_at = models.DateTimeField()
    # The stock push (``stock_push.py``): the last version handed to the platform's transport, what it said,
    # and a note when it could not be pushed (no listing, credentials missing, the platform's error).
    pushed_version = models.BigIntegerField(default=0)
    pushed_quantity = models.BigIntegerField(null=True, blank=True)
    pushed_at = models.DateTimeField(null=True, blank=True)
    push_note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "sku"], name="channel_stock_level_unique"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="channel_stock_level_not_negative"),
        ]
        ordering = ["account", "sku"]

    def __str__(self) -> str:
        return f"{self.account_id}/{self.sku_id}: {self.quantity}@{self.version}"


class StockSyncCursor(models.Model):
    """The id of the last outbox event the stock sync has read to the end (one row per sync, by name)."""

    name = models.CharField(max_length=40, unique=True)
    last_event_id = models.UUIDField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.last_event_id}"
