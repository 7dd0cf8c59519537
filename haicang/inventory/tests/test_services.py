import datetime as dt

import pytest

from haicang.inventory.errors import InsufficientStock, InvalidOwner, StaleCorrection
from haicang.inventory.models import Balance, Move, StockCounter
from haicang.inventory.selectors import stock_levels
from haicang.inventory.services import (
    DemandLine,
    stock_adjust,
    stock_consume,
    stock_correct,
    stock_move,
    stock_receive,
    stock_release,
    stock_reserve,
    stock_transfer_dispatch,
    stock_transfer_receive,
)
from haicang.inventory.tests.factories import make_stock_world
from haicang.inventory.verify import balances_rebuild, ledger_verify
from haicang.network.tests.factories import make_warehouse
from haicang.parties.tests.factories import SYSTEM, make_seller

pytestmark = pytest.mark.django_db


def levels(world):
    balances = Balance.objects.filter(owner=world.seller, sku=world.sku)
    counters = StockCounter.objects.filter(owner=world.seller, sku=world.sku)
    return stock_levels(balances=balances, counters=counters)[(world.sku.pk, world.warehouse.pk)]


def test_received_stock_in_pick_bins_is_sellable_and_the_ledger_balances():
    w = make_stock_world()

    stock_receive(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.pick, quantity=10)
    stock_receive(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.receiving, quantity=4)

    lv = levels(w)
    assert (lv.sellable, lv.receiving, lv.on_hand, lv.available) == (10, 4, 14, 10)
    assert ledger_verify() == []


def test_reserving_more_than_sellable_is_refused_and_changes_nothing():
    w = make_stock_world()
    stock_receive(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.pick, quantity=3)
    stock_receive(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.damaged, quantity=5)

    with pytest.raises(InsufficientStock) as caught:
        stock_reserve(
            actor=SYSTEM,
            owner=w.seller,
            warehouse=w.warehouse,
            lines=[DemandLine(w.sku, 4)],
            demand_type="order",
            demand_ref="ORD-1",
        )

    assert caught.value.code == "stock.insufficient"
    assert levels(w).available == 3
    assert ledger_verify() == []


def test_two_lines_of_one_sku_are_summed_before_the_check():
    w = make_stock_world()
    stock_receive(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.pick, quantity=5)

    with pytest.raises(InsufficientStock):
        stock_reserve(
            actor=SYSTEM, owner=w.seller, warehouse=w.warehouse,
            lines=[DemandLine(w.sku, 3), DemandLine(w.sku, 3)], demand_type="order", demand_ref="ORD-2",
        )  # fmt: skip
    reservations = stock_reserve(
        actor=SYSTEM, owner=w.seller, warehouse=w.warehouse,
        lines=[DemandLine(w.sku, 2), DemandLine(w.sku, 3)], demand_type="order", demand_ref="ORD-3",
    )  # fmt: skip
    assert [r.quantity for r in reservations] == [5]
    assert levels(w).available == 0


def test_consuming_ships_fifo_from_the_oldest_layer_and_releases_the_hold():
    w = make_stock_world()
    stock_receive(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.pick, quantity=4,
                  effective_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC))  # fmt: skip
    stock_receive(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.pick2, quantity=4,
                  effective_at=dt.datetime(2026, 3, 5, tzinfo=dt.UTC))  # fmt: skip
    [held] = stock_reserve(actor=SYSTEM, owner=w.seller, warehouse=w.warehouse, lines=[DemandLine(w.sku, 6)],
                           demand_type="order", demand_ref="ORD-4")  # fmt: skip

    moves = stock_consume(actor=SYSTEM, reservation=held)

    assert [(m.from_location_id, m.quantity, m.received_on) for m in moves] == [
        (w.pick.pk, 4, dt.date(2026, 1, 5)),
        (w.pick2.pk, 2, dt.date(2026, 3, 5)),
    ]
    lv = levels(w)
    assert (lv.sellable, lv.reserved, lv.available) == (2, 0, 2)
    held.refresh_from_db()
    assert (held.status, held.consumed_quantity) == ("closed", 6)
    assert ledger_verify() == []


def test_stock_held_for_orders_cannot_be_moved_out_of_sellable_bins():
    w = make_stock_world()
    stock_receive(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.pick, quantity=5)
    stock_reserve(actor=SYSTEM, owner=w.seller, warehouse=w.warehouse, lines=[DemandLine(w.sku, 4)],
                  demand_type="order", demand_ref="ORD-5")  # fmt: skip

    with pytest.raises(InsufficientStock):
        stock_move(
            actor=SYSTEM, owner=w.seller, sku=w.sku, from_location=w.pick, to_location=w.damaged, quantity=2
        )
    stock_move(
        actor=SYSTEM, owner=w.seller, sku=w.sku, from_location=w.pick, to_location=w.damaged, quantity=1
    )
    stock_move(actor=SYSTEM, owner=w.seller, sku=w.sku, from_location=w.pick, to_location=w.bulk, quantity=4)

    lv = levels(w)
    assert (lv.sellable, lv.damaged, lv.reserved) == (4, 1, 4)
    assert ledger_verify() == []


def test_release_gives_units_back_once():
    w = make_stock_world()
    stock_receive(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.pick, quantity=5)
    [held] = stock_reserve(actor=SYSTEM, owner=w.seller, warehouse=w.warehouse, lines=[DemandLine(w.sku, 5)],
                           demand_type="order", demand_ref="ORD-6")  # fmt: skip

    stock_release(actor=SYSTEM, reservation=held, quantity=2)
    stock_release(actor=SYSTEM, reservation=held)

    assert levels(w).available == 5
    with pytest.raises(Exception, match="holds nothing"):
        stock_release(actor=SYSTEM, reservation=held)
    assert ledger_verify() == []


def test_a_correction_is_compare_and_set():
    w = make_stock_world()
    stock_receive(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.pick, quantity=10)

    with pytest.raises(StaleCorrection) as caught:
        stock_correct(
            actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.pick, expected=9, counted=7, reason="count"
        )
    assert caught.value.field == "expected"
    moves = stock_correct(
        actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.pick, expected=10, counted=7, reason="count"
    )

    assert [(m.document_type, m.quantity, m.reason) for m in moves] == [("correction", 3, "count")]
    assert levels(w).sellable == 7
    assert ledger_verify() == []


def test_adjustments_need_a_reason_and_go_against_inventory_loss():
    w = make_stock_world()
    stock_adjust(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.bulk, delta=6, reason="found in aisle 3")
    stock_adjust(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.bulk, delta=-2, reason="water damage")

    assert levels(w).sellable == 4
    with pytest.raises(InsufficientStock):
        stock_adjust(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.bulk, delta=-5, reason="lost")
    assert ledger_verify() == []


def test_a_transfer_passes_through_in_transit_to_the_destination_keeping_its_receipt_date():
    w = make_stock_world()
    there = make_warehouse(w.warehouse.operator)
    far = make_stock_world(seller=w.seller, warehouse=there)
    stock_receive(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.pick, quantity=8,
                  effective_at=dt.datetime(2026, 2, 1, tzinfo=dt.UTC))  # fmt: skip

    stock_transfer_dispatch(
        actor=SYSTEM, owner=w.seller, sku=w.sku, from_warehouse=w.warehouse, to_warehouse=there, quantity=5
    )
    mid = stock_levels(
        balances=Balance.objects.filter(sku=w.sku), counters=StockCounter.objects.filter(sku=w.sku)
    )
    assert mid[(w.sku.pk, there.pk)].in_transit == 5
    assert mid[(w.sku.pk, w.warehouse.pk)].sellable == 3

    [arrived] = stock_transfer_receive(actor=SYSTEM, owner=w.seller, sku=w.sku, location=far.pick, quantity=5)

    assert arrived.received_on == dt.date(2026, 2, 1)
    assert ledger_verify() == []


def test_stock_of_another_seller_is_refused():
    w = make_stock_world()
    with pytest.raises(InvalidOwner):
        stock_receive(actor=SYSTEM, owner=make_seller(), sku=w.sku, location=w.pick, quantity=1)


def test_verify_finds_a_tampered_balance_and_rebuild_mends_it():
    w = make_stock_world()
    stock_receive(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.pick, quantity=10)
    Balance.objects.filter(location=w.pick).update(quantity=12)
    StockCounter.objects.filter(sku=w.sku).update(sellable=12)

    found = {p.invariant for p in ledger_verify()}
    assert {"conservation", "balances = moves"} <= found

    balances_rebuild()
    assert ledger_verify() == []
    assert levels(w).sellable == 10
    assert Move.objects.count() == 1
