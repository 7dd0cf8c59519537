"""Temu (semi-managed and local sellers): ``bg.order.detail.v2.get`` and ``bg.order.shippinginfo.v2.get``.

Temu's order is a **parent order** (``parentOrderSn``, ``PO-…``: one buyer, one parcel) with **child orders**
(``orderSn``: one SKU each). Haicang's normalised order is the parent; each child order is a line whose
``channel_line_id`` is its ``orderSn`` (shipment confirmation names the child orders).

Payload (Haicang's envelope): the ``result`` of ``bg.order.detail.v2.get`` —
``{"parentOrderMap": {...}, "orderList": [...]}`` — with, optionally, the ``result`` of
``bg.order.shippinginfo.v2.get`` under ``"shippingInfo"``. The address is a separate call with a small daily
quota per order, and its contact details are masked or virtual. The API's own envelope
(``{"success": true, "result": {...}}``) is accepted too; :meth:`TemuConnector.parse_orders` reads the
``result.pageItems`` of ``bg.order.list.v2.get``.

Read: ``parentOrderStatus`` (1 pending, 2 un-shipped, 3 cancelled, 4 shipped, 5 received, 41 partially
shipped, 51 partially received), Unix seconds ``parentOrderTime``, ``expectShipLatestTime``,
``latestDeliveryTime``, ``updateTime``; ``parentOrderLabel`` (``{name, value}``; value 1 is set):
``soon_to_be_overdue``, ``past_due``, ``pending_buyer_cancellation``, ``pending_buyer_address_change``,
``pending_risk_control_alert``, ``signature_required_on_delivery``; per child: ``orderSn``, ``skuId``,
``goodsName``, ``quantity`` (current), ``originalOrderQuantity`` (lines shrink after a partial cancellation),
``orderStatus``, ``fulfillmentType`` (``fulfillBySeller`` or ``fulfillByCooperativeWarehouse``: then the
order must not be confirmed by us), ``productList[].extCode`` (the seller's SKU code).

*Unverified:* the detail carries no amounts (``bg.order.amount.query`` does, in a shape we could not read), so
Temu orders have no prices and no currency; ``productList[].extCode`` as the seller's SKU (falls back to
``sku:<skuId>``); ``regionName1`` being the country's English name.

Requests: one gateway, every call a POST of JSON whose ``sign`` is the upper-case MD5 of
``app_secret + key1value1key2value2… (keys sorted) + app_secret``; a JSON-valued parameter is signed as its
exact serialised text, which is why :func:`temu_request` serialises the body itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import pycountry

from haicang.channels.connectors.base import (
    Connector,
    PreparedRequest,
    compact_json,
    from_unix,
    integer,
    items,
    obj,
    required_text,
    text,
)
from haicang.channels.connectors.stock import StockItem, StockPushAdapter, grouped, number_or_text
from haicang.channels.normalised import (
    NormalisedLine,
    NormalisedOrder,
    OrderFlag,
    OrderStatus,
    PayloadInvalid,
    Platform,
    ShipTo,
)

STATUSES: dict[int, OrderStatus] = {
    1: OrderStatus.PENDING,
    2: OrderStatus.UNSHIPPED,
    3: OrderStatus.CANCELLED,
    4: OrderStatus.SHIPPED,
    5: OrderStatus.DELIVERED,
    41: OrderStatus.PARTIALLY_SHIPPED,
    51: OrderStatus.PARTIALLY_SHIPPED,  # partially received: some units may still have to ship
}
LABELS: dict[str, OrderFlag] = {
    "soon_to_be_overdue": OrderFlag.SOON_OVERDUE,
    "past_due": OrderFlag.PAST_DUE,
    "pending_buyer_cancellation": OrderFlag.PENDING_BUYER_CANCELLATION,
    "pending_buyer_address_change": OrderFlag.PENDING_ADDRESS_CHANGE,
    "pending_risk_control_alert": OrderFlag.RISK_REVIEW,
    "signature_required_on_delivery": OrderFlag.SIGNATURE_REQUIRED,
}
COOPERATIVE_WAREHOUSE = "fulfillByCooperativeWarehouse"
CANCELLED = 3
GATEWAYS = {
    "US": "https://openapi-b-us.temu.com/openapi/router",
    "EU": "https://openapi-b-eu.temu.com/openapi/router",
    "GLOBAL": "https://openapi-b-global.temu.com/openapi/router",
}


def _param_text(value: Any) -> str:
    """A parameter as Temu signs it: text as is, numbers as digits, objects and lists as compact JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return compact_json(value)


def temu_sign(params: Mapping[str, Any], app_secret: str) -> str:
    """Upper-case hex MD5 of ``secret + k1v1k2v2… (keys in ASCII order, 'sign' left out) + secret``."""
    pairs = "".join(f"{key}{_param_text(params[key])}" for key in sorted(params) if key != "sign")
    return hashlib.md5((app_secret + pairs + app_secret).encode(), usedforsecurity=False).hexdigest().upper()


def temu_request(
    *,
    gateway: str,
    app_key: str,
    app_secret: str,
    access_token: str,
    method: str,
    params: Mapping[str, Any],
    timestamp: int,
) -> PreparedRequest:
    """A signed call of API ``method`` (``bg.order.detail.v2.get``…) with its business ``params``.

    The body is serialised here, compactly and in the given key order, so the JSON text of each JSON-valued
    parameter in the body is exactly the text that was signed.
    """
    common = {
        "type": method,
        "app_key": app_key,
        "access_token": access_token,
        "data_type": "JSON",
        "timestamp": timestamp,
    }
    signed = {**common, **params}
    sign = temu_sign(signed, app_secret)
    body = compact_json({**signed, "sign": sign}).encode()
    return PreparedRequest(
        method="POST",
        url=gateway,
        headers={"Content-Type": "application/json"},
        body=body,
        signature=sign,
    )


def _country(info: Mapping[str, Any]) -> str:
    for key in ("regionCode", "countryCode"):
        code = text(info, key)
        if len(code) == 2:
            return code
    name = text(info, "regionName1")
    try:
        return str(pycountry.countries.lookup(name).alpha_2)
    except LookupError:
        raise PayloadInvalid(
            f"Temu shipping country {name!r} is not a known country", field="regionName1"
        ) from None


def _ship_to(info: Mapping[str, Any] | None) -> ShipTo | None:
    if not info:
        return None
    name = " ".join(n for n in (text(info, "receiptName"), text(info, "receiptAdditionalName")) if n)
    return ShipTo(
        country=_country(info),
        name=name,
        street_lines=tuple(text(info, f"addressLine{n}") for n in range(1, 4)),
        city=text(info, "regionName3"),
        region=text(info, "regionName2"),
        postcode=text(info, "postCode"),
        phone=text(info, "mobile"),
        email=text(info, "mail"),
    )


def _line(child: Mapping[str, Any]) -> NormalisedLine:
    order_sn = required_text(child, "orderSn", where="orderList")
    products = items(child, "productList")
    ext_code = next((text(p, "extCode") for p in products if text(p, "extCode")), "")
    sku_id = text(child, "skuId")
    quantity = integer(child, "quantity")
    original = integer(child, "originalOrderQuantity", default=quantity)
    if integer(child, "orderStatus", default=0) == CANCELLED:
        quantity = 0
    return NormalisedLine(
        channel_sku=ext_code or f"sku:{sku_id or order_sn}",
        channel_line_id=order_sn,
        quantity=quantity,
        original_quantity=max(original, quantity),
        title=text(child, "goodsName"),
        platform_item_id=sku_id,
    )


def _flags(parent: Mapping[str, Any], children: list[Mapping[str, Any]]) -> frozenset[OrderFlag]:
    flags = {
        LABELS[text(label, "name")]
        for label in items(parent, "parentOrderLabel")
        if text(label, "name") in LABELS and integer(label, "value", default=0) == 1
    }
    if any(text(child, "fulfillmentType") == COOPERATIVE_WAREHOUSE for child in children):
        flags.add(OrderFlag.COOPERATIVE_WAREHOUSE)
    return frozenset(flags)


class TemuConnector(Connector):
    platform = Platform.TEMU
    label = "Temu"
    credential_fields = ("app_key", "app_secret", "access_token")

    def parse_order(self, payload: Mapping[str, Any]) -> NormalisedOrder:
        result = obj(payload.get("result", payload), "result")
        parent = obj(result.get("parentOrderMap"), "parentOrderMap")
        children = items(result, "orderList")
        parent_sn = required_text(parent, "parentOrderSn", where="parentOrderMap")
        raw_status = integer(parent, "parentOrderStatus")
        status = STATUSES.get(raw_status)
        if status is None:
            raise PayloadInvalid(f"unknown Temu parentOrderStatus {raw_status}", field="parentOrderStatus")
        placed = from_unix(parent.get("parentOrderTime"), "parentOrderTime")
        if placed is None:
            raise PayloadInvalid(f"Temu order {parent_sn} has no parentOrderTime", field="parentOrderTime")
        shipping = payload.get("shippingInfo")
        if isinstance(shipping, Mapping) and "result" in shipping:
            shipping = shipping["result"]
        return NormalisedOrder(
            platform=Platform.TEMU,
            external_id=parent_sn,
            display_ref=parent_sn,
            placed_at=placed,
            updated_at=from_unix(parent.get("updateTime"), "updateTime"),
            ship_by=from_unix(parent.get("expectShipLatestTime"), "expectShipLatestTime"),
            deliver_by=from_unix(parent.get("latestDeliveryTime"), "latestDeliveryTime"),
            status=status,
            platform_status=str(raw_status),
            lines=tuple(_line(child) for child in children),
            ship_to=_ship_to(obj(shipping, "shippingInfo") if shipping else None),
            flags=_flags(parent, children),
            marketplace=text(parent, "regionId"),
            raw_ref=f"temu:bg.order.detail.v2.get:{parent_sn}",
        )

    def parse_orders(self, payload: Mapping[str, Any]) -> list[NormalisedOrder]:
        result = payload.get("result", payload)
        if isinstance(result, Mapping) and "pageItems" in result:
            return [self.parse_order(item) for item in items(result, "pageItems")]
        return [self.parse_order(payload)]

    def build_order_request(
        self, credentials: Mapping[str, str], *, external_id: str, now: datetime
    ) -> PreparedRequest:
        creds = self.credentials_check(credentials)
        gateway = creds.get("gateway", "US")
        return temu_request(
            gateway=GATEWAYS.get(gateway.upper(), gateway),
            app_key=creds["app_key"],
            app_secret=creds["app_secret"],
            access_token=creds["access_token"],
            method="bg.order.detail.v2.get",
            params={"parentOrderSn": external_id},
            timestamp=int(now.timestamp()),
        )


# --- stock push ------------------------------------------------------------------------------------------------
STOCK_EDIT_METHOD = "bg.local.goods.stock.edit"


class TemuStockPush(StockPushAdapter):
    """``bg.local.goods.stock.edit``: one goods (``goodsId``) a call, each of its SKUs set to an absolute target
    (``skuStockTargetList`` of ``{skuId, stockTarget}``; ``stockType`` 0, ordinary stock) — never the difference
    form (``skuStockChangeList``), so a repeated call cannot drift the count. The call goes through the same
    gateway and MD5 signature as the order calls (:func:`temu_request`, :func:`temu_sign`): the JSON-valued
    ``skuStockTargetList`` is signed as the exact text the body carries. Ids are sent as JSON numbers.

    *Unverified:* that semi-managed stores take this local-goods call (their stock may be set in the seller
    centre only); that the business parameters sit at the top level of the body like the order calls'."""

    platform = Platform.TEMU
    label = "Temu"
    credential_fields = ("app_key", "app_secret", "access_token")
    listing_fields = ("goods_id", "sku_id")
    max_items = 100

    def batches(self, items: Sequence[StockItem]) -> list[tuple[StockItem, ...]]:
        return grouped(items, "goods_id", self.max_items)

    def build_request(
        self, credentials: Mapping[str, str], items: Sequence[StockItem], *, now: datetime
    ) -> PreparedRequest:
        creds = self.credentials_check(credentials)
        goods = {str(item.listing["goods_id"]).strip() for item in items}
        if len(goods) != 1:
            raise ValueError("a Temu stock edit names one goods")
        gateway = creds.get("gateway", "US")
        return temu_request(
            gateway=GATEWAYS.get(gateway.upper(), gateway),
            app_key=creds["app_key"],
            app_secret=creds["app_secret"],
            access_token=creds["access_token"],
            method=STOCK_EDIT_METHOD,
            params={
                "goodsId": number_or_text(goods.pop()),
                "stockType": 0,
                "skuStockTargetList": [
                    {"skuId": number_or_text(item.listing["sku_id"]), "stockTarget": item.quantity}
                    for item in items
                ],
            },
            timestamp=int(now.timestamp()),
        )
