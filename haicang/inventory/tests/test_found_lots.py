"""Found units (adjustments, corrections) of lot-tracked SKUs belong to a named lot, recorded like a receipt's."""

import datetime as dt

import pytest

from haicang.inventory.errors import InvalidLot
from haicang.inventory.models import Lot, Reservation
from haicang.inventory.services import (
    DemandLine,
    stock_adjust,
    stock_consume,
    stock_correct,
    stock_receive,
    stock_reserve,
)
from haicang.inventory.tests.factories import make_stock_world
from haicang.inventory.verify import ledger_verify
from haicang.parties.tests.factories import SYSTEM

pytestmark = pytest.mark.django_db

SOON, LATER = dt.date(2027, 1, 31), dt.date(2027, 6, 30)


def test_found_units_of_a_lot_tracked_sku_must_name_their_lot():
    w = make_stock_world(track_lot=True)

    with pytest.raises(InvalidLot, match="name the lot") as caught:
        stock_adjust(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.pick, delta=2, reason="found")

    assert caught.value.field == "lot_code"
    assert ledger_verify() == []


def test_a_new_lot_of_an_expiry_tracked_sku_needs_its_expiry_when_found():
    w = make_stock_world(track_lot=True, track_expiry=True)

    with pytest.raises(InvalidLot, match="expiry") as caught:
        stock_adjust(
            actor=SYSTEM,
            owner=w.seller,
            sku=w.sku,
            location=w.pick,
            delta=2,
            reason="found",
            lot_code="L-NEW",
        )

    assert caught.value.field == "expires_on"
    assert not Lot.objects.filter(code="L-NEW").exists()


def test_a_lot_found_in_a_correction_is_recorded_with_its_expiry_and_picked_first_by_fefo():
    # given a lot received with a late expiry, and a lot never received found by a correction with an early one
    w = make_stock_world(track_lot=True, track_expiry=True)
    stock_receive(
        actor=SYSTEM,
        owner=w.seller,
        sku=w.sku,
        location=w.pick,
        quantity=3,
        lot_code="L-LATE",
        expires_on=LATER,
    )
    stock_correct(
        actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.pick2, expected=0, counted=2, reason="recount",
        lot_code="L-SOON", expires_on=SOON,
    )  # fmt: skip

    # when two units are reserved and shipped
    [reservation] = stock_reserve(
        actor=SYSTEM, owner=w.seller, warehouse=w.warehouse, lines=[DemandLine(w.sku, 2)],
        demand_type="order", demand_ref="ORD-FEFO",
    )  # fmt: skip
    moves = stock_consume(actor=SYSTEM, reservation=Reservation.objects.get(pk=reservation.pk))

    # then the found lot was recorded with its expiry and ships first
    assert Lot.objects.get(sku=w.sku, code="L-SOON").expires_on == SOON
    assert {(m.lot_code, m.quantity) for m in moves} == {("L-SOON", 2)}
    assert ledger_verify() == []


def test_a_lot_on_a_sku_without_lots_is_refused():
    w = make_stock_world()

    with pytest.raises(InvalidLot, match="not lot-tracked"):
        stock_adjust(
            actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.pick, delta=1, reason="found", lot_code="L-1"
        )
