"""Reserving for many demands at once: the same holds as one ``stock_reserve`` per demand, each counter updated
once, all or nothing."""

from __future__ import annotations

import pytest

from haicang.catalog.tests.factories import make_sku
from haicang.core.models.audit import AuditEntry
from haicang.integration.models import OutboxEvent
from haicang.inventory.errors import InsufficientStock
from haicang.inventory.models import Reservation, StockCounter
from haicang.inventory.services import Demand, DemandLine, stock_receive, stock_reserve_many
from haicang.inventory.tests.factories import make_stock_world
from haicang.inventory.verify import ledger_verify
from haicang.network.tests.factories import make_location, make_warehouse
from haicang.parties.tests.factories import SYSTEM

pytestmark = pytest.mark.django_db


def _world():
    w = make_stock_world()
    other_sku = make_sku(w.seller)
    second = make_warehouse(w.warehouse.operator)
    second_pick = make_location(second, code="A-09-01-1-1")
    stock_receive(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.pick, quantity=10)
    stock_receive(actor=SYSTEM, owner=w.seller, sku=other_sku, location=w.pick, quantity=5)
    stock_receive(actor=SYSTEM, owner=w.seller, sku=w.sku, location=second_pick, quantity=3)
    return w, other_sku, second


def _reserved(seller, sku, warehouse) -> int:
    return StockCounter.objects.get(owner=seller, sku=sku, warehouse=warehouse).reserved


def test_each_demand_gets_its_reservations_and_each_counter_moves_once():
    # given stock of two SKUs at one warehouse and of one at another
    w, other_sku, second = _world()
    events_before = OutboxEvent.objects.count()
    versions = dict(StockCounter.objects.values_list("pk", "version"))

    # when three orders reserve at once (two lines of one SKU in the first are summed)
    made = stock_reserve_many(
        actor=SYSTEM,
        owner=w.seller,
        demands=[
            Demand(
                w.warehouse,
                [DemandLine(w.sku, 2), DemandLine(w.sku, 1), DemandLine(other_sku, 4)],
                "order",
                "A",
            ),
            Demand(w.warehouse, [DemandLine(w.sku, 5)], "order", "B"),
            Demand(second, [DemandLine(w.sku, 3)], "order", "C"),
        ],
    )

    # then each order holds its units per SKU, as stock_reserve would have made them
    assert [[(r.sku_id, r.quantity, r.demand_ref) for r in held] for held in made] == [
        sorted([(w.sku.pk, 3, "A"), (other_sku.pk, 4, "A")], key=lambda t: str(t[0])),
        [(w.sku.pk, 5, "B")],
        [(w.sku.pk, 3, "C")],
    ]
    assert Reservation.objects.count() == 4
    assert AuditEntry.objects.filter(action="stock.reserved").count() == 4
    assert (_reserved(w.seller, w.sku, w.warehouse), _reserved(w.seller, other_sku, w.warehouse)) == (8, 4)
    assert _reserved(w.seller, w.sku, second) == 3
    # one event per counter, each carrying the counter's new version (one step up)
    events = OutboxEvent.objects.filter(event_type="stock.available_changed").order_by("id")[events_before:]
    assert events.count() == 3
    for counter in StockCounter.objects.all():
        assert counter.version == versions[counter.pk] + 1
    assert ledger_verify() == []


def test_one_short_sku_refuses_everything():
    w, _, second = _world()

    with pytest.raises(InsufficientStock) as refused:
        stock_reserve_many(
            actor=SYSTEM,
            owner=w.seller,
            demands=[
                Demand(w.warehouse, [DemandLine(w.sku, 2)], "order", "A"),
                Demand(second, [DemandLine(w.sku, 2)], "order", "B"),
                Demand(second, [DemandLine(w.sku, 2)], "order", "C"),  # 4 of the 3 at the second warehouse
            ],
        )

    assert refused.value.context["warehouse"] == second.code
    assert not Reservation.objects.exists()
    assert not StockCounter.objects.filter(reserved__gt=0).exists()
    assert ledger_verify() == []
