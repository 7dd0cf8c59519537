"""``stock.available_changed``: one event per change of available-to-sell, versioned by the stock counter."""

import pytest

from haicang.core.models import AuditEntry
from haicang.integration.models import OutboxEvent
from haicang.inventory.errors import InsufficientStock
from haicang.inventory.models import Reservation, StockCounter
from haicang.inventory.services import DemandLine, stock_consume, stock_receive, stock_release, stock_reserve
from haicang.inventory.tests.factories import make_stock_world
from haicang.inventory.verify import balances_rebuild, ledger_verify
from haicang.parties.tests.factories import SYSTEM

pytestmark = pytest.mark.django_db


def _events(w):
    return list(
        OutboxEvent.objects.filter(
            event_type="stock.available_changed", subject_id=f"{w.sku.pk}:{w.warehouse.pk}"
        ).order_by("subject_version")
    )


def _reserve(w, quantity, ref):
    return stock_reserve(
        actor=SYSTEM, owner=w.seller, warehouse=w.warehouse, lines=[DemandLine(w.sku, quantity)],
        demand_type="order", demand_ref=ref,
    )  # fmt: skip


def test_every_change_of_available_announces_the_counters_version_in_order():
    # given stock received into a pick bin
    w = make_stock_world()
    stock_receive(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.pick, quantity=10)

    # when units are reserved, released and the rest reserved and shipped
    first = _reserve(w, 3, "ORD-1")[0]
    stock_release(actor=SYSTEM, reservation=first)
    second = _reserve(w, 4, "ORD-2")[0]
    stock_consume(actor=SYSTEM, reservation=second)

    # then each change of available was announced once, for seller and operator, with growing versions that
    # end at the counter's own version (shipping reserved units leaves available as it was: no event)
    events = _events(w)
    assert [e.subject_version for e in events] == [1, 2, 3, 4]
    assert {(e.seller_id, e.operator_id) for e in events} == {(w.seller.pk, w.warehouse.operator_id)}
    counter = StockCounter.objects.get(owner=w.seller, sku=w.sku, warehouse=w.warehouse)
    assert counter.version == 5
    assert ledger_verify() == []


def test_a_reservation_writes_its_row_its_event_and_its_audit_entry_together():
    w = make_stock_world()
    stock_receive(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.pick, quantity=2)

    (reservation,) = _reserve(w, 2, "ORD-3")

    stored = Reservation.objects.get(pk=reservation.pk)
    assert (stored.quantity, stored.open_quantity, stored.demand_ref) == (2, 2, "ORD-3")
    entry = AuditEntry.objects.get(subject_id=str(reservation.pk))
    assert entry.action == "stock.reserved"
    assert entry.changes["after"] == {"sku": w.sku.code, "warehouse": w.warehouse.code, "quantity": 2}
    assert len(_events(w)) == 2  # the receipt and the reservation


def test_a_refused_reservation_leaves_no_event_and_no_version_behind():
    w = make_stock_world()
    stock_receive(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.pick, quantity=1)

    with pytest.raises(InsufficientStock, match="fewer than 2"):
        _reserve(w, 2, "ORD-4")

    assert len(_events(w)) == 1
    assert StockCounter.objects.get(sku=w.sku).version == 1
    assert not Reservation.objects.exists()


def test_rebuilding_balances_keeps_the_counters_versions():
    # given a counter that has moved on to version 2
    w = make_stock_world()
    stock_receive(actor=SYSTEM, owner=w.seller, sku=w.sku, location=w.pick, quantity=5)
    _reserve(w, 1, "ORD-5")

    # when the caches are rebuilt from the moves
    balances_rebuild()

    # then the counter is right and still at its version, so the next event is not older than the last one
    counter = StockCounter.objects.get(sku=w.sku)
    assert (counter.sellable, counter.reserved, counter.version) == (5, 1, 2)
    _reserve(w, 1, "ORD-6")
    assert [e.subject_version for e in _events(w)] == [1, 2, 3]
    assert ledger_verify() == []
