"""Pushing available-to-sell to the platforms: the one interface every platform's stock adapter implements.
Pure: no Django, no network.

An adapter turns the quantities a channel account may sell (``channels.stock_sync``) into the platform's own
**signed** call, ready to send — a :class:`~haicang.channels.connectors.base.PreparedRequest` (method, URL,
headers, body, signature). Nothing here sends it: a transport that owns the network (retries, rate limits,
time-outs) does, so every request and its signature are unit-tested without one.

* :attr:`StockPushAdapter.credential_fields` — the channel account's credentials it needs (some beyond the order
  connector's: Shopify's ``location_id``, Amazon's ``seller_id`` and ``marketplace_id``);
* :attr:`StockPushAdapter.listing_fields` — the platform's ids of a listing it needs, stored on the account's
  channel SKU map (``ChannelSkuMap.listing``: Shopify ``inventory_item_id``, TikTok Shop ``product_id`` and
  ``sku_id``, Temu ``goods_id`` and ``sku_id``, SHEIN ``sku_code``; Amazon needs none: its seller SKU is the
  channel SKU);
* :meth:`StockPushAdapter.batches` — how items are grouped into calls (the platform's per-call limits: one
  product per TikTok call, one goods per Temu call, one SKU per Amazon listings patch…);
* :meth:`StockPushAdapter.build_request` — the signed call for one batch.

Every quantity is sent as an **absolute** value (overwrite, never a difference): sending a request twice, or an
old one after a newer one was lost, cannot drift the platform's count.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from haicang.channels.connectors.base import PreparedRequest
from haicang.channels.normalised import PayloadInvalid, Platform


@dataclass(frozen=True)
class StockItem:
    """One listing's new quantity: the account's channel SKU, the units it may sell, the listing's platform ids."""

    channel_sku: str
    quantity: int
    listing: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if isinstance(self.quantity, bool) or not isinstance(self.quantity, int) or self.quantity < 0:
            raise ValueError("a stock quantity is a whole number, 0 or more")
        if not self.channel_sku:
            raise ValueError("a stock item names its channel SKU")


class StockPushAdapter(ABC):
    """One platform's stock update call. Subclasses set the class attributes and implement
    :meth:`build_request` (and :meth:`batches` when calls are grouped otherwise than by ``max_items``)."""

    platform: ClassVar[Platform]
    label: ClassVar[str]
    credential_fields: ClassVar[tuple[str, ...]] = ()
    listing_fields: ClassVar[tuple[str, ...]] = ()
    max_items: ClassVar[int] = 100  # items in one call

    def credentials_check(self, credentials: Mapping[str, str]) -> dict[str, str]:
        """The credentials as plain strings; :class:`PayloadInvalid` naming the first one missing."""
        out = {str(k): str(v) for k, v in credentials.items() if v is not None and str(v) != ""}
        for name in self.credential_fields:
            if name not in out:
                raise PayloadInvalid(
                    f"{self.label} stock updates need the credential {name!r}", field="credentials"
                )
        return out

    def missing(self, item: StockItem) -> tuple[str, ...]:
        """The listing fields ``item`` lacks for this platform (empty when it can be pushed)."""
        return tuple(name for name in self.listing_fields if not str(item.listing.get(name, "")).strip())

    def batches(self, items: Sequence[StockItem]) -> list[tuple[StockItem, ...]]:
        """``items`` in calls of at most :attr:`max_items`, in the given order."""
        return [tuple(items[n : n + self.max_items]) for n in range(0, len(items), self.max_items)]

    @abstractmethod
    def build_request(
        self, credentials: Mapping[str, str], items: Sequence[StockItem], *, now: datetime
    ) -> PreparedRequest:
        """The signed call that sets ``items`` (one batch) to their quantities (``now`` is the signing time)."""


def grouped(items: Sequence[StockItem], key: str, limit: int) -> list[tuple[StockItem, ...]]:
    """Batches of items sharing ``listing[key]`` (a platform that updates one product per call), each at most
    ``limit`` long; groups in the order they first appear."""
    groups: dict[str, list[StockItem]] = {}
    for item in items:
        groups.setdefault(str(item.listing.get(key, "")), []).append(item)
    return [tuple(group[n : n + limit]) for group in groups.values() for n in range(0, len(group), limit)]


def number_or_text(value: str) -> int | str:
    """A platform id as a JSON number when it is all digits (Temu and TikTok ids are 64-bit numbers)."""
    text = str(value).strip()
    return int(text) if text.isdigit() else text
