"""The demo's inbound shipments: one at every stage, with landed costs, discrepancies and stock where it
should be."""

from __future__ import annotations

import pytest

from haicang.core.actors import Actor
from haicang.demo.seed import demo_world_seed
from haicang.inbound.costing import shipment_landed_cost
from haicang.inbound.models import InboundShipment
from haicang.inventory.models import Balance

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_shipment_at_every_stage_with_landed_costs_and_a_closed_one_with_discrepancies():
    demo_world_seed(actor=Actor.system("demo"))

    shipments = {s.status: s for s in InboundShipment.objects.select_related("warehouse")}
    assert sorted(shipments) == sorted(["draft", "submitted", "in_transit", "arrived", "receiving", "closed"])
    assert {s.warehouse.code for s in shipments.values()} == {"LAX1", "FRA1", "BHX1"}

    # every dispatched shipment has its landed unit costs, in the seller's base currency
    for status in ("in_transit", "arrived", "receiving", "closed"):
        lines = list(shipments[status].lines.all())
        costs = [line.landed_unit_cost for line in lines]
        assert all(cost is not None and cost.currency == "CNY" for cost in costs), status
        breakdown = shipment_landed_cost(shipments[status])
        assert breakdown is not None
    # freight in USD, CNY, EUR and GBP
    currencies = {
        cost.amount.currency for s in shipments.values() for cost in s.costs.all() if cost.amount is not None
    }
    assert {"USD", "CNY", "EUR", "GBP"} <= currencies

    # at sea: an ETA change kept; partly received: some units still open
    assert shipments["in_transit"].eta_changes.count() == 1
    receiving = shipments["receiving"]
    assert any(line.short_quantity > 0 for line in receiving.lines.all())
    assert any(line.received_quantity > 0 for line in receiving.lines.all())
    # closed: damaged, over and short recorded
    closed = shipments["closed"]
    assert sorted(closed.discrepancies.values_list("kind", flat=True)) == ["damaged", "over", "short"]
    # received stock waits in the receiving location of its warehouse for putaway
    assert Balance.objects.filter(
        location__kind="receiving", location__warehouse=closed.warehouse, quantity__gt=0
    ).exists()


def test_seeding_twice_adds_no_second_set_of_shipments():
    demo_world_seed(actor=Actor.system("demo"))
    count = InboundShipment.objects.count()

    demo_world_seed(actor=Actor.system("demo"))

    assert InboundShipment.objects.count() == count == 6
