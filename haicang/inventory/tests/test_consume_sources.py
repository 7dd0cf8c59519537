"""Consuming a reservation from named bins (the bins the units were picked from), not FIFO over the warehouse."""

import datetime as dt
from typing import Any

import pytest

from haicang.core.audit import audit_entries_for
from haicang.inventory.errors import InsufficientStock, InvalidLocation, InvalidQuantity
from haicang.inventory.models import Balance, Reservation, StockCounter
from haicang.inventory.selectors import stock_levels
from haicang.inventory.services import (
    ConsumeSource,
    DemandLine,
    stock_consume,
    stock_receive,
    stock_reserve,
)
from haicang.inventory.tests.factories import make_stock_world
from haicang.inventory.verify import ledger_verify
from haicang.network.models import LocationKind
from haicang.network.tests.factories import make_location, make_warehouse
from haicang.parties.tests.factories import SYSTEM

pytestmark = pytest.mark.django_db


def levels(world):
    balances = Balance.objects.filter(owner=world.seller, sku=world.sku)
    counters = StockCounter.objects.filter(owner=world.seller, sku=world.sku)
    return stock_levels(balances=balances, counters=counters)[(world.sku.pk, world.warehouse.pk)]


def on_hand(world, location):
    return sum(Balance.objects.filter(owner=world.seller, sku=world.sku, location=location).values_list(
        "quantity", flat=True
    ))  # fmt: skip


def held(world, quantity):
    [reservation] = stock_reserve(
        actor=SYSTEM, owner=world.seller, warehouse=world.warehouse, lines=[DemandLine(world.sku, quantity)],
        demand_type="order", demand_ref="ORD-SRC",
    )  # fmt: skip
    return reservation


def test_consuming_from_named_bins_takes_the_units_there_not_from_the_oldest_layer():
    # given: the oldest units are in pick, but the picker took them from pick2 and bulk
    w = make_stock_world()
    stock_receive(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.pick, quantity=5,
                  effective_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC))  # fmt: skip
    stock_receive(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.pick2, quantity=5,
                  effective_at=dt.datetime(2026, 3, 5, tzinfo=dt.UTC))  # fmt: skip
    stock_receive(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.bulk, quantity=5)
    reservation = held(w, 6)

    # when
    moves = stock_consume(
        actor=SYSTEM,
        reservation=reservation,
        sources=[ConsumeSource(w.pick2, 4), ConsumeSource(w.bulk, 2)],
        document_ref="FR-2026-000001",
    )

    # then
    assert sorted((m.from_location_id, m.quantity) for m in moves) == sorted(
        [(w.pick2.pk, 4), (w.bulk.pk, 2)]
    )
    assert {m.to_location.kind for m in moves} == {LocationKind.CUSTOMER}
    assert {m.document_ref for m in moves} == {"FR-2026-000001"}
    assert (on_hand(w, w.pick), on_hand(w, w.pick2), on_hand(w, w.bulk)) == (5, 1, 3)
    reservation.refresh_from_db()
    assert (reservation.status, reservation.consumed_quantity, reservation.open_quantity) == ("closed", 6, 0)
    lv = levels(w)
    assert (lv.sellable, lv.reserved, lv.available) == (9, 0, 9)
    [entry] = audit_entries_for(subject=reservation).filter(action="stock.consumed")
    assert entry.changes["after"]["bins"] == [w.pick2.code, w.bulk.code]
    assert ledger_verify() == []


def test_consuming_part_of_a_reservation_from_a_bin_leaves_the_rest_held():
    w = make_stock_world()
    stock_receive(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.pick, quantity=5)
    reservation = held(w, 4)

    stock_consume(actor=SYSTEM, reservation=reservation, sources=[ConsumeSource(w.pick, 3)])

    reservation.refresh_from_db()
    assert (reservation.status, reservation.open_quantity, reservation.consumed_quantity) == ("open", 1, 3)
    lv = levels(w)
    assert (lv.sellable, lv.reserved, lv.available) == (2, 1, 1)
    assert ledger_verify() == []


def test_a_named_lot_is_taken_from_that_lot_only():
    w = make_stock_world(track_lot=True)
    stock_receive(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.pick, quantity=3, lot_code="L-OLD",
                  effective_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC))  # fmt: skip
    stock_receive(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.pick, quantity=3, lot_code="L-NEW")
    reservation = held(w, 2)

    [move] = stock_consume(actor=SYSTEM, reservation=reservation, sources=[ConsumeSource(w.pick, 2, "L-NEW")])

    assert (move.lot_code, move.quantity) == ("L-NEW", 2)
    lots = dict(Balance.objects.filter(sku=w.sku, location=w.pick).values_list("lot_code", "quantity"))
    assert lots == {"L-OLD": 3, "L-NEW": 1}
    assert ledger_verify() == []


def test_a_bin_holding_fewer_units_than_named_refuses_and_changes_nothing():
    w = make_stock_world()
    stock_receive(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.pick, quantity=2)
    stock_receive(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.pick2, quantity=5)
    reservation = held(w, 4)

    with pytest.raises(InsufficientStock):
        stock_consume(actor=SYSTEM, reservation=reservation, sources=[ConsumeSource(w.pick, 4)])

    reservation.refresh_from_db()
    assert (reservation.open_quantity, reservation.consumed_quantity) == (4, 0)
    assert (on_hand(w, w.pick), on_hand(w, w.pick2)) == (2, 5)
    assert ledger_verify() == []


@pytest.mark.parametrize(
    ("case", "error"),
    [
        ("quantity_differs", InvalidQuantity),
        ("no_sources", InvalidQuantity),
        ("zero_units", InvalidQuantity),
        ("not_sellable", InvalidLocation),
        ("other_warehouse", InvalidLocation),
    ],
)
def test_sources_that_do_not_describe_the_shipment_are_refused(case, error):
    w = make_stock_world()
    stock_receive(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.pick, quantity=5)
    stock_receive(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.damaged, quantity=5)
    elsewhere = make_location(
        make_warehouse(w.warehouse.operator), code="A-09-01-1-1", kind=LocationKind.PICK
    )
    reservation = held(w, 3)
    cases: dict[str, dict[str, Any]] = {
        "quantity_differs": {"quantity": 3, "sources": [ConsumeSource(w.pick, 2)]},
        "no_sources": {"sources": []},
        "zero_units": {"sources": [ConsumeSource(w.pick, 0)]},
        "not_sellable": {"sources": [ConsumeSource(w.damaged, 3)]},
        "other_warehouse": {"sources": [ConsumeSource(elsewhere, 3)]},
    }
    arguments = cases[case]

    with pytest.raises(error) as caught:
        stock_consume(actor=SYSTEM, reservation=reservation, **arguments)

    assert caught.value.field == "sources"
    assert Reservation.objects.get(pk=reservation.pk).open_quantity == 3
    assert on_hand(w, w.pick) == 5
    assert ledger_verify() == []
