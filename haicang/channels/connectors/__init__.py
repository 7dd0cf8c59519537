"""The marketplace connectors, one per platform, behind one interface (:class:`base.Connector`).

``connector_for(platform)`` is the way in::

    from haicang.channels.connectors import connector_for
    order = connector_for("shopify").parse_order(payload)

See ``docs/channels.md`` for the contract and how to add a platform.
"""

from __future__ import annotations

from types import MappingProxyType

from haicang.channels.connectors.amazon import AmazonConnector
from haicang.channels.connectors.base import Connector, PreparedRequest, WebhookNotSupported
from haicang.channels.connectors.shein import SheinConnector
from haicang.channels.connectors.shopify import ShopifyConnector
from haicang.channels.connectors.temu import TemuConnector
from haicang.channels.connectors.tiktok import TikTokConnector
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


def connector_for(platform: str) -> Connector:
    """The connector of ``platform`` (a :class:`Platform` value); PayloadInvalid for an unknown one."""
    try:
        return CONNECTORS[Platform(platform)]
    except ValueError:
        raise PayloadInvalid(f"there is no connector for {platform!r}", field="platform") from None


__all__ = ["CONNECTORS", "Connector", "PreparedRequest", "WebhookNotSupported", "connector_for"]
