"""Building normalised orders and ingesting them, for tests across the apps."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from haicang.channels.models import ChannelAccount
from haicang.channels.normalised import NormalisedLine, NormalisedOrder, OrderStatus, Platform, ShipTo
from haicang.core.actors import Actor
from haicang.core.money import Money
from haicang.orders.models import Order
from haicang.orders.services import Ingested, order_ingest

SYSTEM = Actor.system("tests")
_n = itertools.count(1)

# A customer whose personal data must never sit in clear anywhere (the PII tests look for these strings).
CUSTOMER: dict[str, Any] = {
    "name": "Philippa Quaglieri-Zwettl",
    "company": "Zwettl Glasbläserei",
    "street_lines": ("742 Evergreen Terrace", "Apartment 9Q"),
    "phone": "+1 415-555-0173",
    "email": "philippa.zwettl@example.org",
}


def ship_to(**overrides: Any) -> ShipTo:
    values: dict[str, Any] = {
        "country": "US",
        "city": "Springfield",
        "region": "OR",
        "postcode": "97477",
        **CUSTOMER,
    }
    values.update(overrides)
    return ShipTo(**values)


def line(channel_sku: str = "TS-BLK-M", quantity: int = 2, **overrides: Any) -> NormalisedLine:
    values: dict[str, Any] = {
        "channel_sku": channel_sku,
        "channel_line_id": overrides.pop("channel_line_id", channel_sku),
        "quantity": quantity,
        "original_quantity": max(quantity, overrides.pop("original_quantity", quantity)),
        "unit_price": Money.of("19.99", "USD"),
        "title": "T-shirt",
    }
    values.update(overrides)
    return NormalisedLine(**values)


def normalised(
    *, external_id: str | None = None, lines: tuple[NormalisedLine, ...] | None = None, **overrides: Any
) -> NormalisedOrder:
    external_id = external_id or f"EXT-{next(_n)}"
    values: dict[str, Any] = {
        "platform": Platform.SHOPIFY,
        "external_id": external_id,
        "placed_at": datetime(2026, 3, 2, 14, 15, tzinfo=UTC),
        "status": OrderStatus.UNSHIPPED,
        "platform_status": "paid",
        "lines": lines or (line(),),
        "raw_ref": f"shopify:test:{external_id}",
        "currency": "USD",
        "shipping_charged": Money.of("4.99", "USD"),
        "service_level": "Standard",
        "ship_to": ship_to(),
        "buyer_note": "Leave it with the neighbour at 744",
    }
    values.update(overrides)
    return NormalisedOrder(**values)


def ingest(account: ChannelAccount, order: NormalisedOrder | None = None, **overrides: Any) -> Ingested:
    return order_ingest(actor=SYSTEM, account=account, normalised=order or normalised(**overrides))


def make_order(account: ChannelAccount, **overrides: Any) -> Order:
    return ingest(account, **overrides).order
