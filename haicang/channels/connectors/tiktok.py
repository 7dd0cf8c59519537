"""TikTok Shop: Get Order Detail (API version 202309).

Payload: one order object of ``data.orders``, or the whole answer (``{"code": 0, "data": {"orders": [...]}}``)
for :meth:`TikTokConnector.parse_orders`.

Read: ``id``, ``status`` (UNPAID, ON_HOLD, AWAITING_SHIPMENT, PARTIALLY_SHIPPING, AWAITING_COLLECTION,
IN_TRANSIT, DELIVERED, COMPLETED, CANCELLED), Unix seconds ``create_time``, ``paid_time``, ``update_time``,
the deadlines ``shipping_due_time`` (else ``rts_sla_time``) and ``delivery_due_time`` (else
``delivery_option_required_delivery_time``), ``payment`` (``currency``, ``shipping_fee``, ``total_amount``),
``recipient_address`` (``name``, ``phone_number``, ``address_line1``…``4``, ``postal_code``, ``region_code``,
``district_info`` levels for state and city), ``buyer_email``, ``buyer_message``, ``delivery_option_name``,
``fulfillment_type`` (FULFILLMENT_BY_TIKTOK: TikTok ships it), ``is_cod``.

``line_items`` hold **one row per unit** (``id``, ``seller_sku``, ``sku_id``, ``original_price``,
``seller_discount``, ``display_status``): the connector groups them per SKU; units whose ``display_status``
is CANCELLED count in ``original_quantity`` only (an item-level cancellation shrinks the line).

*Unverified:* prices include tax outside the US (TikTok US adds sales tax on top); the request signature and
the webhook signature (HMAC-SHA256 of ``app_key + body`` keyed by the app secret, hex, in ``Authorization``)
are written from the public guides without a published test vector.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from haicang.channels.connectors.base import (
    Connector,
    PreparedRequest,
    compact_json,
    constant_time_equal,
    from_unix,
    header,
    items,
    obj,
    optional_money,
    required_text,
    text,
)
from haicang.channels.connectors.stock import StockItem, StockPushAdapter, grouped
from haicang.channels.normalised import (
    NormalisedLine,
    NormalisedOrder,
    OrderFlag,
    OrderStatus,
    PayloadInvalid,
    Platform,
    ShipTo,
)
from haicang.core.money import Money, sum_money

STATUSES: dict[str, OrderStatus] = {
    "UNPAID": OrderStatus.PENDING,
    "ON_HOLD": OrderStatus.ON_HOLD,
    "AWAITING_SHIPMENT": OrderStatus.UNSHIPPED,
    "PARTIALLY_SHIPPING": OrderStatus.PARTIALLY_SHIPPED,
    "AWAITING_COLLECTION": OrderStatus.SHIPPED,  # packed and handed to the carrier's pickup
    "IN_TRANSIT": OrderStatus.SHIPPED,
    "DELIVERED": OrderStatus.DELIVERED,
    "COMPLETED": OrderStatus.DELIVERED,
    "CANCELLED": OrderStatus.CANCELLED,
}
DEFAULT_BASE_URL = "https://open-api.tiktokglobalshop.com"
ORDER_DETAIL_PATH = "/order/202309/orders"


def tiktok_signature(*, app_secret: str, path: str, query: Mapping[str, str], body: bytes = b"") -> str:
    """TikTok Shop's request signature: hex HMAC-SHA256, keyed by the app secret, of
    ``secret + path + sorted(key + value for every query parameter except sign and access_token) + body +
    secret``."""
    pairs = "".join(f"{key}{query[key]}" for key in sorted(query) if key not in {"sign", "access_token"})
    message = app_secret.encode() + path.encode() + pairs.encode() + body + app_secret.encode()
    return hmac.new(app_secret.encode(), message, hashlib.sha256).hexdigest()


def tiktok_webhook_signature(*, app_key: str, app_secret: str, raw_body: bytes) -> str:
    return hmac.new(app_secret.encode(), app_key.encode() + raw_body, hashlib.sha256).hexdigest()


def _lines(rows: list[Mapping[str, Any]], currency: str | None, includes_tax: bool) -> list[NormalisedLine]:
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:
        sku = text(row, "seller_sku") or f"sku:{required_text(row, 'sku_id', where='line_items')}"
        groups.setdefault(sku, []).append(row)
    lines = []
    for sku, units in groups.items():
        live = [u for u in units if text(u, "display_status") != "CANCELLED"]
        price = optional_money(units[0], "original_price", currency)
        discounts = [m for u in live if (m := optional_money(u, "seller_discount", currency)) is not None]
        lines.append(
            NormalisedLine(
                channel_sku=sku,
                channel_line_id=required_text(units[0], "id", where="line_items"),
                unit_line_ids=tuple(required_text(u, "id", where="line_items") for u in units),
                quantity=len(live),
                original_quantity=len(units),
                unit_price=price,
                discount=sum_money(discounts, currency=currency) if discounts and currency else None,
                price_includes_tax=includes_tax,
                title=" – ".join(
                    t for t in (text(units[0], "product_name"), text(units[0], "sku_name")) if t
                ),
                platform_item_id=text(units[0], "sku_id"),
            )
        )
    return lines


def _levels(address: Mapping[str, Any]) -> dict[str, str]:
    """``district_info`` as level name → value ("State" → "California", "City" → "Los Angeles")."""
    return {
        text(level, "address_level_name").lower(): text(level, "address_name")
        for level in items(address, "district_info")
    }


def _ship_to(order: Mapping[str, Any]) -> ShipTo | None:
    if not order.get("recipient_address"):
        return None
    address = obj(order["recipient_address"], "recipient_address")
    levels = _levels(address)
    name = text(address, "name") or " ".join(
        n for n in (text(address, "first_name"), text(address, "last_name")) if n
    )
    return ShipTo(
        country=required_text(address, "region_code", where="recipient_address"),
        name=name,
        street_lines=tuple(text(address, f"address_line{n}") for n in range(1, 5)),
        city=levels.get("city", ""),
        region=levels.get("state", "") or levels.get("county", ""),
        postcode=text(address, "postal_code"),
        phone=text(address, "phone_number"),
        email=text(order, "buyer_email"),
    )


class TikTokConnector(Connector):
    platform = Platform.TIKTOK
    label = "TikTok Shop"
    credential_fields = ("app_key", "app_secret", "access_token", "shop_cipher")
    signs_webhooks = True

    def parse_order(self, payload: Mapping[str, Any]) -> NormalisedOrder:
        order = obj(payload, "order")
        order_id = required_text(order, "id", where="order")
        raw_status = required_text(order, "status", where="order")
        status = STATUSES.get(raw_status)
        if status is None:
            raise PayloadInvalid(f"unknown TikTok Shop status {raw_status!r}", field="status")
        payment = obj(order.get("payment") or {}, "payment")
        currency = text(payment, "currency") or None
        ship_to = _ship_to(order)
        includes_tax = ship_to is None or ship_to.country != "US"
        placed = from_unix(order.get("create_time"), "create_time")
        if placed is None:
            raise PayloadInvalid(f"TikTok Shop order {order_id} has no create_time", field="create_time")
        flags: set[OrderFlag] = set()
        if text(order, "fulfillment_type") == "FULFILLMENT_BY_TIKTOK":
            flags.add(OrderFlag.FULFILLED_BY_PLATFORM)
        if order.get("is_cod") is True:
            flags.add(OrderFlag.CASH_ON_DELIVERY)
        total: Money | None = optional_money(payment, "total_amount", currency)
        return NormalisedOrder(
            platform=Platform.TIKTOK,
            external_id=order_id,
            display_ref=order_id,
            placed_at=placed,
            paid_at=from_unix(order.get("paid_time"), "paid_time"),
            updated_at=from_unix(order.get("update_time"), "update_time"),
            ship_by=from_unix(
                order.get("shipping_due_time") or order.get("rts_sla_time"), "shipping_due_time"
            ),
            deliver_by=from_unix(
                order.get("delivery_due_time") or order.get("delivery_option_required_delivery_time"),
                "delivery_due_time",
            ),
            status=status,
            platform_status=raw_status,
            currency=currency,
            lines=tuple(_lines(items(order, "line_items"), currency, includes_tax)),
            shipping_charged=optional_money(payment, "shipping_fee", currency),
            total=total,
            service_level=text(order, "delivery_option_name"),
            ship_to=ship_to,
            buyer_note=text(order, "buyer_message"),
            flags=frozenset(flags),
            raw_ref=f"tiktok:order/202309:{order_id}",
        )

    def parse_orders(self, payload: Mapping[str, Any]) -> list[NormalisedOrder]:
        data = payload.get("data")
        if isinstance(data, Mapping) and "orders" in data:
            return [self.parse_order(order) for order in items(data, "orders")]
        return [self.parse_order(payload)]

    def verify_webhook(self, *, headers: Mapping[str, str], raw_body: bytes, secret: str) -> bool:
        """``secret`` is ``"<app_key>:<app_secret>"`` (TikTok signs webhooks with both)."""
        received = header(headers, "Authorization")
        app_key, _, app_secret = secret.partition(":")
        if not received or not app_key or not app_secret:
            return False
        expected = tiktok_webhook_signature(app_key=app_key, app_secret=app_secret, raw_body=raw_body)
        return constant_time_equal(received.lower(), expected)

    def build_order_request(
        self, credentials: Mapping[str, str], *, external_id: str, now: datetime
    ) -> PreparedRequest:
        creds = self.credentials_check(credentials)
        query = {
            "app_key": creds["app_key"],
            "ids": external_id,
            "shop_cipher": creds["shop_cipher"],
            "timestamp": str(int(now.timestamp())),
        }
        sign = tiktok_signature(app_secret=creds["app_secret"], path=ORDER_DETAIL_PATH, query=query)
        base = creds.get("base_url", DEFAULT_BASE_URL).rstrip("/")
        return PreparedRequest(
            method="GET",
            url=f"{base}{ORDER_DETAIL_PATH}?{urlencode({**query, 'sign': sign})}",
            headers={"x-tts-access-token": creds["access_token"], "Content-Type": "application/json"},
            signature=sign,
        )


# --- stock push ------------------------------------------------------------------------------------------------
def inventory_update_path(product_id: str) -> str:
    return f"/product/202309/products/{product_id}/inventory/update"


class TikTokStockPush(StockPushAdapter):
    """Update Inventory (202309): ``POST /product/202309/products/{product_id}/inventory/update`` with
    ``{"skus": [{"id", "inventory": [{"quantity", "warehouse_id"?}]}]}`` — one product a call, its SKUs together.
    Signed like every TikTok Shop call: the query's ``sign`` is the hex HMAC-SHA256 of ``secret + path + sorted
    query pairs + body + secret`` (:func:`tiktok_signature`, the body included). ``warehouse_id`` (credentials)
    names the TikTok warehouse when the shop has several. Ids are sent as strings."""

    platform = Platform.TIKTOK
    label = "TikTok Shop"
    credential_fields = ("app_key", "app_secret", "access_token", "shop_cipher")
    listing_fields = ("product_id", "sku_id")
    max_items = 100

    def batches(self, items: Sequence[StockItem]) -> list[tuple[StockItem, ...]]:
        return grouped(items, "product_id", self.max_items)

    def build_request(
        self, credentials: Mapping[str, str], items: Sequence[StockItem], *, now: datetime
    ) -> PreparedRequest:
        creds = self.credentials_check(credentials)
        products = {str(item.listing["product_id"]).strip() for item in items}
        if len(products) != 1:
            raise ValueError("a TikTok Shop inventory update names one product")
        path = inventory_update_path(products.pop())
        warehouse = creds.get("warehouse_id", "")
        body = compact_json(
            {
                "skus": [
                    {
                        "id": str(item.listing["sku_id"]).strip(),
                        "inventory": [
                            {"quantity": item.quantity, **({"warehouse_id": warehouse} if warehouse else {})}
                        ],
                    }
                    for item in items
                ]
            }
        ).encode()
        query = {
            "app_key": creds["app_key"],
            "shop_cipher": creds["shop_cipher"],
            "timestamp": str(int(now.timestamp())),
        }
        sign = tiktok_signature(app_secret=creds["app_secret"], path=path, query=query, body=body)
        base = creds.get("base_url", DEFAULT_BASE_URL).rstrip("/")
        return PreparedRequest(
            method="POST",
            url=f"{base}{path}?{urlencode({**query, 'sign': sign})}",
            headers={"x-tts-access-token": creds["access_token"], "Content-Type": "application/json"},
            body=body,
            signature=sign,
        )
