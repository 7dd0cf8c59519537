"""Amazon SP-API Orders (v0): an order and its order items.

Payload (Haicang's envelope of the two calls)::

    {"order": <getOrder payload or the Order itself>, "items": <getOrderItems payload, or its OrderItems list>}

Read from the Order: ``AmazonOrderId``, ``PurchaseDate``, ``LastUpdateDate``, ``OrderStatus``,
``FulfillmentChannel`` (``AFN``: Amazon ships it), ``ShipServiceLevel``, ``OrderTotal``, ``MarketplaceId``,
``EarliestShipDate``/``LatestShipDate``, ``LatestDeliveryDate``, ``IsPrime``, ``PaymentMethod``,
``ShippingAddress`` (a restricted data token gives the full address) and ``BuyerInfo.BuyerEmail``.
From each OrderItem: ``OrderItemId``, ``SellerSKU``, ``ASIN``, ``Title``, ``QuantityOrdered``,
``QuantityShipped``, ``ItemPrice`` (the price of the **whole quantity**, not of one unit: the unit price is
``ItemPrice / QuantityOrdered``, kept to 6 decimals when it does not divide), ``ItemTax``,
``PromotionDiscount``, ``ShippingPrice``. Amounts are ``{"CurrencyCode": "USD", "Amount": "12.34"}``.

*Unverified:* whether ``ItemPrice`` includes VAT is taken by marketplace — tax on top in the Americas
(US, CA, MX, BR), included elsewhere (EU, UK, JP…).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from typing import Any
from urllib.parse import quote, urlencode

from haicang.channels.connectors.base import (
    Connector,
    PreparedRequest,
    compact_json,
    from_iso,
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
    OrderFlag,
    OrderStatus,
    PayloadInvalid,
    Platform,
    ShipTo,
)
from haicang.core.money import Money, sum_money

STATUSES: dict[str, OrderStatus] = {
    "PendingAvailability": OrderStatus.PENDING,
    "Pending": OrderStatus.PENDING,
    "Unshipped": OrderStatus.UNSHIPPED,
    "PartiallyShipped": OrderStatus.PARTIALLY_SHIPPED,
    "Shipped": OrderStatus.SHIPPED,
    "InvoiceUnconfirmed": OrderStatus.SHIPPED,
    "Canceled": OrderStatus.CANCELLED,
    "Unfulfillable": OrderStatus.ON_HOLD,
}
# Marketplaces whose item prices exclude sales tax (tax comes on top): US, CA, MX, BR (unverified rule).
TAX_ON_TOP_MARKETPLACES = frozenset({"ATVPDKIKX0DER", "A2EUQ1WTGCTBG2", "A1AM78C64UM0Y8", "A2Q3Y263D00KWC"})
DEFAULT_ENDPOINT = "https://sellingpartnerapi-na.amazon.com"


def _amount(row: Mapping[str, Any], key: str) -> Money | None:
    value = row.get(key)
    if not value:
        return None
    value = obj(value, key)
    return money(value.get("Amount"), required_text(value, "CurrencyCode", where=key), key)


def unit_price_of(total: Money, quantity: int) -> Money:
    """One unit's price from the price of ``quantity`` units: exact when it divides, else 6 decimals."""
    with localcontext() as context:
        context.prec = 34
        unit = total.amount / quantity
    exact = unit.normalize()
    exponent = exact.as_tuple().exponent
    if isinstance(exponent, int) and -exponent <= 6:
        return Money(exact, total.currency)
    return Money(unit.quantize(Decimal("0.000001"), rounding=ROUND_HALF_EVEN), total.currency)


def _line(row: Mapping[str, Any], includes_tax: bool) -> NormalisedLine:
    quantity = integer(row, "QuantityOrdered")
    item_price = _amount(row, "ItemPrice")
    return NormalisedLine(
        channel_sku=required_text(row, "SellerSKU", where="OrderItems"),
        channel_line_id=required_text(row, "OrderItemId", where="OrderItems"),
        quantity=quantity,
        original_quantity=quantity,
        shipped_quantity=integer(row, "QuantityShipped", default=0),
        unit_price=unit_price_of(item_price, quantity) if item_price is not None and quantity else None,
        discount=_amount(row, "PromotionDiscount"),
        tax=_amount(row, "ItemTax"),
        price_includes_tax=includes_tax,
        title=text(row, "Title"),
        platform_item_id=text(row, "ASIN"),
    )


def _ship_to(order: Mapping[str, Any]) -> ShipTo | None:
    address = order.get("ShippingAddress")
    if not address:
        return None
    address = obj(address, "ShippingAddress")
    buyer = obj(order.get("BuyerInfo") or {}, "BuyerInfo")
    return ShipTo(
        country=required_text(address, "CountryCode", where="ShippingAddress"),
        name=text(address, "Name"),
        company=text(address, "CompanyName"),
        street_lines=(
            text(address, "AddressLine1"),
            text(address, "AddressLine2"),
            text(address, "AddressLine3"),
        ),
        city=text(address, "City"),
        region=text(address, "StateOrRegion"),
        postcode=text(address, "PostalCode"),
        phone=text(address, "Phone"),
        email=text(buyer, "BuyerEmail"),
    )


class AmazonConnector(Connector):
    platform = Platform.AMAZON
    label = "Amazon"
    # An LWA access token (the adapter exchanges the refresh token for it) and the regional endpoint.
    credential_fields = ("access_token",)

    def parse_order(self, payload: Mapping[str, Any]) -> NormalisedOrder:
        order = obj(payload.get("order"), "order")
        order = obj(order.get("payload", order), "order")
        raw_items: Any = payload.get("items")
        if isinstance(raw_items, Mapping):
            raw_items = obj(raw_items.get("payload", raw_items), "items").get("OrderItems")
        rows = items({"OrderItems": raw_items}, "OrderItems")
        order_id = required_text(order, "AmazonOrderId", where="order")
        raw_status = required_text(order, "OrderStatus", where="order")
        status = STATUSES.get(raw_status)
        if status is None:
            raise PayloadInvalid(f"unknown Amazon OrderStatus {raw_status!r}", field="OrderStatus")
        marketplace = text(order, "MarketplaceId")
        includes_tax = marketplace not in TAX_ON_TOP_MARKETPLACES
        lines = [_line(row, includes_tax) for row in rows]
        total = _amount(order, "OrderTotal")
        amounts = [m for row in rows for m in (_amount(row, "ItemPrice"), _amount(row, "ShippingPrice")) if m]
        currency = total.currency if total else (amounts[0].currency if amounts else None)
        shipping = [m for row in rows if (m := _amount(row, "ShippingPrice")) is not None]
        flags: set[OrderFlag] = set()
        if text(order, "FulfillmentChannel") == "AFN":
            flags.add(OrderFlag.FULFILLED_BY_PLATFORM)
        if order.get("IsPrime") is True:
            flags.add(OrderFlag.PRIME)
        if text(order, "PaymentMethod") == "COD":
            flags.add(OrderFlag.CASH_ON_DELIVERY)
        placed = from_iso(order.get("PurchaseDate"), "PurchaseDate")
        if placed is None:
            raise PayloadInvalid(f"Amazon order {order_id} has no PurchaseDate", field="PurchaseDate")
        return NormalisedOrder(
            platform=Platform.AMAZON,
            external_id=order_id,
            display_ref=order_id,
            placed_at=placed,
            updated_at=from_iso(order.get("LastUpdateDate"), "LastUpdateDate"),
            ship_by=from_iso(order.get("LatestShipDate"), "LatestShipDate"),
            deliver_by=from_iso(order.get("LatestDeliveryDate"), "LatestDeliveryDate"),
            status=status,
            platform_status=raw_status,
            currency=currency,
            lines=tuple(lines),
            shipping_charged=sum_money(shipping, currency=shipping[0].currency) if shipping else None,
            total=total,
            service_level=text(order, "ShipmentServiceLevelCategory") or text(order, "ShipServiceLevel"),
            ship_to=_ship_to(order),
            flags=frozenset(flags),
            marketplace=marketplace,
            raw_ref=f"amazon:orders/v0:{order_id}",
        )

    def build_order_request(
        self, credentials: Mapping[str, str], *, external_id: str, now: datetime
    ) -> PreparedRequest:
        """``GET /orders/v0/orders/{id}`` with the LWA access token (SP-API needs no AWS signature since 2023)."""
        creds = self.credentials_check(credentials)
        endpoint = creds.get("endpoint", DEFAULT_ENDPOINT).rstrip("/")
        return PreparedRequest(
            method="GET",
            url=f"{endpoint}/orders/v0/orders/{external_id}",
            headers={
                "x-amz-access-token": creds["access_token"],
                "x-amz-date": now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ"),
                "Accept": "application/json",
            },
        )


# --- stock push ------------------------------------------------------------------------------------------------
LISTINGS_API = "/listings/2021-08-01/items"
DEFAULT_PRODUCT_TYPE = "PRODUCT"  # enough for offer-only attributes such as fulfillment_availability
FULFILLMENT_CHANNEL = "DEFAULT"  # the seller's own (merchant-fulfilled) stock, not FBA


def fulfillment_availability_patch(quantity: int) -> dict[str, Any]:
    """The JSON Patch that sets a listing's merchant-fulfilled quantity; ``merge`` (Listings Items API and
    JSON_LISTINGS_FEED, since June 2025) keeps the other fields of ``fulfillment_availability`` (handling time,
    restock date) as they are."""
    return {
        "op": "merge",
        "path": "/attributes/fulfillment_availability",
        "value": [{"fulfillment_channel_code": FULFILLMENT_CHANNEL, "quantity": quantity}],
    }


def amazon_inventory_feed(
    seller_id: str, items: Sequence[StockItem], *, issue_locale: str = "en_US"
) -> bytes:
    """A ``JSON_LISTINGS_FEED`` document (Listings Feed schema v2) of one ``PATCH`` message per item, for
    thousands of SKUs at once. The Feeds API takes it in three calls — ``createFeedDocument``, an upload of this
    document to the URL it answers, ``createFeed`` with ``feedType`` ``JSON_LISTINGS_FEED`` — which a sender
    owning the network makes; :class:`AmazonStockPush` patches one listing per call instead."""
    messages = [
        {
            "messageId": n,
            "sku": item.channel_sku,
            "operationType": "PATCH",
            "productType": item.listing.get("product_type") or DEFAULT_PRODUCT_TYPE,
            "patches": [fulfillment_availability_patch(item.quantity)],
        }
        for n, item in enumerate(items, start=1)
    ]
    header = {"sellerId": seller_id, "version": "2.0", "issueLocale": issue_locale}
    return compact_json({"header": header, "messages": messages}).encode()


class AmazonStockPush(StockPushAdapter):
    """SP-API Listings Items ``patchListingsItem``: ``PATCH /listings/2021-08-01/items/{sellerId}/{sku}`` with the
    ``fulfillment_availability`` patch, one SKU a call (the Listings Items API's unit), the LWA access token in
    ``x-amz-access-token`` (no AWS signature since 2023). The seller SKU is the channel SKU; a listing may name
    its ``product_type`` (default ``PRODUCT``)."""

    platform = Platform.AMAZON
    label = "Amazon"
    credential_fields = ("access_token", "seller_id", "marketplace_id")
    max_items = 1

    def build_request(
        self, credentials: Mapping[str, str], items: Sequence[StockItem], *, now: datetime
    ) -> PreparedRequest:
        creds = self.credentials_check(credentials)
        if len(items) != 1:
            raise ValueError("an Amazon listings patch sets one SKU")
        (item,) = items
        endpoint = creds.get("endpoint", DEFAULT_ENDPOINT).rstrip("/")
        path = f"{LISTINGS_API}/{quote(creds['seller_id'], safe='')}/{quote(item.channel_sku, safe='')}"
        query = urlencode({"marketplaceIds": creds["marketplace_id"], "issueLocale": "en_US"})
        body = {
            "productType": item.listing.get("product_type") or DEFAULT_PRODUCT_TYPE,
            "patches": [fulfillment_availability_patch(item.quantity)],
        }
        return PreparedRequest(
            method="PATCH",
            url=f"{endpoint}{path}?{query}",
            headers={
                "x-amz-access-token": creds["access_token"],
                "x-amz-date": now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ"),
                "Content-Type": "application/json",
                "Accept": "application/json",
            },
            body=compact_json(body).encode(),
        )
