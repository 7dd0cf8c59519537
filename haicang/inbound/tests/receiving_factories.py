"""Shipments ready to be received, for the receiving tests (services, API, pages, browser)."""

from __future__ import annotations

from dataclasses import dataclass

from haicang.catalog.models import Sku
from haicang.catalog.services import barcode_add
from haicang.catalog.tests.factories import make_sku
from haicang.inbound.models import InboundShipment
from haicang.inbound.services import inbound_arrive
from haicang.inbound.tests.factories import SYSTEM, InboundWorld, make_inbound_world, make_shipment
from haicang.inventory.models import Balance


@dataclass
class ReceivingWorld:
    world: InboundWorld
    shipment: InboundShipment
    a: Sku  # 10 expected, carton 1, barcode 4006381333931
    b: Sku  # 20 expected, carton 2

    def at(self, kind: str, sku: Sku) -> int:
        rows = Balance.objects.filter(
            owner=self.world.seller, sku=sku, location__warehouse=self.world.warehouse, location__kind=kind
        )
        return sum(rows.values_list("quantity", flat=True))

    def line(self, sku: Sku):
        return self.shipment.lines.get(sku=sku)


def make_arrived(*, barcode: str = "4006381333931") -> ReceivingWorld:
    """An arrived shipment of two SKUs: 10 × A in carton 1 (A carries ``barcode``), 20 × B in carton 2."""
    world = make_inbound_world()
    barcode_add(actor=SYSTEM, sku=world.skus[0], value=barcode)
    shipment = make_shipment(world, status="in_transit")
    shipment = inbound_arrive(actor=SYSTEM, shipment=shipment)
    return ReceivingWorld(world=world, shipment=shipment, a=world.skus[0], b=world.skus[1])


def make_stray_sku(rw: ReceivingWorld) -> Sku:
    """A SKU of the seller that is not on the shipment."""
    return make_sku(rw.world.seller, code="STRAY-01")


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def make_receiving_scan(seller, warehouse):
    """A scan kept rejected on a submitted (not yet arrived) shipment (for the route walk)."""
    from haicang.inbound.scanning import receiving_scan_record
    from haicang.inbound.tests.factories import make_submitted_shipment

    shipment = make_submitted_shipment(seller, warehouse)
    return receiving_scan_record(actor=SYSTEM, shipment=shipment, raw="NOT-YET")


def make_discrepancy(seller, warehouse):
    """A damaged unit of an arrived shipment, recorded with a photo (for the route walk)."""
    from haicang.inbound.discrepancies import Photo, discrepancy_record
    from haicang.inbound.services import inbound_dispatch
    from haicang.inbound.tests.factories import make_submitted_shipment
    from haicang.network.models import LocationKind
    from haicang.network.tests.factories import make_location

    shipment = inbound_dispatch(actor=SYSTEM, shipment=make_submitted_shipment(seller, warehouse))
    shipment = inbound_arrive(actor=SYSTEM, shipment=shipment)
    if not warehouse.locations.filter(kind=LocationKind.DAMAGED).exists():
        make_location(warehouse, code="DMG-01", kind=LocationKind.DAMAGED)
    line = shipment.lines.select_related("sku").get()
    return discrepancy_record(
        actor=SYSTEM, shipment=shipment, kind="damaged", sku=line.sku, quantity=1, photo=Photo(PNG)
    )
