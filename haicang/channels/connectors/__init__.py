"""The marketplace connectors, one per platform, behind one interface (:class:`base.Connector`).

``connector_for(platform)`` is the way in::

    from haicang.channels.connectors import connector_for
    order = connector_for("shopify").parse_order(payload)
    request = stock_push_adapter_for("temu").build_request(credentials, items, now=now)

See ``docs/channels.md`` for the contract and how to add a platform.
"""

from __future__ import annotations

from types import MappingProxyType

from haicang.channels.connectors.amazon import AmazonConnector, AmazonStockPush
from haicang.channels.connectors.base import Connector, PreparedRequest, WebhookNotSupported
from haicang.channels.connectors.shein import SheinConnector, SheinStockPush
from haicang.channels.connectors.shopify import ShopifyConnector, ShopifyStockPush
from haicang.channels.connectors.stock import StockItem, StockPushAdapter
from haicang.channels.connectors.temu import TemuConnector, TemuStockPush
from haicang.channels.connectors.tiktok import TikTokConnector, TikTokStockPush
from haicang.channels.normalised import PayloadInvalid, Platform

CONNECTORS = MappingProxyType(
    {
        connector.platform: connector
        for connector in (
            ShopifyConnector(),
            AmazonConnector(),
            TikTokConnector(),
            TemuConnector(),
            SheinConnector(),
        )
    }
)


STOCK_PUSH_ADAPTERS = MappingProxyType(
    {
        adapter.platform: adapter
        for adapter in (
            ShopifyStockPush(),
            AmazonStockPush(),
            TikTokStockPush(),
            TemuStockPush(),
            SheinStockPush(),
        )
    }
)


def stock_push_adapter_for(platform: str) -> StockPushAdapter | None:
    """The stock adapter of ``platform``, or None when Haicang cannot push stock to it."""
    try:
        return STOCK_PUSH_ADAPTERS.get(Platform(platform))
    except ValueError:
        return None


def connector_for(platform: str) -> Connector:
    """The connector of ``platform`` (a :class:`Platform` value); PayloadInvalid for an unknown one."""
    try:
        return CONNECTORS[Platform(platform)]
    except ValueError:
        raise PayloadInvalid(f"there is no connector for {platform!r}", field="platform") from None


__all__ = [
    "CONNECTORS",
    "STOCK_PUSH_ADAPTERS",
    "Connector",
    "PreparedRequest",
    "StockItem",
    "StockPushAdapter",
    "WebhookNotSupported",
    "connector_for",
    "stock_push_adapter_for",
]
