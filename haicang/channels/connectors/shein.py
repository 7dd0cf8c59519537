"""SHEIN (semi-managed): the order detail and the consignee address of the Open API.

Payload (Haicang's envelope): ``{"order": <one item of the order detail's info list>, "address": <the
order's item of the address export, optional>}``; the order item alone is accepted too.
:meth:`SheinConnector.parse_orders` reads a whole detail answer (``{"code": "0", "info": [...]}``).

**Times are Beijing time** (UTC+8) as ``YYYY-MM-DD HH:MM:SS`` text: ``orderTime``, ``paymentTime``,
``requestDeliveryTime`` (the deadline to ship), ``orderMsgUpdateTime``; the connector converts them to UTC.

``orderGoodsInfoList`` holds **one row per unit** (``goodsId``, ``sellerSku``, ``skuCode``, ``goodsStatus``,
``sellerCurrencyPrice``, ``saleTax``, ``commission``…): the connector groups the rows per seller SKU.
Amounts are JSON numbers; they are read as exact decimals (parse with :func:`~.base.load_json`).

*Unverified* (SHEIN's public pages we could read do not list them; change the tables below when you know
better): the meaning of the numeric ``orderStatus`` and ``goodsStatus`` codes — an unknown order status maps to
``on_hold`` so that a person looks; that ``sellerCurrencyPrice``, ``saleTax`` and ``commission`` are in
``orderCurrency``; that ``requestDeliveryTime`` is the ship-by deadline.

Requests: headers ``x-lt-openKeyId``, ``x-lt-timestamp`` (milliseconds) and ``x-lt-signature`` =
``randomKey + base64(hex(HMAC-SHA256(key = secretKey + randomKey, message = openKeyId&timestamp&path)))``
with a 5-character random key (SHEIN's own SDK).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import string
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pycountry

from haicang.channels.connectors.base import (
    Connector,
    PreparedRequest,
    compact_json,
    from_local,
    integer,
    items,
    obj,
    optional_money,
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

BEIJING = ZoneInfo("Asia/Shanghai")
# Unverified mapping of SHEIN's order status codes (see the module's docstring).
STATUSES: dict[int, OrderStatus] = {
    1: OrderStatus.PENDING,
    2: OrderStatus.UNSHIPPED,
    3: OrderStatus.SHIPPED,
    4: OrderStatus.SHIPPED,
    5: OrderStatus.DELIVERED,
    6: OrderStatus.CANCELLED,
    7: OrderStatus.CANCELLED,
}
# Unverified: goods (unit) statuses that mean the unit was cancelled or refunded before shipping.
CANCELLED_GOODS_STATUSES = frozenset({6, 7})
DEFAULT_BASE_URL = "https://openapi.sheincorp.com"
ORDER_DETAIL_PATH = "/open-api/order/order-info"
RANDOM_KEY_LENGTH = 5
_RANDOM_ALPHABET = string.ascii_letters + string.digits


def shein_signature(
    *, open_key_id: str, secret_key: str, path: str, timestamp_ms: int, random_key: str
) -> str:
    """``random_key + base64(hex HMAC-SHA256(secret_key + random_key, f"{open_key_id}&{timestamp}&{path}"))``."""
    message = f"{open_key_id}&{timestamp_ms}&{path}".encode()
    hex_digest = hmac.new((secret_key + random_key).encode(), message, hashlib.sha256).hexdigest()
    return random_key + base64.b64encode(hex_digest.encode()).decode("ascii")


def shein_request(
    *,
    base_url: str,
    open_key_id: str,
    secret_key: str,
    path: str,
    body: Mapping[str, Any],
    timestamp_ms: int,
    random_key: str | None = None,
) -> PreparedRequest:
    random_key = random_key or "".join(secrets.choice(_RANDOM_ALPHABET) for _ in range(RANDOM_KEY_LENGTH))
    if len(random_key) != RANDOM_KEY_LENGTH:
        raise ValueError(f"SHEIN's random key has {RANDOM_KEY_LENGTH} characters")
    signature = shein_signature(
        open_key_id=open_key_id,
        secret_key=secret_key,
        path=path,
        timestamp_ms=timestamp_ms,
        random_key=random_key,
    )
    return PreparedRequest(
        method="POST",
        url=base_url.rstrip("/") + path,
        headers={
            "x-lt-openKeyId": open_key_id,
            "x-lt-timestamp": str(timestamp_ms),
            "x-lt-signature": signature,
            "Content-Type": "application/json;charset=UTF-8",
        },
        body=compact_json(dict(body)).encode(),
        signature=signature,
    )


def _country(address: Mapping[str, Any]) -> str:
    value = text(address, "country")
    if len(value) == 2:
        return value
    try:
        return str(pycountry.countries.lookup(value).alpha_2)
    except LookupError:
        raise PayloadInvalid(
            f"SHEIN consignee country {value!r} is not a known country", field="country"
        ) from None


def _ship_to(address: Mapping[str, Any] | None) -> ShipTo | None:
    if not address:
        return None
    name = " ".join(n for n in (text(address, k) for k in ("firstName", "middleName", "lastName")) if n)
    return ShipTo(
        country=_country(address),
        name=name,
        street_lines=(text(address, "address"), text(address, "addressExt"), text(address, "street")),
        city=text(address, "city"),
        region=text(address, "province"),
        postcode=text(address, "postCode"),
        phone=text(address, "phone"),
    )


def _sum(values: list[Money], currency: str | None) -> Money | None:
    return sum_money(values, currency=currency) if values and currency else None


def _lines(rows: list[Mapping[str, Any]], currency: str | None) -> list[NormalisedLine]:
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:
        sku = text(row, "sellerSku") or f"sku:{required_text(row, 'skuCode', where='orderGoodsInfoList')}"
        groups.setdefault(sku, []).append(row)
    lines = []
    for sku, units in groups.items():
        live = [u for u in units if integer(u, "goodsStatus", default=0) not in CANCELLED_GOODS_STATUSES]
        lines.append(
            NormalisedLine(
                channel_sku=sku,
                channel_line_id=required_text(units[0], "goodsId", where="orderGoodsInfoList"),
                unit_line_ids=tuple(required_text(u, "goodsId", where="orderGoodsInfoList") for u in units),
                quantity=len(live),
                original_quantity=len(units),
                unit_price=optional_money(units[0], "sellerCurrencyPrice", currency),
                tax=_sum([m for u in live if (m := optional_money(u, "saleTax", currency))], currency),
                price_includes_tax=False,
                title=text(units[0], "goodsTitle"),
                platform_item_id=text(units[0], "skuCode"),
            )
        )
    return lines


class SheinConnector(Connector):
    platform = Platform.SHEIN
    label = "SHEIN"
    credential_fields = ("open_key_id", "secret_key")

    def parse_order(self, payload: Mapping[str, Any]) -> NormalisedOrder:
        order = obj(payload.get("order", payload), "order")
        address = payload.get("address")
        order_no = required_text(order, "orderNo", where="order")
        raw_status = integer(order, "orderStatus")
        currency = text(order, "orderCurrency") or None
        rows = items(order, "orderGoodsInfoList")
        placed = from_local(order.get("orderTime"), "orderTime", BEIJING)
        if placed is None:
            raise PayloadInvalid(f"SHEIN order {order_no} has no orderTime", field="orderTime")
        commissions = [m for u in rows if (m := optional_money(u, "commission", currency))]
        flags = {OrderFlag.CASH_ON_DELIVERY} if integer(order, "isCod", default=0) == 1 else set()
        return NormalisedOrder(
            platform=Platform.SHEIN,
            external_id=order_no,
            display_ref=order_no,
            placed_at=placed,
            paid_at=from_local(order.get("paymentTime"), "paymentTime", BEIJING),
            ship_by=from_local(order.get("requestDeliveryTime"), "requestDeliveryTime", BEIJING),
            updated_at=from_local(order.get("orderMsgUpdateTime"), "orderMsgUpdateTime", BEIJING),
            status=STATUSES.get(raw_status, OrderStatus.ON_HOLD),
            platform_status=str(raw_status),
            currency=currency,
            lines=tuple(_lines(rows, currency)),
            commission=optional_money(order, "totalCommission", currency) or _sum(commissions, currency),
            ship_to=_ship_to(obj(address, "address") if address else None),
            flags=frozenset(flags),
            marketplace=text(order, "salesSite"),
            raw_ref=f"shein:order-info:{order_no}",
        )

    def parse_orders(self, payload: Mapping[str, Any]) -> list[NormalisedOrder]:
        if "info" in payload:
            return [self.parse_order(order) for order in items(payload, "info")]
        return [self.parse_order(payload)]

    def build_order_request(
        self, credentials: Mapping[str, str], *, external_id: str, now: datetime
    ) -> PreparedRequest:
        creds = self.credentials_check(credentials)
        return shein_request(
            base_url=creds.get("base_url", DEFAULT_BASE_URL),
            open_key_id=creds["open_key_id"],
            secret_key=creds["secret_key"],
            path=ORDER_DETAIL_PATH,
            body={"orderNoList": [external_id]},
            timestamp_ms=int(now.timestamp()) * 1000 + now.microsecond // 1000,
        )


# --- stock push ------------------------------------------------------------------------------------------------
CHANGE_INVENTORY_PATH = "/open-api/gsp/goods/change-inventory"


class SheinStockPush(StockPushAdapter):
    """Modify Inventory (self-operated and semi-managed stores): ``POST /open-api/gsp/goods/change-inventory``
    with ``{"updateSkuInventoryQuantityRequests": [{"skuCode", "saleInventory", "warehouseCode"?}]}``, at most
    100 SKUs a call, signed with SHEIN's ``x-lt-signature`` (:func:`shein_request`). ``skuCode`` is SHEIN's own SKU
    code (the listing's ``sku_code``), not the seller SKU; ``saleInventory`` is the saleable quantity (the other
    form, ``changeInventoryQuantity``, sets the total); ``warehouse_code`` (credentials) is required by SHEIN
    when the store has several merchant warehouses (``/open-api/msc/warehouse/list``)."""

    platform = Platform.SHEIN
    label = "SHEIN"
    credential_fields = ("open_key_id", "secret_key")
    listing_fields = ("sku_code",)
    max_items = 100

    def build_request(
        self, credentials: Mapping[str, str], items: Sequence[StockItem], *, now: datetime
    ) -> PreparedRequest:
        creds = self.credentials_check(credentials)
        warehouse = creds.get("warehouse_code", "")
        rows = [
            {
                "skuCode": str(item.listing["sku_code"]).strip(),
                "saleInventory": item.quantity,
                **({"warehouseCode": warehouse} if warehouse else {}),
            }
            for item in items
        ]
        return shein_request(
            base_url=creds.get("base_url", DEFAULT_BASE_URL),
            open_key_id=creds["open_key_id"],
            secret_key=creds["secret_key"],
            path=CHANGE_INVENTORY_PATH,
            body={"updateSkuInventoryQuantityRequests": rows},
            timestamp_ms=int(now.timestamp()) * 1000 + now.microsecond // 1000,
        )
