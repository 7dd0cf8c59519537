"""Shopify: the Admin API order JSON and the ``orders/create`` webhook.

Payload: one order object — the body of the ``orders/create`` (or ``orders/updated``) webhook, or the answer
of ``GET /admin/api/<version>/orders/<id>.json`` (``{"order": {...}}``); ``{"orders": [...]}`` for
:meth:`ShopifyConnector.parse_orders`.

Read: ``id``, ``name``, ``created_at``/``processed_at``/``updated_at``/``cancelled_at`` (ISO 8601 with an
offset), ``currency`` (the shop's), ``taxes_included``, ``financial_status``, ``fulfillment_status``,
``line_items`` (``id``, ``sku``, ``variant_id``, ``title``, ``quantity``, ``current_quantity`` — the quantity
after items were removed by an order edit or a refund with restock —, ``price`` per unit,
``discount_allocations``/``total_discount``, ``tax_lines``), ``shipping_lines`` (``title``, ``price``),
``shipping_address``, ``email``, ``note``. Shopify has no ship-by or deliver-by deadline.

Webhook: ``X-Shopify-Hmac-Sha256`` is the base64 HMAC-SHA256 of the raw body keyed by the app's secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from haicang.channels.connectors.base import (
    Connector,
    PreparedRequest,
    compact_json,
    constant_time_equal,
    from_iso,
    get,
    header,
    integer,
    items,
    money,
    obj,
    required_text,
    text,
)
from haicang.channels.connectors.stock import StockItem, StockPushAdapter
from haicang.channels.normalised import (
    NormalisedLine,
    NormalisedOrder,
    OrderStatus,
    PayloadInvalid,
    Platform,
    ShipTo,
)
from haicang.core.money import Money, sum_money

DEFAULT_API_VERSION = "2025-01"
HMAC_HEADER = "X-Shopify-Hmac-Sha256"


def shopify_webhook_signature(raw_body: bytes, secret: str) -> str:
    """The value Shopify puts in ``X-Shopify-Hmac-Sha256``: base64 of HMAC-SHA256(secret, raw body)."""
    digest = hmac.new(secret.encode(), raw_body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def _status(order: Mapping[str, Any]) -> tuple[OrderStatus, str]:
    financial = text(order, "financial_status")
    fulfillment = text(order, "fulfillment_status") or "unfulfilled"
    raw = f"{financial or 'unknown'}/{fulfillment}"
    if order.get("cancelled_at"):
        return OrderStatus.CANCELLED, f"cancelled/{raw}"
    if fulfillment == "fulfilled":
        return OrderStatus.SHIPPED, raw
    if fulfillment == "partial":
        return OrderStatus.PARTIALLY_SHIPPED, raw
    if financial in {"voided", "refunded"}:
        return OrderStatus.CANCELLED, raw
    if financial in {"pending", ""}:
        return OrderStatus.PENDING, raw
    return OrderStatus.UNSHIPPED, raw  # paid, partially_paid, authorized (captured at shipping)


def _sum(rows: list[Mapping[str, Any]], key: str, currency: str, name: str) -> Money | None:
    if not rows:
        return None
    return sum_money((money(get(row, key), currency, name) for row in rows), currency=currency)


def _line(row: Mapping[str, Any], currency: str, taxes_included: bool) -> NormalisedLine:
    line_id = required_text(row, "id", where="line_items")
    ordered = integer(row, "quantity")
    current = integer(row, "current_quantity", default=ordered)
    allocations = items(row, "discount_allocations")
    discount = _sum(allocations, "amount", currency, "discount_allocations.amount")
    if discount is None and row.get("total_discount") is not None:
        discount = money(row["total_discount"], currency, "total_discount")
    return NormalisedLine(
        channel_sku=text(row, "sku") or f"variant:{text(row, 'variant_id') or line_id}",
        channel_line_id=line_id,
        quantity=min(current, ordered),
        original_quantity=ordered,
        unit_price=money(get(row, "price", where="line_items"), currency, "price"),
        discount=discount,
        tax=_sum(items(row, "tax_lines"), "price", currency, "tax_lines.price"),
        price_includes_tax=taxes_included,
        title=" – ".join(t for t in (text(row, "title"), text(row, "variant_title")) if t),
        platform_item_id=text(row, "variant_id"),
    )


def _ship_to(address: Mapping[str, Any] | None, email: str) -> ShipTo | None:
    if not address:
        return None
    name = text(address, "name") or " ".join(
        n for n in (text(address, "first_name"), text(address, "last_name")) if n
    )
    return ShipTo(
        country=required_text(address, "country_code", where="shipping_address"),
        name=name,
        company=text(address, "company"),
        street_lines=(text(address, "address1"), text(address, "address2")),
        city=text(address, "city"),
        region=text(address, "province_code") or text(address, "province"),
        postcode=text(address, "zip"),
        phone=text(address, "phone"),
        email=email,
    )


class ShopifyConnector(Connector):
    platform = Platform.SHOPIFY
    label = "Shopify"
    credential_fields = ("shop_domain", "access_token")
    signs_webhooks = True

    def parse_order(self, payload: Mapping[str, Any]) -> NormalisedOrder:
        order = obj(payload.get("order", payload), "order")
        order_id = required_text(order, "id", where="order")
        currency = required_text(order, "currency", where="order")
        taxes_included = bool(order.get("taxes_included"))
        status, raw_status = _status(order)
        shipping = items(order, "shipping_lines")
        placed = from_iso(order.get("created_at"), "created_at")
        if placed is None:
            raise PayloadInvalid(f"Shopify order {order_id} has no created_at", field="created_at")
        financial = text(order, "financial_status")
        paid = (
            from_iso(order.get("processed_at"), "processed_at")
            if financial in {"paid", "partially_paid"}
            else None
        )
        return NormalisedOrder(
            platform=Platform.SHOPIFY,
            external_id=order_id,
            display_ref=text(order, "name"),
            placed_at=placed,
            paid_at=paid,
            updated_at=from_iso(order.get("updated_at"), "updated_at"),
            status=status,
            platform_status=raw_status,
            currency=currency,
            lines=tuple(_line(row, currency, taxes_included) for row in items(order, "line_items")),
            shipping_charged=_sum(shipping, "price", currency, "shipping_lines.price"),
            total=money(order["total_price"], currency, "total_price") if order.get("total_price") else None,
            service_level=" / ".join(text(row, "title") for row in shipping if text(row, "title")),
            ship_to=_ship_to(
                obj(order["shipping_address"], "shipping_address") if order.get("shipping_address") else None,
                text(order, "email") or text(order, "contact_email"),
            ),
            buyer_note=text(order, "note"),
            raw_ref=f"shopify:order:{order_id}",
        )

    def parse_orders(self, payload: Mapping[str, Any]) -> list[NormalisedOrder]:
        if "orders" in payload:
            return [self.parse_order(order) for order in items(payload, "orders")]
        return [self.parse_order(payload)]

    def verify_webhook(self, *, headers: Mapping[str, str], raw_body: bytes, secret: str) -> bool:
        received = header(headers, HMAC_HEADER)
        if not received or not secret:
            return False
        return constant_time_equal(received, shopify_webhook_signature(raw_body, secret))

    def build_order_request(
        self, credentials: Mapping[str, str], *, external_id: str, now: datetime
    ) -> PreparedRequest:
        creds = self.credentials_check(credentials)
        domain = creds["shop_domain"].removeprefix("https://").strip("/")
        version = creds.get("api_version", DEFAULT_API_VERSION)
        return PreparedRequest(
            method="GET",
            url=f"https://{domain}/admin/api/{version}/orders/{external_id}.json",
            headers={"X-Shopify-Access-Token": creds["access_token"], "Accept": "application/json"},
        )


# --- stock push ------------------------------------------------------------------------------------------------
INVENTORY_SET_MUTATION = (
    "mutation inventorySetQuantities($input: InventorySetQuantitiesInput!) { "
    "inventorySetQuantities(input: $input) { "
    "inventoryAdjustmentGroup { reason changes { name delta } } userErrors { field message code } } }"
)


def shopify_gid(kind: str, value: str) -> str:
    """A Shopify global id (``gid://shopify/InventoryItem/123``) from a numeric id or a global id."""
    text = str(value).strip()
    return text if text.startswith("gid://") else f"gid://shopify/{kind}/{text}"


class ShopifyStockPush(StockPushAdapter):
    """GraphQL Admin ``inventorySetQuantities``: the ``available`` quantity of each inventory item at the
    account's location (``location_id``: the Shopify location that stands for the overseas warehouse), as
    absolute values (``ignoreCompareQuantity``: Haicang is the source of truth), reason ``correction``. At most
    250 quantities a call. From API version 2026-04 Shopify requires an ``@idempotent`` key on this mutation:
    keep ``api_version`` at 2025-01 … 2026-01 until the adapter adds it."""

    platform = Platform.SHOPIFY
    label = "Shopify"
    credential_fields = ("shop_domain", "access_token", "location_id")
    listing_fields = ("inventory_item_id",)
    max_items = 250

    def build_request(
        self, credentials: Mapping[str, str], items: Sequence[StockItem], *, now: datetime
    ) -> PreparedRequest:
        creds = self.credentials_check(credentials)
        domain = creds["shop_domain"].removeprefix("https://").strip("/")
        version = creds.get("api_version", DEFAULT_API_VERSION)
        location = shopify_gid("Location", creds["location_id"])
        body = {
            "query": INVENTORY_SET_MUTATION,
            "variables": {
                "input": {
                    "name": "available",
                    "reason": "correction",
                    "ignoreCompareQuantity": True,
                    "quantities": [
                        {
                            "inventoryItemId": shopify_gid(
                                "InventoryItem", item.listing["inventory_item_id"]
                            ),
                            "locationId": location,
                            "quantity": item.quantity,
                        }
                        for item in items
                    ],
                }
            },
        }
        return PreparedRequest(
            method="POST",
            url=f"https://{domain}/admin/api/{version}/graphql.json",
            headers={
                "X-Shopify-Access-Token": creds["access_token"],
                "Content-Type": "application/json",
                "Accept": "application/json",
            },
            body=compact_json(body).encode(),
        )
