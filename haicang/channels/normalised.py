"""The normalised order: what every connector turns a platform's own order payload into. Pure: no Django.

This module is the **contract** between the connectors (``haicang.channels.connectors``) and the apps that
persist and work orders (the ``orders`` app). Everything here is a frozen dataclass of plain values:

* amounts are :class:`~haicang.core.money.Money` (``Decimal``, never ``float``); quantities are ``int``;
* datetimes are **aware** and in UTC — a connector converts the platform's own time zone (SHEIN's Beijing
  time, Unix seconds of Temu and TikTok Shop, Shopify's offsets) before it builds the order;
* the status is Haicang's small vocabulary (:class:`OrderStatus`) next to the platform's raw status;
* the ship-to address is **personal data**: the fields marked ``personal`` in their metadata (name, company,
  street lines, phone, e-mail; and the buyer's note) must be encrypted at rest by whoever stores them, and are
  left out of ``repr()`` so that they never reach a log by accident. Country, postcode, region and city stay
  in clear (routing and rates need them);
* ``raw_ref`` says where the order came from (platform, API, id) and never carries personal data.

A NormalisedOrder checks its own invariants when built (aware datetimes, one currency, quantities) and raises
:class:`PayloadInvalid` (``channels.payload_invalid``) otherwise, so a connector cannot hand on a broken order.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, ClassVar

from haicang.core.errors import ValidationFailed
from haicang.core.money import Money


class PayloadInvalid(ValidationFailed):
    """A platform payload (or the order built from it) breaks the contract: a required field is missing,
    a value has the wrong shape, a datetime has no time zone, amounts mix currencies."""

    code: ClassVar[str] = "channels.payload_invalid"
    title = "The platform's order cannot be read"


class Platform(StrEnum):
    SHOPIFY = "shopify"
    AMAZON = "amazon"
    TIKTOK = "tiktok"
    TEMU = "temu"
    SHEIN = "shein"


class OrderStatus(StrEnum):
    """Haicang's order vocabulary; each connector maps its platform's statuses onto it.

    * ``pending`` — placed but not yet to be shipped (unpaid, payment or risk review, Temu's "pending");
    * ``unshipped`` — to be shipped, nothing shipped yet;
    * ``partially_shipped`` — some units shipped, some still to ship (also "partially received": the order
      is not done while units may still need shipping);
    * ``shipped`` — every unit left; ``delivered`` — the platform says it arrived (or the order completed);
    * ``cancelled`` — nothing more to ship;
    * ``on_hold`` — the platform holds it (TikTok's ON_HOLD, Amazon's Unfulfillable): look, do not ship.
    """

    PENDING = "pending"
    UNSHIPPED = "unshipped"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    ON_HOLD = "on_hold"

    @property
    def is_open(self) -> bool:
        """True while units may still have to be shipped."""
        return self in (OrderStatus.UNSHIPPED, OrderStatus.PARTIALLY_SHIPPED)


class OrderFlag(StrEnum):
    """Facts about an order that change how it may be fulfilled."""

    COOPERATIVE_WAREHOUSE = "cooperative_warehouse"  # Temu: fulfilled by a cooperative warehouse, not us
    FULFILLED_BY_PLATFORM = "fulfilled_by_platform"  # Amazon AFN (FBA), TikTok FBT: the platform ships it
    PENDING_ADDRESS_CHANGE = "pending_address_change"  # the buyer is changing the address
    PENDING_BUYER_CANCELLATION = "pending_buyer_cancellation"  # the buyer asked to cancel
    RISK_REVIEW = "risk_review"  # the platform's risk control looks at it
    SOON_OVERDUE = "soon_overdue"
    PAST_DUE = "past_due"
    SIGNATURE_REQUIRED = "signature_required"
    CASH_ON_DELIVERY = "cash_on_delivery"
    PRIME = "prime"  # Amazon Prime (ship on time)


# The flags under which a shipment must not be confirmed to the platform (DOMAIN.md: Temu refuses confirmation
# of an order with a pending address change or fulfilled by a cooperative warehouse; a platform-fulfilled
# order is not ours to ship; a pending cancellation should be settled first).
CONFIRMATION_BLOCKERS: frozenset[OrderFlag] = frozenset(
    {
        OrderFlag.COOPERATIVE_WAREHOUSE,
        OrderFlag.FULFILLED_BY_PLATFORM,
        OrderFlag.PENDING_ADDRESS_CHANGE,
        OrderFlag.PENDING_BUYER_CANCELLATION,
    }
)

PERSONAL = {"personal": True}


def _aware(value: datetime | None, name: str) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None or value.utcoffset() is None:
        raise PayloadInvalid(f"{name} has no time zone", field=name)
    return value.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class ShipTo:
    """Where the parcel goes. Fields marked ``personal`` are personal data (encrypt at rest, never log)."""

    country: str  # ISO 3166-1 alpha-2, upper case
    name: str = field(default="", repr=False, metadata=PERSONAL)
    company: str = field(default="", repr=False, metadata=PERSONAL)
    street_lines: tuple[str, ...] = field(default=(), repr=False, metadata=PERSONAL)
    city: str = ""
    region: str = ""  # state, province, county as the platform writes it
    postcode: str = ""
    phone: str = field(default="", repr=False, metadata=PERSONAL)
    email: str = field(default="", repr=False, metadata=PERSONAL)

    def __post_init__(self) -> None:
        country = (self.country or "").strip().upper()
        if len(country) != 2 or not country.isalpha() or not country.isascii():
            raise PayloadInvalid(f"{self.country!r} is not an ISO 3166-1 alpha-2 country", field="country")
        object.__setattr__(self, "country", country)
        object.__setattr__(self, "street_lines", tuple(line for line in self.street_lines if line))

    @classmethod
    def personal_fields(cls) -> tuple[str, ...]:
        """The names of the fields that are personal data."""
        return tuple(f.name for f in dataclasses.fields(cls) if f.metadata.get("personal"))


@dataclass(frozen=True, slots=True)
class NormalisedLine:
    """One line of an order: a channel SKU and how many units of it.

    ``unit_price`` is per unit; ``discount`` and ``tax`` are totals for the line as the platform states them
    (not recomputed after a partial cancellation). ``price_includes_tax`` says whether ``unit_price`` already holds the
    tax (EU/UK consumer prices) or the tax comes on top (US). ``original_quantity`` is what was ordered;
    ``quantity`` what is still ordered after partial cancellations (Temu and TikTok lines shrink); a line
    cancelled entirely has ``quantity`` 0. Per-unit platforms (TikTok Shop, SHEIN send one row per unit) are
    grouped per SKU; the ids of their rows are in ``unit_line_ids``.
    """

    channel_sku: str  # the seller's SKU on the platform (map it with ChannelSkuMap)
    channel_line_id: str
    quantity: int
    original_quantity: int
    unit_price: Money | None = None
    discount: Money | None = None
    tax: Money | None = None
    price_includes_tax: bool = False
    title: str = ""
    platform_item_id: str = ""  # ASIN, variant id, Temu skuId, TikTok sku_id, SHEIN skuCode
    shipped_quantity: int | None = None  # when the platform says (Amazon)
    unit_line_ids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("quantity", "original_quantity"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise PayloadInvalid(f"a line's {name} is a whole number from 0, not {value!r}", field=name)
        if self.quantity > self.original_quantity:
            raise PayloadInvalid(
                f"line {self.channel_line_id}: quantity {self.quantity} exceeds the {self.original_quantity} "
                "ordered",
                field="quantity",
            )
        if not self.channel_line_id:
            raise PayloadInvalid("a line needs the platform's line id", field="channel_line_id")

    @property
    def cancelled_quantity(self) -> int:
        return self.original_quantity - self.quantity

    def amounts(self) -> Iterator[Money]:
        for amount in (self.unit_price, self.discount, self.tax):
            if amount is not None:
                yield amount


@dataclass(frozen=True, slots=True)
class NormalisedOrder:
    """One platform order in Haicang's terms. Idempotency key: (channel account, ``external_id``)."""

    platform: Platform
    external_id: str  # the platform's order id (Temu: the child orderSn's parent — see parent_external_id)
    placed_at: datetime
    status: OrderStatus
    platform_status: str  # the raw status as the platform wrote it ("Unshipped", "2", "AWAITING_SHIPMENT")
    lines: tuple[NormalisedLine, ...]
    raw_ref: str  # "<platform>:<api>:<id>" — where this came from; never personal data
    parent_external_id: str = ""  # Temu: the parent order (PO-…) of child orders; else empty
    display_ref: str = ""  # what the seller calls it on the platform (Shopify "#1001")
    paid_at: datetime | None = None
    ship_by: datetime | None = None  # the platform's latest ship time
    deliver_by: datetime | None = None  # the platform's latest delivery time
    updated_at: datetime | None = None  # the platform's last change (a replay older than this is stale)
    currency: str | None = None  # ISO 4217 of every amount; None when the payload has no amounts (Temu)
    shipping_charged: Money | None = None  # what the buyer paid for shipping
    commission: Money | None = None  # the platform's commission, when the payload gives it
    total: Money | None = None  # the platform's order total, as it states it
    service_level: str = ""  # "Standard", "Expedited", Shopify's shipping line title…
    ship_to: ShipTo | None = None  # None when the platform gives the address by a separate call (Temu)
    buyer_note: str = field(default="", repr=False, metadata=PERSONAL)
    flags: frozenset[OrderFlag] = frozenset()
    marketplace: str = ""  # Amazon marketplace id, Temu region id, SHEIN sales site…

    def __post_init__(self) -> None:
        if not self.external_id:
            raise PayloadInvalid("an order needs the platform's order id", field="external_id")
        for name in ("placed_at", "paid_at", "ship_by", "deliver_by", "updated_at"):
            object.__setattr__(self, name, _aware(getattr(self, name), name))
        object.__setattr__(self, "lines", tuple(self.lines))
        object.__setattr__(self, "flags", frozenset(self.flags))
        amounts = [a for line in self.lines for a in line.amounts()]
        amounts += [a for a in (self.shipping_charged, self.commission, self.total) if a is not None]
        currencies = {a.currency for a in amounts}
        if self.currency is None and currencies:
            raise PayloadInvalid("an order with amounts needs its currency", field="currency")
        if currencies - {self.currency}:
            raise PayloadInvalid(
                f"amounts in {', '.join(sorted(currencies))} on an order in {self.currency}", field="currency"
            )
        if not self.lines:
            raise PayloadInvalid(f"order {self.external_id} has no lines", field="lines")

    @property
    def confirmation_blockers(self) -> frozenset[OrderFlag]:
        """The flags that forbid confirming a shipment of this order to the platform (empty: allowed)."""
        return self.flags & CONFIRMATION_BLOCKERS

    @property
    def may_confirm_shipment(self) -> bool:
        return not self.confirmation_blockers

    @property
    def quantity(self) -> int:
        return sum(line.quantity for line in self.lines)

    def line(self, channel_sku: str) -> NormalisedLine | None:
        return next((line for line in self.lines if line.channel_sku == channel_sku), None)

    def without_personal_data(self) -> dict[str, Any]:
        """A plain summary to log or audit: ids, status, SKUs and quantities — no personal data."""
        return {
            "platform": str(self.platform),
            "external_id": self.external_id,
            "parent_external_id": self.parent_external_id,
            "status": str(self.status),
            "platform_status": self.platform_status,
            "lines": [[line.channel_sku, line.quantity] for line in self.lines],
            "country": self.ship_to.country if self.ship_to else None,
            "raw_ref": self.raw_ref,
        }
