"""A warehouse with received stock waiting for putaway, and bins to put it into (putaway tests)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from haicang.catalog.models import Sku
from haicang.inbound.receiving import ReceiptLine, inbound_receive
from haicang.inbound.tests.factories import SYSTEM
from haicang.inbound.tests.receiving_factories import ReceivingWorld, make_arrived
from haicang.inventory.models import Balance
from haicang.network.models import Location, LocationKind
from haicang.network.tests.factories import make_location
from haicang.parties.models import Membership
from haicang.parties.tests.factories import make_member

PICK_VOLUME = 5_000_000  # five units of A (100 × 100 × 100 mm)
PICK_WEIGHT = 50_000


@dataclass
class PutawayWorld:
    rw: ReceivingWorld
    staff: Membership
    manager: Membership
    p1: Location  # pick, sequence 10
    p2: Location  # pick, sequence 20
    p3: Location  # pick, sequence 30
    bulk: Location  # bulk, sequence 100, not limited

    @property
    def warehouse(self) -> Any:
        return self.rw.world.warehouse

    @property
    def receiving(self) -> Location:
        return self.rw.world.receiving

    @property
    def a(self) -> Sku:
        return self.rw.a

    @property
    def b(self) -> Sku:
        return self.rw.b

    def receive(self, a: int = 10, b: int = 0) -> None:
        lines = [ReceiptLine(sku.pk, n) for sku, n in ((self.a, a), (self.b, b)) if n]
        inbound_receive(actor=SYSTEM, shipment=self.rw.shipment, lines=lines)

    def at(self, location: Location, sku: Sku | None = None) -> int:
        rows = Balance.objects.filter(location=location, sku=sku or self.a)
        return sum(rows.values_list("quantity", flat=True))


def make_putaway_world() -> PutawayWorld:
    """An arrived shipment (10 × A, 20 × B) of a seller to an operator's warehouse with a receiving area,
    three pick bins for five units of A each (sequences 10, 20, 30) and one bulk bin without limits."""
    rw = make_arrived()
    warehouse = rw.world.warehouse
    pick: dict[str, Any] = {
        "kind": LocationKind.PICK,
        "capacity_volume_mm3": PICK_VOLUME,
        "capacity_weight_g": PICK_WEIGHT,
    }
    return PutawayWorld(
        rw=rw,
        staff=make_member(rw.world.operator, "warehouse_staff"),
        manager=make_member(rw.world.operator, "manager"),
        p1=make_location(warehouse, code="A-01-01-1-1", pick_sequence=10, **pick),
        p2=make_location(warehouse, code="A-01-02-1-1", pick_sequence=20, **pick),
        p3=make_location(warehouse, code="A-01-03-1-1", pick_sequence=30, **pick),
        bulk=make_location(warehouse, code="B-01-01-1-1", kind=LocationKind.BULK, pick_sequence=100),
    )
