"""Re-routing what a warehouse gave back: the request's reservation there is released (only the units that no
longer ship from there), and its lines are routed again — elsewhere, back to the same warehouse when it still has
enough, or to backorder — not counting the units the warehouse said it cannot pick."""

from __future__ import annotations

import pytest

from haicang.core.audit import audit_entries_for
from haicang.inventory.models import ReservationStatus, StockCounter
from haicang.inventory.verify import ledger_verify
from haicang.orders.cancellation import order_cancel
from haicang.orders.fulfilment import (
    TransitionInvalid,
    fulfilment_request_accept,
    fulfilment_request_cancel,
    fulfilment_request_create,
    fulfilment_request_start,
)
from haicang.orders.models import AllocationStatus, HoldReason, Order
from haicang.orders.models_fulfilment import FulfillmentRequest, RequestStatus
from haicang.orders.rerouting import fulfilment_request_hand_back, order_reroute
from haicang.orders.routing import RouteOutcome, routing_decision_latest
from haicang.orders.tests.factories import SYSTEM, ingest, line, normalised
from haicang.orders.tests.routing_factories import make_network

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(seller):
    return make_network(seller)


def _reserved(network, sku, code: str) -> int:
    counter = StockCounter.objects.filter(warehouse=network.warehouses[code], sku=sku).first()
    return counter.reserved if counter else 0


def _order(account, network, sku, seller, *, quantity: int = 4) -> Order:
    """An order of ``quantity`` units routed to LAX1 (the cheapest; it holds 10, NJ1 holds 5)."""
    network.receive(seller, sku, "LAX1", 10)
    network.receive(seller, sku, "NJ1", 5)
    order = ingest(account, normalised(external_id="RR-1", lines=(line(quantity=quantity),))).order
    assert _reserved(network, sku, "LAX1") == quantity
    return order


def _worked(order: Order, network, quantity: int, *, start: bool = True) -> FulfillmentRequest:
    request = fulfilment_request_create(
        actor=SYSTEM, order=order, warehouse=network.warehouses["LAX1"], lines=[(order.lines.get(), quantity)]
    )
    request = fulfilment_request_accept(actor=SYSTEM, request=request)
    return fulfilment_request_start(actor=SYSTEM, request=request) if start else request


def test_a_handed_back_request_is_routed_to_another_warehouse_not_counting_what_the_first_cannot_pick(
    account, network, sku, seller
):
    # given an order of 4 routed to LAX1 and released there in full
    order = _order(account, network, sku, seller)
    request = _worked(order, network, 4)

    # when LAX1 hands it back, saying its 10 units cannot be picked now
    result = fulfilment_request_hand_back(
        actor=SYSTEM, request=request, reason="short pick: 4 × TS missing", withhold={sku.pk: 10}
    )

    # then the request is cancelled, LAX1's reservation released and NJ1 holds the 4 units
    request.refresh_from_db()
    assert request.status == RequestStatus.CANCELLED
    assert (result.released, result.outcome) == (4, RouteOutcome.ALLOCATED)
    assert (_reserved(network, sku, "LAX1"), _reserved(network, sku, "NJ1")) == (0, 4)
    order_line = order.lines.select_related("reservation").get()
    assert order_line.reservation is not None and order_line.reservation.warehouse.code == "NJ1"
    order.refresh_from_db()
    assert order.allocation_status == AllocationStatus.ALLOCATED
    decision = routing_decision_latest(order)
    assert decision is not None and [w.code for w in decision.warehouses.all()] == ["NJ1"]
    entry = [e for e in audit_entries_for(subject=order) if e.action == "order.rerouted"][-1]
    assert entry.changes["after"]["released"] == 4 and entry.changes["after"]["outcome"] == "allocated"
    assert ledger_verify() == []


def test_without_units_withheld_the_same_warehouse_may_be_chosen_again(account, network, sku, seller):
    order = _order(account, network, sku, seller)
    request = _worked(order, network, 4)
    fulfilment_request_cancel(actor=SYSTEM, request=request, reason="the truck did not come")

    result = order_reroute(actor=SYSTEM, order=order, request=request)

    assert result.outcome == RouteOutcome.ALLOCATED
    assert (_reserved(network, sku, "LAX1"), _reserved(network, sku, "NJ1")) == (4, 0)  # still the cheapest


def test_when_no_warehouse_has_the_units_the_order_is_backordered_and_nothing_stays_reserved(
    account, network, sku, seller
):
    order = _order(account, network, sku, seller, quantity=6)  # NJ1's 5 are too few
    request = _worked(order, network, 6)

    result = fulfilment_request_hand_back(
        actor=SYSTEM, request=request, reason="short pick", withhold={sku.pk: 10}
    )

    assert (result.released, result.outcome) == (6, RouteOutcome.BACKORDERED)
    assert (_reserved(network, sku, "LAX1"), _reserved(network, sku, "NJ1")) == (0, 0)
    order.refresh_from_db()
    assert order.allocation_status == AllocationStatus.BACKORDERED
    assert order.lines.get().reservation is None
    assert ledger_verify() == []


def test_a_line_still_in_another_open_request_there_keeps_its_whole_reservation(
    account, network, sku, seller
):
    # given the order's 4 units released to LAX1 in two requests (3 in progress, 1 accepted)
    order = _order(account, network, sku, seller)
    request = _worked(order, network, 3)
    _worked(order, network, 1, start=False)

    # when the first is handed back
    result = fulfilment_request_hand_back(
        actor=SYSTEM, request=request, reason="damaged", withhold={sku.pk: 3}
    )

    # then the line keeps its reservation at LAX1 (a line holds one reservation): nothing to route
    assert (result.released, result.lines, result.outcome) == (0, (), RouteOutcome.NOTHING_TO_ROUTE)
    assert _reserved(network, sku, "LAX1") == 4
    reservation = order.lines.get().reservation
    assert reservation is not None and reservation.status == ReservationStatus.OPEN


def test_a_reroute_is_idempotent(account, network, sku, seller):
    order = _order(account, network, sku, seller)
    request = _worked(order, network, 4)
    fulfilment_request_hand_back(actor=SYSTEM, request=request, reason="short pick", withhold={sku.pk: 10})

    again = order_reroute(actor=SYSTEM, order=order, request=request, withhold={sku.pk: 10})

    assert (again.released, again.outcome) == (0, RouteOutcome.NOTHING_TO_ROUTE)
    assert (_reserved(network, sku, "LAX1"), _reserved(network, sku, "NJ1")) == (0, 4)


def test_an_open_request_is_not_rerouted(account, network, sku, seller):
    order = _order(account, network, sku, seller)
    request = _worked(order, network, 4)

    with pytest.raises(TransitionInvalid):
        order_reroute(actor=SYSTEM, order=order, request=request)

    assert _reserved(network, sku, "LAX1") == 4


def test_a_held_order_is_not_routed_its_freed_lines_wait_unallocated(account, network, sku, seller):
    order = _order(account, network, sku, seller)
    request = _worked(order, network, 4)
    order.holds.create(reason=HoldReason.choices[0][0], detail="checking the address")

    result = fulfilment_request_hand_back(actor=SYSTEM, request=request, reason="short pick")

    assert (result.released, result.outcome) == (4, RouteOutcome.HELD)
    order.refresh_from_db()
    assert order.allocation_status == AllocationStatus.UNALLOCATED
    assert _reserved(network, sku, "LAX1") == 0 and order.lines.get().reservation is None


def test_a_cancelled_orders_handed_back_request_gives_its_units_back_and_is_not_routed(
    account, network, sku, seller
):
    order = _order(account, network, sku, seller)
    request = _worked(order, network, 4)
    order_cancel(actor=SYSTEM, order=order, reason="buyer changed their mind")
    assert _reserved(network, sku, "LAX1") == 4  # the warehouse is asked first

    result = fulfilment_request_hand_back(actor=SYSTEM, request=request, reason="short pick")

    assert result.outcome == RouteOutcome.NOT_ROUTABLE
    assert (_reserved(network, sku, "LAX1"), _reserved(network, sku, "NJ1")) == (0, 0)
    order.refresh_from_db()
    assert order.allocation_status == AllocationStatus.CANCELLED
    assert ledger_verify() == []
