"""A small stocked world for ledger tests: one seller, one operator's warehouse with bins, one SKU."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from haicang.catalog.tests.factories import make_sku
from haicang.network.models import Location, LocationKind, Warehouse
from haicang.network.services.virtual import virtual_locations_ensure
from haicang.network.tests.factories import make_location, make_warehouse
from haicang.parties.models import Seller
from haicang.parties.tests.factories import SYSTEM, make_operator, make_seller


@dataclass
class StockWorld:
    seller: Seller
    warehouse: Warehouse
    pick: Location
    pick2: Location
    bulk: Location
    damaged: Location
    receiving: Location
    sku: Any


def make_stock_world(
    *, seller: Seller | None = None, warehouse: Warehouse | None = None, **sku_fields: Any
) -> StockWorld:
    seller = seller or make_seller()
    warehouse = warehouse or make_warehouse(make_operator())
    virtual_locations_ensure(actor=SYSTEM)
    n = Location.objects.filter(warehouse=warehouse).count()
    return StockWorld(
        seller=seller,
        warehouse=warehouse,
        pick=make_location(warehouse, code=f"A-01-01-1-{n + 1}", kind=LocationKind.PICK),
        pick2=make_location(warehouse, code=f"A-01-02-1-{n + 1}", kind=LocationKind.PICK),
        bulk=make_location(warehouse, code=f"B-01-01-1-{n + 1}", kind=LocationKind.BULK),
        damaged=make_location(warehouse, code=f"DMG-{n + 1:02d}", kind=LocationKind.DAMAGED),
        receiving=make_location(warehouse, code=f"RECV-{n + 1:02d}", kind=LocationKind.RECEIVING),
        sku=make_sku(seller, **sku_fields),
    )
