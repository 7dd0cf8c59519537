"""A seller and an operator linked by an agreement, with stock of one SKU, for the integration tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from haicang.catalog.tests.factories import make_sku
from haicang.network.tests.factories import make_location
from haicang.parties.models import Operator, Seller
from haicang.parties.tests.factories import SYSTEM, make_agreement, make_operator, make_seller


@dataclass
class World:
    seller: Seller
    operator: Operator
    warehouse: Any
    sku: Any
    bin: Any


def make_world(quantity: int = 10) -> World:
    from haicang.inventory.services import stock_receive
    from haicang.network.services.virtual import virtual_locations_ensure

    virtual_locations_ensure(actor=SYSTEM)
    seller, operator = make_seller(), make_operator()
    agreement = make_agreement(seller, operator)
    warehouse = agreement.warehouses.first()
    assert warehouse is not None
    sku, where = make_sku(seller), make_location(warehouse)
    stock_receive(actor=SYSTEM, owner=seller, sku=sku, location=where, quantity=quantity)
    return World(seller=seller, operator=operator, warehouse=warehouse, sku=sku, bin=where)
