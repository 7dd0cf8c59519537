"""A first-leg shipment's units in transit: dispatched without a lot, received into the lot named at receipt
with the receipt date as their layer date, cleared back to the supplier or to inventory loss."""

import datetime as dt

import pytest
from django.utils import timezone

from haicang.inventory.errors import InsufficientStock, InvalidLot
from haicang.inventory.models import Balance, Lot, Move
from haicang.inventory.services import (
    DemandLine,
    stock_in_transit_clear,
    stock_inbound_dispatch,
    stock_inbound_receive,
    stock_receive,
    stock_transfer_dispatch,
)
from haicang.inventory.tests.factories import make_stock_world
from haicang.inventory.verify import ledger_verify
from haicang.network.models import LocationKind
from haicang.network.tests.factories import make_warehouse
from haicang.parties.tests.factories import SYSTEM

pytestmark = pytest.mark.django_db

EXPIRES = dt.date(2027, 6, 30)


def _dispatch(w, quantity: int = 10, *, days_ago: int = 30) -> None:
    stock_inbound_dispatch(
        actor=SYSTEM,
        owner=w.seller,
        warehouse=w.warehouse,
        lines=[DemandLine(w.sku, quantity)],
        document_ref="ASN-2026-000001",
        effective_at=timezone.now() - dt.timedelta(days=days_ago),
    )


def _in_transit(w) -> list[tuple[str, int]]:
    rows = Balance.objects.filter(
        owner=w.seller, sku=w.sku, location__kind=LocationKind.IN_TRANSIT, quantity__gt=0
    )
    return sorted(rows.values_list("lot_code", "quantity"))


def _layers(w, location) -> list[tuple[str, dt.date, int]]:
    rows = Balance.objects.filter(owner=w.seller, sku=w.sku, location=location, quantity__gt=0)
    return sorted(rows.values_list("lot_code", "received_on", "quantity"))


def test_a_lot_tracked_sku_dispatched_without_a_lot_is_received_into_the_lot_named_at_receipt():
    # given 10 units of a lot-tracked SKU dispatched 30 days ago (in transit without a lot)
    w = make_stock_world(track_lot=True)
    _dispatch(w)
    assert _in_transit(w) == [("", 10)]

    # when 6 units are received as lot L-1
    stock_inbound_receive(
        actor=SYSTEM,
        owner=w.seller,
        sku=w.sku,
        location=w.receiving,
        quantity=6,
        lot_code="L-1",
        document_ref="ASN-2026-000001",
    )

    # then they sit in the receiving location in lot L-1, dated today; 4 lot-less units are still in transit
    assert _layers(w, w.receiving) == [("L-1", timezone.localdate(), 6)]
    assert _in_transit(w) == [("", 4)]
    assert Lot.objects.filter(sku=w.sku, code="L-1").exists()
    assert ledger_verify() == []


def test_received_units_age_from_their_receipt_not_from_their_dispatch():
    # given units of a plain SKU dispatched 30 days ago
    w = make_stock_world()
    _dispatch(w, days_ago=30)

    # when they are received today
    moves = stock_inbound_receive(
        actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.receiving, quantity=10, document_ref="ASN-1"
    )

    # then the receipt layer is dated today, the dispatch's supplier layer is back to zero, nothing in transit
    today = timezone.localdate()
    assert _layers(w, w.receiving) == [("", today, 10)]
    assert _in_transit(w) == []
    supplier = Balance.objects.filter(owner=w.seller, sku=w.sku, location__kind=LocationKind.SUPPLIER)
    assert sorted(supplier.exclude(quantity=0).values_list("received_on", "quantity")) == [(today, -10)]
    assert [(m.from_location.kind, m.to_location.kind, m.received_on) for m in moves] == [
        (LocationKind.IN_TRANSIT, LocationKind.SUPPLIER, today - dt.timedelta(days=30)),
        (LocationKind.SUPPLIER, LocationKind.RECEIVING, today),
    ]
    assert {m.document_type for m in moves} == {"inbound"}
    assert ledger_verify() == []


def test_a_lot_tracked_sku_received_without_a_lot_is_refused_and_stays_in_transit():
    w = make_stock_world(track_lot=True)
    _dispatch(w)

    with pytest.raises(InvalidLot, match="name the lot") as caught:
        stock_inbound_receive(
            actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.receiving, quantity=1, document_ref="ASN-1"
        )

    assert caught.value.field == "lot_code"
    assert _in_transit(w) == [("", 10)]
    assert _layers(w, w.receiving) == []


def test_a_new_lot_of_an_expiry_tracked_sku_needs_its_expiry_and_a_known_lot_keeps_its_own():
    # given an expiry-tracked SKU in transit
    w = make_stock_world(track_lot=True, track_expiry=True)
    _dispatch(w)

    # when a new lot is named without its expiry, then it is refused
    with pytest.raises(InvalidLot, match="expiry") as caught:
        stock_inbound_receive(
            actor=SYSTEM,
            owner=w.seller,
            sku=w.sku,
            location=w.receiving,
            quantity=2,
            lot_code="L-NEW",
            document_ref="ASN-1",
        )
    assert caught.value.field == "expires_on"
    assert not Lot.objects.filter(code="L-NEW").exists()

    # when it is named with its expiry, then the lot is recorded with it
    stock_inbound_receive(
        actor=SYSTEM,
        owner=w.seller,
        sku=w.sku,
        location=w.receiving,
        quantity=2,
        lot_code="L-NEW",
        expires_on=EXPIRES,
        document_ref="ASN-1",
    )
    assert Lot.objects.get(sku=w.sku, code="L-NEW").expires_on == EXPIRES

    # and a second receipt of the same lot needs no expiry, but a different one is refused
    stock_inbound_receive(
        actor=SYSTEM,
        owner=w.seller,
        sku=w.sku,
        location=w.receiving,
        quantity=3,
        lot_code="L-NEW",
        document_ref="ASN-1",
    )
    with pytest.raises(InvalidLot, match="expires on"):
        stock_inbound_receive(
            actor=SYSTEM,
            owner=w.seller,
            sku=w.sku,
            location=w.receiving,
            quantity=1,
            lot_code="L-NEW",
            expires_on=dt.date(2028, 1, 1),
            document_ref="ASN-1",
        )
    assert _layers(w, w.receiving) == [("L-NEW", timezone.localdate(), 5)]
    assert _in_transit(w) == [("", 5)]
    assert ledger_verify() == []


def test_a_lot_for_a_sku_that_is_not_lot_tracked_is_refused():
    w = make_stock_world()
    _dispatch(w)

    with pytest.raises(InvalidLot, match="not lot-tracked"):
        stock_inbound_receive(
            actor=SYSTEM,
            owner=w.seller,
            sku=w.sku,
            location=w.receiving,
            quantity=1,
            lot_code="L-1",
            document_ref="ASN-1",
        )

    assert _in_transit(w) == [("", 10)]


def test_more_than_is_in_transit_cannot_be_received():
    w = make_stock_world(track_lot=True)
    _dispatch(w, quantity=3)

    with pytest.raises(InsufficientStock):
        stock_inbound_receive(
            actor=SYSTEM,
            owner=w.seller,
            sku=w.sku,
            location=w.receiving,
            quantity=4,
            lot_code="L-1",
            document_ref="ASN-1",
        )

    assert _in_transit(w) == [("", 3)]
    assert not Move.objects.filter(document_ref="ASN-1", to_location=w.receiving).exists()


def test_clearing_a_shipment_from_transit_takes_only_lot_less_units_never_a_transfers_lot():
    # given a lot-tracked SKU: lot T-1 on its way from another warehouse, and 10 units of a shipment
    w = make_stock_world(track_lot=True)
    other = make_stock_world(seller=w.seller, warehouse=make_warehouse(w.warehouse.operator))
    stock_receive(
        actor=SYSTEM,
        owner=w.seller,
        sku=w.sku,
        location=other.pick,
        quantity=5,
        lot_code="T-1",
        effective_at=timezone.now() - dt.timedelta(days=90),
    )
    stock_transfer_dispatch(
        actor=SYSTEM,
        owner=w.seller,
        sku=w.sku,
        from_warehouse=other.warehouse,
        to_warehouse=w.warehouse,
        quantity=5,
    )
    _dispatch(w, days_ago=30)  # newer than the transfer's layer: FIFO alone would take the transfer's first
    assert _in_transit(w) == [("", 10), ("T-1", 5)]

    # when the shipment is cancelled (its units go back to the supplier)
    stock_in_transit_clear(
        actor=SYSTEM,
        owner=w.seller,
        warehouse=w.warehouse,
        lines=[DemandLine(w.sku, 10)],
        to_kind=LocationKind.SUPPLIER,
        reason="ASN-2026-000001 cancelled",
        document_ref="ASN-2026-000001",
    )

    # then only the transfer's lot is still on its way
    assert _in_transit(w) == [("T-1", 5)]
    assert ledger_verify() == []
