"""Plain functions that build inbound shipments through the services, for tests across the apps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from haicang.catalog.models import Sku
from haicang.catalog.tests.factories import make_sku
from haicang.core.actors import Actor
from haicang.core.money import Money
from haicang.inbound.asn_rules import AsnSpec, CartonSpec, ContentSpec, CostSpec, LineSpec
from haicang.inbound.models import InboundShipment
from haicang.inbound.services import inbound_create, inbound_dispatch, inbound_submit
from haicang.network.models import Location, LocationKind, Warehouse
from haicang.network.tests.factories import make_location
from haicang.parties.models import Operator, Seller
from haicang.parties.tests.factories import make_agreement, make_operator, make_seller

SYSTEM = Actor.system("tests")


@dataclass
class InboundWorld:
    seller: Seller
    operator: Operator
    warehouse: Warehouse
    receiving: Location
    damaged: Location
    skus: list[Sku]


def make_inbound_world(*, currency: str = "EUR", skus: int = 2) -> InboundWorld:
    """A seller (base ``currency``) under an active agreement with an operator's warehouse that has a
    receiving and a damaged location, and ``skus`` SKUs with dimensions and a purchase cost in CNY."""
    seller, operator = make_seller(currency=currency), make_operator()
    agreement = make_agreement(seller, operator)
    warehouse = agreement.warehouses.get()
    return InboundWorld(
        seller=seller,
        operator=operator,
        warehouse=warehouse,
        receiving=make_location(warehouse, code="RCV-01", kind=LocationKind.RECEIVING),
        damaged=make_location(warehouse, code="DMG-01", kind=LocationKind.DAMAGED),
        skus=[
            make_sku(
                seller,
                length_mm=100 * (i + 1),
                width_mm=100,
                height_mm=100,
                weight_g=500,
                purchase_cost=Money.of(f"{10 * (i + 1)}.00", "CNY"),
                hs_code="6109100010",
                origin_country="CN",
                declared_value=Money.of(f"{2 * (i + 1)}.00", "USD"),
            )
            for i in range(skus)
        ],
    )


def make_spec(world: InboundWorld, *, quantities: list[int] | None = None, **header: Any) -> AsnSpec:
    """Lines of every SKU of the world, one carton per line, freight and duty costs."""
    quantities = quantities or [10 * (i + 1) for i in range(len(world.skus))]
    pairs = list(zip(world.skus, quantities, strict=False))
    fields: dict[str, Any] = {
        "mode": "sea_lcl",
        "origin_country": "CN",
        "origin_port": "CNSZX",
        "carrier": "COSCO",
        "etd": dt.date(2026, 3, 1),
        "eta": dt.date(2026, 4, 1),
        **header,
    }
    return AsnSpec(
        lines=[LineSpec(sku.code, quantity) for sku, quantity in pairs],
        cartons=[
            CartonSpec(
                number=i + 1,
                contents=[ContentSpec(sku.code, quantity)],
                length_mm=600,
                width_mm=400,
                height_mm=400 * (i + 1),
                gross_weight_g=10_000,
            )
            for i, (sku, quantity) in enumerate(pairs)
        ],
        costs=[
            CostSpec("freight", Money.of("1000.00", "CNY")),
            CostSpec("duty", Money.of("30.00", "EUR")),
        ],
        **fields,
    )


def make_shipment(world: InboundWorld, *, status: str = "draft", **header: Any) -> InboundShipment:
    shipment = inbound_create(
        actor=SYSTEM, seller=world.seller, warehouse=world.warehouse, spec=make_spec(world, **header)
    )
    if status in ("submitted", "in_transit"):
        shipment = inbound_submit(actor=SYSTEM, shipment=shipment)
    if status == "in_transit":
        shipment = inbound_dispatch(actor=SYSTEM, shipment=shipment)
    return shipment


def record_rates(on: dt.date, **rates: str) -> None:
    """FX rates into EUR on ``on``: ``record_rates(day, CNY="0.128")``."""
    from haicang.core.fx import fx_rate_record

    for currency, rate in rates.items():
        fx_rate_record(actor=SYSTEM, base=currency, quote="EUR", on=on, rate=Decimal(rate))


def make_submitted_shipment(seller: Seller, warehouse: Warehouse) -> InboundShipment:
    """A submitted shipment of one new SKU priced in the seller's base currency (no FX rate needed)."""
    sku = make_sku(seller, purchase_cost=Money.of("4.00", seller.base_currency))
    spec = AsnSpec(
        mode="air",
        origin_country="CN",
        lines=[LineSpec(sku.code, 3)],
        costs=[CostSpec("freight", Money.of("9.00", seller.base_currency))],
    )
    shipment = inbound_create(actor=SYSTEM, seller=seller, warehouse=warehouse, spec=spec)
    return inbound_submit(actor=SYSTEM, shipment=shipment)


def make_landed_average(seller: Seller, warehouse: Warehouse) -> Any:
    """The landed-cost average left by receiving one unit of a new shipment."""
    from haicang.inbound.models import LandedCostAverage
    from haicang.inbound.receiving import ReceiptLine, inbound_receive
    from haicang.inbound.services import inbound_arrive

    shipment = inbound_dispatch(actor=SYSTEM, shipment=make_submitted_shipment(seller, warehouse))
    inbound_arrive(actor=SYSTEM, shipment=shipment)
    if not warehouse.locations.filter(kind=LocationKind.RECEIVING).exists():
        make_location(warehouse, code="RCV-01", kind=LocationKind.RECEIVING)
    line = shipment.lines.get()
    inbound_receive(actor=SYSTEM, shipment=shipment, lines=[ReceiptLine(line.sku_id, 1)])
    return LandedCostAverage.objects.get(sku_id=line.sku_id, warehouse=warehouse)
