"""A small network for routing tests: one US operator with LAX1 and NJ1 (US) and FRA1 (Germany, also shipping to
the US), all under an active agreement with the seller, each with a priced carrier service to the US."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from haicang.inventory.services import stock_receive
from haicang.network.models import Location, LocationKind, Warehouse
from haicang.network.services.virtual import virtual_locations_ensure
from haicang.network.tests.carrier_factories import flat_zone, make_card, make_carrier, make_service
from haicang.network.tests.factories import make_location, make_warehouse
from haicang.parties.models import Operator, Seller
from haicang.parties.tests.factories import SYSTEM, make_agreement, make_operator

# Flat price to the US per warehouse (USD, up to 5 kg) and transit days.
PRICES = {"LAX1": ("4.10", 3), "NJ1": ("6.50", 2), "FRA1": ("12.00", 8)}


@dataclass
class Network:
    operator: Operator
    warehouses: dict[str, Warehouse]
    bins: dict[str, Location]

    def receive(self, seller: Seller, sku: Any, code: str, quantity: int) -> None:
        stock_receive(actor=SYSTEM, owner=seller, sku=sku, location=self.bins[code], quantity=quantity)


def make_network(seller: Seller, *, codes: tuple[str, ...] = ("LAX1", "NJ1", "FRA1")) -> Network:
    operator = make_operator(currency="USD", country="US")
    virtual_locations_ensure(actor=SYSTEM)
    carrier = make_carrier(operator, code="CPX")
    warehouses: dict[str, Warehouse] = {}
    bins: dict[str, Location] = {}
    for code in codes:
        country = "DE" if code.startswith("FRA") else "US"
        warehouse = make_warehouse(operator, code=code, country=country, markets=["US", country])
        warehouses[code] = warehouse
        bins[code] = make_location(warehouse, code="A-01-01-1-1", kind=LocationKind.PICK)
        price, days = PRICES.get(code, ("5.00", 4))
        service = make_service(carrier, warehouses=[warehouse], countries=("US",), code=f"CPX-{code}")
        make_card(
            service,
            currency="USD",
            zones=[flat_zone("US", "US", [(5000, price), (30000, "40.00")], "USD", transit_days=days)],
        )
    make_agreement(seller, operator, warehouses=list(warehouses.values()))
    return Network(operator, warehouses, bins)
