"""Two people receiving one shipment at the same moment, on the real database, each in its own connection."""

from __future__ import annotations

import pytest
from django.utils import timezone

from haicang.inbound.errors import OverReceipt
from haicang.inbound.models import LandedCostAverage
from haicang.inbound.receiving import ReceiptLine, inbound_receive
from haicang.inbound.services import inbound_arrive
from haicang.inbound.tests.factories import SYSTEM, make_inbound_world, make_shipment, record_rates
from haicang.inventory.models import Balance
from haicang.inventory.tests.test_concurrency import run_together
from haicang.inventory.verify import ledger_verify
from haicang.network.models import LocationKind

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(240)]


def _receiver(shipment, sku_code: str, quantity: int):
    def work() -> str:
        try:
            inbound_receive(actor=SYSTEM, shipment=shipment, lines=[ReceiptLine(sku_code, quantity)])
        except OverReceipt:
            return "over"
        return "received"

    return work


def _units(world, kind: str, sku) -> int:
    rows = Balance.objects.filter(sku=sku, location__warehouse=world.warehouse, location__kind=kind)
    return sum(rows.values_list("quantity", flat=True))


def test_two_receivers_of_the_last_units_never_take_more_than_was_shipped():
    # given 10 units of A arrived
    world = make_inbound_world()
    record_rates(timezone.localdate(), CNY="0.125")
    shipment = make_shipment(world, status="in_transit")
    inbound_arrive(actor=SYSTEM, shipment=shipment)
    a = world.skus[0]
    # when two people each receive 6 at once, and then two others 2 each
    first = run_together([_receiver(shipment, a.code, 6), _receiver(shipment, a.code, 6)])
    second = run_together([_receiver(shipment, a.code, 2), _receiver(shipment, a.code, 2)])
    # then one of the first pair was refused, both of the second pair passed
    assert first == {"received": 1, "over": 1}
    assert second == {"received": 2}
    line = shipment.lines.get(sku=a)
    assert line.received_quantity == 10
    assert _units(world, LocationKind.RECEIVING, a) == 10
    assert _units(world, LocationKind.IN_TRANSIT, a) == 0
    assert LandedCostAverage.objects.get(sku=a).units_received == 10
    assert ledger_verify() == []
