"""Reads of the channels app, always through the reader's scope (resource ``orders``: channel accounts are the
order team's)."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from haicang.catalog.models import Sku
from haicang.channels.models import ChannelAccount, ChannelSkuMap, ChannelStockLevel, StockShareRule
from haicang.parties.scoping import Scope, scope_queryset

READ = "orders:read"
WRITE = "orders:write"


def channel_accounts(scope: Scope) -> QuerySet[ChannelAccount]:
    queryset = ChannelAccount.objects.annotate(sku_map_count=Count("sku_maps"))
    return scope_queryset(queryset, scope, permission=READ).order_by("name")


def channel_sku_maps(scope: Scope) -> QuerySet[ChannelSkuMap]:
    queryset = ChannelSkuMap.objects.select_related("account", "sku")
    return scope_queryset(queryset, scope, permission=READ).order_by("account__name", "channel_sku")


def channel_sku_resolve(account: ChannelAccount, channel_sku: str) -> Sku | None:
    """The seller's SKU (or kit) a channel SKU of ``account`` stands for; then, as a fallback, the seller's SKU
    whose code is the channel SKU itself; None when neither exists (the order is held for mapping)."""
    mapping = (
        ChannelSkuMap.objects.filter(account=account, channel_sku=channel_sku).select_related("sku").first()
    )
    if mapping is not None:
        return mapping.sku
    return Sku.objects.filter(seller_id=account.seller_id, code=channel_sku).first()


def stock_share_rules(scope: Scope) -> QuerySet[StockShareRule]:
    queryset = StockShareRule.objects.select_related("account", "sku")
    return scope_queryset(queryset, scope, permission=READ).order_by("account__name", "sku__code")


def channel_stock_levels(scope: Scope) -> QuerySet[ChannelStockLevel]:
    queryset = ChannelStockLevel.objects.select_related("account", "sku")
    return scope_queryset(queryset, scope, permission=READ).order_by("account__name", "sku__code")
