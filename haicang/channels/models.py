"""A seller's stores on the marketplaces and how their SKUs map to the seller's catalogue.

* :class:`ChannelAccount` — one store of one seller on one platform (a seller may have several Temu stores).
  Its API credentials and webhook secret are **sealed** (AES-GCM, :mod:`haicang.core.crypto`, bound to the
  account's id): only :mod:`haicang.channels.services` seals and unseals them; they are never in clear in the
  database, the API, the pages or the audit log.
* :class:`ChannelSkuMap` — a channel SKU of an account → the seller's SKU (a plain SKU or a kit; the orders
  app explodes kits into their components).
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
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "channel_sku"], name="channel_sku_map_unique"),
        ]
        ordering = ["channel_sku"]

    def __str__(self) -> str:
        return f"{self.channel_sku} → {self.sku_id}"
