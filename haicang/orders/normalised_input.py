"""Reading a normalised order given as plain JSON (the API's body) or as rows of a file (the ``orders`` import).
Pure: no Django.

JSON shape (``POST /api/v1/orders/``; docs/orders.md)::

    {"channel_account": "<id>", "external_id": "1042", "placed_at": "2026-03-02T14:15:27Z",
     "status": "unshipped", "currency": "USD", "shipping_charged": "4.99",
     "ship_to": {"country": "US", "postcode": "10001", "city": "New York", "name": "…", "street_lines": ["…"],
                 "phone": "…", "email": "…"},
     "lines": [{"channel_sku": "TS-BLK-M", "channel_line_id": "1", "quantity": 2, "unit_price": "19.99"}]}

Amounts are decimal strings in the order's currency (or ``{"amount", "currency"}`` objects); JSON numbers
with a fraction are refused (they would be floats). Datetimes are ISO 8601 with a time zone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from haicang.channels.normalised import (
    NormalisedLine,
    NormalisedOrder,
    OrderFlag,
    OrderStatus,
    PayloadInvalid,
    Platform,
    ShipTo,
)
from haicang.core.errors import DomainError
from haicang.core.money import Money

ORDER_KEYS = frozenset(
    {
        "channel_account",
        "external_id",
        "parent_external_id",
        "display_ref",
        "placed_at",
        "paid_at",
        "ship_by",
        "deliver_by",
        "updated_at",
        "status",
        "platform_status",
        "currency",
        "shipping_charged",
        "commission",
        "total",
        "service_level",
        "ship_to",
        "buyer_note",
        "flags",
        "marketplace",
        "lines",
    }
)
LINE_KEYS = frozenset(
    {
        "channel_sku",
        "channel_line_id",
        "quantity",
        "original_quantity",
        "unit_price",
        "discount",
        "tax",
        "price_includes_tax",
        "title",
        "platform_item_id",
        "shipped_quantity",
    }
)
SHIP_TO_KEYS = frozenset(
    {"country", "name", "company", "street_lines", "city", "region", "postcode", "phone", "email"}
)


class InputInvalid(PayloadInvalid):
    code = "orders.input_invalid"
    title = "The order cannot be read"


def _text(data: Mapping[str, Any], key: str, *, limit: int = 200, required: bool = False) -> str:
    value = data.get(key)
    if value is None or value == "":
        if required:
            raise InputInvalid(f"{key} is required", field=key)
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InputInvalid(f"{key} is text", field=key)
    text = str(value).strip()
    if len(text) > limit:
        raise InputInvalid(f"{key} has at most {limit} characters", field=key)
    return text


def time_parse(value: Any, key: str) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        parsed = value
    else:
        try:
            parsed = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            raise InputInvalid(f"{key} is an ISO 8601 date and time", field=key) from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise InputInvalid(f"{key} needs a time zone (…Z or …+08:00)", field=key)
    return parsed


def amount_parse(value: Any, currency: str | None, key: str) -> Money | None:
    if value is None or value == "":
        return None
    if currency is None:
        raise InputInvalid(f"{key}: an order with amounts needs its currency", field="currency")
    if isinstance(value, Mapping):
        if set(value) != {"amount", "currency"}:
            raise InputInvalid(f"{key} is an amount or {{amount, currency}}", field=key)
        if str(value["currency"]).upper() != currency:
            raise InputInvalid(f"{key} is in {value['currency']}, the order in {currency}", field=key)
        value = value["amount"]
    if isinstance(value, float | bool):
        raise InputInvalid(f'{key}: give the amount as a string such as "12.34"', field=key)
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise InputInvalid(f"{key}: {value!r} is not an amount", field=key) from None
    try:
        return Money.of(amount, currency)
    except DomainError as exc:
        raise InputInvalid(f"{key}: {exc.detail}", field=key) from None


def _int(data: Mapping[str, Any], key: str, default: int | None = None) -> int:
    value = data.get(key, default)
    if value is None or value == "":
        if default is None:
            raise InputInvalid(f"{key} is required", field=key)
        return default
    if isinstance(value, bool | float):
        raise InputInvalid(f"{key} is a whole number", field=key)
    try:
        return int(str(value).strip())
    except ValueError:
        raise InputInvalid(f"{key}: {value!r} is not a whole number", field=key) from None


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in {"1", "true", "yes", "y", "是"}


def _status(value: Any) -> OrderStatus:
    text = str(value or "unshipped").strip().lower()
    try:
        return OrderStatus(text)
    except ValueError:
        raise InputInvalid(
            f"status {value!r} is not one of {', '.join(s.value for s in OrderStatus)}", field="status"
        ) from None


def _flags(value: Any) -> frozenset[OrderFlag]:
    if not value:
        return frozenset()
    names = value if isinstance(value, list | tuple) else str(value).replace(";", ",").split(",")
    try:
        return frozenset(OrderFlag(str(name).strip()) for name in names if str(name).strip())
    except ValueError:
        raise InputInvalid(f"flags {value!r}: unknown flag", field="flags") from None


def ship_to_parse(data: Any) -> ShipTo | None:
    if data is None or data == {}:
        return None
    if not isinstance(data, Mapping):
        raise InputInvalid("ship_to is an object", field="ship_to")
    unknown = set(data) - SHIP_TO_KEYS
    if unknown:
        raise InputInvalid(f"ship_to has unknown fields: {', '.join(sorted(unknown))}", field="ship_to")
    lines = data.get("street_lines") or ()
    if isinstance(lines, str) or not all(isinstance(line, str) for line in lines):
        raise InputInvalid("ship_to.street_lines is a list of text lines", field="ship_to.street_lines")
    return ShipTo(
        country=_text(data, "country", required=True),
        name=_text(data, "name"),
        company=_text(data, "company"),
        street_lines=tuple(line.strip()[:200] for line in lines),
        city=_text(data, "city", limit=100),
        region=_text(data, "region", limit=100),
        postcode=_text(data, "postcode", limit=20),
        phone=_text(data, "phone", limit=50),
        email=_text(data, "email", limit=254),
    )


def line_parse(data: Any, currency: str | None, position: int) -> NormalisedLine:
    if not isinstance(data, Mapping):
        raise InputInvalid("each line is an object", field="lines")
    unknown = set(data) - LINE_KEYS
    if unknown:
        raise InputInvalid(f"a line has unknown fields: {', '.join(sorted(unknown))}", field="lines")
    quantity = _int(data, "quantity")
    shipped = data.get("shipped_quantity")
    return NormalisedLine(
        channel_sku=_text(data, "channel_sku", required=True),
        channel_line_id=_text(data, "channel_line_id", limit=100) or str(position),
        quantity=quantity,
        original_quantity=_int(data, "original_quantity", quantity),
        unit_price=amount_parse(data.get("unit_price"), currency, "unit_price"),
        discount=amount_parse(data.get("discount"), currency, "discount"),
        tax=amount_parse(data.get("tax"), currency, "tax"),
        price_includes_tax=_bool(data.get("price_includes_tax")),
        title=_text(data, "title", limit=300),
        platform_item_id=_text(data, "platform_item_id", limit=100),
        shipped_quantity=None if shipped in (None, "") else _int(data, "shipped_quantity"),
    )


def order_parse(data: Any, *, platform: Platform, default_currency: str) -> NormalisedOrder:
    """A :class:`NormalisedOrder` from the JSON shape above; raises :class:`InputInvalid` (400) naming the
    field. ``channel_account`` is the caller's business (it chose the account)."""
    if not isinstance(data, Mapping):
        raise InputInvalid("an order is a JSON object", field=None)
    unknown = set(data) - ORDER_KEYS
    if unknown:
        raise InputInvalid(f"unknown fields: {', '.join(sorted(unknown))}", field=None)
    external_id = _text(data, "external_id", limit=100, required=True)
    currency = (_text(data, "currency", limit=3) or default_currency).upper()
    placed = time_parse(data.get("placed_at"), "placed_at")
    if placed is None:
        raise InputInvalid("placed_at is required", field="placed_at")
    lines = data.get("lines")
    if not isinstance(lines, Sequence) or isinstance(lines, str) or not lines:
        raise InputInvalid("an order has a list of at least one line", field="lines")
    status = _status(data.get("status"))
    return NormalisedOrder(
        platform=platform,
        external_id=external_id,
        parent_external_id=_text(data, "parent_external_id", limit=100),
        display_ref=_text(data, "display_ref", limit=100),
        placed_at=placed,
        paid_at=time_parse(data.get("paid_at"), "paid_at"),
        ship_by=time_parse(data.get("ship_by"), "ship_by"),
        deliver_by=time_parse(data.get("deliver_by"), "deliver_by"),
        updated_at=time_parse(data.get("updated_at"), "updated_at"),
        status=status,
        platform_status=_text(data, "platform_status", limit=50) or status.value,
        currency=currency,
        lines=tuple(line_parse(line, currency, n) for n, line in enumerate(lines, start=1)),
        shipping_charged=amount_parse(data.get("shipping_charged"), currency, "shipping_charged"),
        commission=amount_parse(data.get("commission"), currency, "commission"),
        total=amount_parse(data.get("total"), currency, "total"),
        service_level=_text(data, "service_level", limit=100),
        ship_to=ship_to_parse(data.get("ship_to")),
        buyer_note=_text(data, "buyer_note", limit=2000),
        flags=_flags(data.get("flags")),
        marketplace=_text(data, "marketplace", limit=50),
        raw_ref=f"{platform.value}:api:{external_id}",
    )
