"""This morning's orders for the demo's day of warehouse work (:mod:`haicang.demo.fulfillment`): new orders of a
warehouse's stores, placed overnight and during the morning, ingested through ``orders.services.order_ingest`` as
live orders are (routed, their stock reserved) and released to the warehouse at a given time. Their lines are SKUs
the warehouse has in stock (10 units or more) that one box of the operator's catalogue holds — not the flat pillow
covers (460 × 460 mm) no demo box takes — and their customers have names the shipping label's font can draw.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Sequence

from haicang.catalog.models import Sku
from haicang.channels.models import ChannelAccount
from haicang.core.actors import Actor
from haicang.demo import order_data
from haicang.demo.order_history import Drawn, Listing, Person, listings, normalised, person
from haicang.fulfillment.packing import PackItem, box_suggestion
from haicang.inventory.models import StockCounter
from haicang.network.models import Warehouse
from haicang.orders.fulfilment import fulfilment_request_create
from haicang.orders.models_fulfilment import FulfillmentRequest
from haicang.orders.services import order_ingest
from haicang.parties.models import Seller


class MorningOrders:
    """This morning's orders of one warehouse from its ``stores`` ((store, ship-to country), taken in turn),
    ingested as live orders are (routed and reserved), then released to it. ``count``: how many were ingested;
    ``sku_ids``: the SKUs they hold."""

    def __init__(
        self,
        actor: Actor,
        warehouse: Warehouse,
        stores: Sequence[tuple[str, str]],
        seller: Seller,
        accounts: dict[str, ChannelAccount],
        rng: random.Random,
        *,
        serials: int,
    ) -> None:
        self.actor, self.warehouse, self.stores, self.accounts = actor, warehouse, stores, accounts
        self.rng = rng
        self.serials = serials  # the first serial of these orders in their stores (order_history.external_id)
        stocked = set(
            StockCounter.objects.filter(owner=seller, warehouse=warehouse, sellable__gte=10).values_list(
                "sku__code", flat=True
            )
        )
        self.skus = {
            sku.code: sku
            for sku in Sku.objects.filter(
                seller=seller,
                code__in=stocked,
                length_mm__gt=0,
                width_mm__gt=0,
                height_mm__gt=0,
                weight_g__gt=0,
            )
        }
        # not the flat pillow covers: no demo box takes them
        fits = {code for code, sku in self.skus.items() if self._boxed(((sku, 1),))}
        self.listed: dict[str, list[Listing]] = {}
        for store, _country in stores:
            store_plan = next(p for p in order_data.ACCOUNTS if p.name == store)
            self.listed[store] = [item for item in listings(store_plan) if item.code in fits]
        self.count = 0
        self.sku_ids: set[uuid.UUID] = set()  # the SKUs these orders reserved

    def release(
        self, n: int, released: dt.datetime, placed_before: dt.datetime, *, hours: tuple[int, int]
    ) -> list[FulfillmentRequest]:
        """``n`` orders placed ``hours`` before ``placed_before`` (at random), released at ``released``."""
        requests = []
        for _ in range(n):
            store, country = self.stores[self.count % len(self.stores)]
            store_plan = next(p for p in order_data.ACCOUNTS if p.name == store)
            serial = self.serials + self.count
            self.count += 1
            minutes = self.rng.randint(hours[0] * 60 + 5, hours[1] * 60 + 5)
            placed = min(placed_before - dt.timedelta(minutes=minutes), released - dt.timedelta(minutes=5))
            lines = self._lines(self.listed[store])
            drawn = Drawn(
                plan=store_plan, serial=serial, placed_at=placed, who=customer(country, serial), lines=lines
            )
            order = order_ingest(
                actor=self.actor,
                account=self.accounts[store],
                normalised=normalised(drawn, status="unshipped", updated_at=placed + dt.timedelta(minutes=3)),
                source="demo",
            ).order
            self.sku_ids.update(sku_id for sku_id in order.lines.values_list("sku_id", flat=True) if sku_id)
            if order.allocation_status != "allocated":  # the stock ran out after all: it stays backordered
                continue
            requests.append(
                fulfilment_request_create(
                    actor=self.actor, order=order, warehouse=self.warehouse, now=released
                )
            )
        return requests

    def _boxed(self, units: Sequence[tuple[Sku, int]]) -> bool:
        items = [PackItem(sku, quantity) for sku, quantity in units]
        return box_suggestion(operator_id=self.warehouse.operator_id, items=items).box is not None

    def _lines(self, choices: Sequence[Listing]) -> tuple[tuple[Listing, int, int], ...]:
        """One or two SKUs the store lists, one or two units each, that one box of the catalogue holds."""
        while True:
            drawn = {
                item.code: (item, self.rng.choice((1, 1, 1, 2)))
                for item in self.rng.sample(choices, self.rng.choice((1, 1, 2)))
            }
            if self._boxed([(self.skus[code], units) for code, (_, units) in drawn.items()]):
                return tuple((item, units, units) for item, units in drawn.values())


def customer(country: str, serial: int) -> Person:
    """A new customer whose name and address the shipping label's font draws (Noto Sans CJK has no Latin
    Extended-A: no "ş" of Ayşe; such a label is refused with ``fulfillment.label_glyph_missing``)."""
    number = 7000 + serial % 1000
    while True:
        who = person(country, number)
        if all(ord(ch) < 0x100 for text in (who.name, who.city, *who.street_lines) for ch in text):
            return who
        number += 1000
