"""A small warehouse floor with stock, a carrier with a pick-up schedule and fulfillment requests, for the
outbound, wave and picking tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from haicang.catalog.models import Sku
from haicang.catalog.tests.factories import make_sku
from haicang.channels.models import ChannelAccount
from haicang.channels.tests.factories import make_channel_account, make_sku_map
from haicang.fulfillment.models import PickupSchedule
from haicang.inventory.services import stock_receive
from haicang.network.models import Carrier, CarrierService, Location, LocationKind, Warehouse
from haicang.network.services import location_create
from haicang.network.services.virtual import virtual_locations_ensure
from haicang.network.tests.carrier_factories import flat_zone, make_card, make_carrier, make_service
from haicang.network.tests.factories import make_bins, make_warehouse
from haicang.orders.fulfilment import fulfilment_request_accept, fulfilment_request_create
from haicang.orders.models_fulfilment import FulfillmentRequest
from haicang.orders.tests.factories import SYSTEM, line, make_order
from haicang.parties.models import Operator, Seller
from haicang.parties.tests.factories import make_agreement, make_operator, make_seller

# A Monday morning at the Californian warehouse (UTC): 08:00 local time, pick-ups at 16:00.
MONDAY_8 = dt.datetime(2026, 3, 2, 16, 0, tzinfo=dt.UTC)


@dataclass
class Floor:
    operator: Operator
    seller: Seller
    warehouse: Warehouse
    account: ChannelAccount
    carrier: Carrier
    ground: CarrierService
    express: CarrierService
    bins: dict[str, Location]
    skus: dict[str, Sku] = field(default_factory=dict)

    def bin(self, code: str) -> Location:
        return self.bins[code]

    def sku(self, code: str, *, barcode: str | None = None, **fields: Any) -> Sku:
        fields.setdefault("weight_g", 400)
        fields.setdefault("length_mm", 300)
        fields.setdefault("width_mm", 200)
        fields.setdefault("height_mm", 50)
        made = make_sku(self.seller, code=code, barcodes=[barcode] if barcode else [], **fields)
        make_sku_map(self.account, channel_sku=f"CH-{code}", sku=made)
        self.skus[code] = made
        return made

    def receive(self, sku: Sku, bin_code: str, quantity: int, **kw: Any) -> None:
        stock_receive(
            actor=SYSTEM, owner=self.seller, sku=sku, location=self.bins[bin_code], quantity=quantity, **kw
        )

    def request(
        self, *lines: tuple[Sku, int], accept: bool = True, service_level: str = "Standard", **overrides: Any
    ) -> FulfillmentRequest:
        """A request of a new order for ``lines``; accepted through the orders service unless ``accept=False``."""
        order = make_order(
            self.account,
            lines=tuple(
                line(f"CH-{sku.code}", quantity, channel_line_id=f"L{n}")
                for n, (sku, quantity) in enumerate(lines)
            ),
            service_level=service_level,
            **overrides,
        )
        request = fulfilment_request_create(actor=SYSTEM, order=order, warehouse=self.warehouse, now=MONDAY_8)
        if accept:
            request = fulfilment_request_accept(actor=SYSTEM, request=request)
        return request


def make_floor(*, pickup: dt.time | None = dt.time(16, 0)) -> Floor:
    """A US operator's warehouse: zone A (3 aisles × 4 racks × 2 positions, one level) with coordinates, a dock
    at the front, a carrier with a ground and an express service to the US (pick-up 16:00 on weekdays), and a
    US seller under an active agreement."""
    operator = make_operator(currency="USD", country="US")
    seller = make_seller(currency="USD", country="US")
    virtual_locations_ensure(actor=SYSTEM)
    warehouse = make_warehouse(operator, code="LAX9", country="US", markets=["US"])
    make_bins(warehouse, zone="A", aisles=(1, 3), racks=(1, 4), levels=(1, 1), positions=(1, 2))
    make_bins(warehouse, zone="B", aisles=(1, 1), racks=(1, 2), levels=(1, 1), positions=(1, 1))
    location_create(
        actor=SYSTEM,
        warehouse=warehouse,
        code="DOCK-01",
        kind=LocationKind.DOCK,
        x_m=Decimal("0"),
        y_m=Decimal("-3"),
    )
    bins = {loc.code: loc for loc in Location.objects.filter(warehouse=warehouse)}
    carrier = make_carrier(operator, code="CPX")
    ground = make_service(
        carrier, warehouses=[warehouse], countries=("US",), code="CPX-GROUND", transit_days_default=4
    )
    make_card(
        ground,
        currency="USD",
        zones=[flat_zone("US", "US", [(5000, "4.10"), (30000, "19.00")], "USD", transit_days=4)],
    )
    express = make_service(
        carrier,
        warehouses=[warehouse],
        countries=("US",),
        code="CPX-EXPRESS",
        service_level="express",
        transit_days_default=1,
    )
    make_card(
        express,
        currency="USD",
        zones=[flat_zone("US", "US", [(5000, "12.50"), (30000, "45.00")], "USD", transit_days=1)],
    )
    if pickup is not None:
        PickupSchedule.objects.create(
            warehouse=warehouse, carrier=carrier, pickup_time=pickup, weekdays=[1, 2, 3, 4, 5]
        )
    make_agreement(seller, operator, warehouses=[warehouse])
    account = make_channel_account(seller, platform="shopify", name="Lumen US", currency="USD")
    return Floor(operator, seller, warehouse, account, carrier, ground, express, bins)
