"""Cancelling an order — by the channel or by the seller — cascades to its fulfillment requests (submitted:
cancelled at once; accepted or in progress: a cancellation request) and gives its stock back only when no warehouse
may still ship it; the order's allocation status says it is cancelled."""

from __future__ import annotations

from dataclasses import replace

import pytest
from rest_framework.test import APIClient

from haicang.channels.normalised import OrderStatus
from haicang.core.audit import audit_entries_for
from haicang.integration.models import OutboxEvent
from haicang.inventory.models import Reservation, ReservationStatus, StockCounter
from haicang.inventory.verify import ledger_verify
from haicang.orders.cancellation import order_cancel
from haicang.orders.errors import OrderNotCancellable
from haicang.orders.fulfilment import (
    fulfilment_request_accept,
    fulfilment_request_cancel,
    fulfilment_request_cancel_answer,
    fulfilment_request_create,
    fulfilment_request_ship,
    fulfilment_request_start,
)
from haicang.orders.models import AllocationStatus, CancelledBy, Order
from haicang.orders.models_fulfilment import CancellationState, FulfillmentRequest, RequestStatus
from haicang.orders.routing import order_route
from haicang.orders.tests.factories import SYSTEM, ingest, line, normalised
from haicang.orders.tests.routing_factories import make_network
from haicang.parties.tests.factories import make_member, make_seller

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(seller):
    return make_network(seller)


def _reserved(network, sku, code: str = "LAX1") -> int:
    return StockCounter.objects.get(warehouse=network.warehouses[code], sku=sku).reserved


def _reservation(order: Order) -> Reservation:
    reservation = order.lines.get().reservation
    assert reservation is not None
    return reservation


def _request(order: Order, quantity: int, network, *, to: str = "") -> FulfillmentRequest:
    """Release ``quantity`` units of the order's one line to LAX1 and take the request to status ``to``."""
    request = fulfilment_request_create(
        actor=SYSTEM,
        order=order,
        warehouse=network.warehouses["LAX1"],
        lines=[(order.lines.get(), quantity)],
    )
    if to in ("accepted", "in_progress", "shipped"):
        request = fulfilment_request_accept(actor=SYSTEM, request=request)
    if to in ("in_progress", "shipped"):
        request = fulfilment_request_start(actor=SYSTEM, request=request)
    if to == "shipped":
        request = fulfilment_request_ship(
            actor=SYSTEM, request=request, carrier="UPS", tracking_numbers=["1Z"]
        )
    return request


@pytest.fixture
def allocated(account, sku, network, seller):
    """An unshipped order of 4 units, routed to LAX1 (which holds 10): 4 units reserved."""
    network.receive(seller, sku, "LAX1", 10)
    given = normalised(external_id="CX-1", lines=(line(quantity=4),))
    order = ingest(account, given).order
    order.refresh_from_db()
    assert order.allocation_status == AllocationStatus.ALLOCATED and _reserved(network, sku) == 4
    return order, given


def test_a_channel_cancellation_cancels_submitted_requests_asks_worked_ones_and_keeps_their_units(
    account, sku, network, allocated
):
    # given a submitted request of 1 unit and an in-progress one of 2 (1 unit in no request)
    order, given = allocated
    submitted = _request(order, 1, network)
    worked = _request(order, 2, network, to="in_progress")

    # when the channel cancels the order
    result = ingest(account, replace(given, status=OrderStatus.CANCELLED, platform_status="cancelled"))

    # then the submitted request is cancelled at once, the worked one is asked to cancel
    submitted.refresh_from_db()
    worked.refresh_from_db()
    assert (submitted.status, submitted.cancellation) == (RequestStatus.CANCELLED, CancellationState.ACCEPTED)
    assert (worked.status, worked.cancellation) == (RequestStatus.IN_PROGRESS, CancellationState.REQUESTED)
    # and only the units no warehouse may still ship are given back: the worked request's 2 stay reserved
    assert _reserved(network, sku) == 2 and _reservation(order).open_quantity == 2
    order.refresh_from_db()
    assert (order.status, order.cancelled_by) == (OrderStatus.CANCELLED, CancelledBy.CHANNEL)
    assert order.allocation_status == AllocationStatus.CANCELLED
    assert result.order.allocation_status == AllocationStatus.CANCELLED
    events = [e.event_type for e in OutboxEvent.objects.filter(subject_id=str(order.pk))]
    assert events[-1] == "order.cancelled"
    audit = [e for e in audit_entries_for(subject=order) if e.action == "order.cancelled"][-1]
    assert (
        audit.changes["after"]["requests_cancelled"] == 1
        and audit.changes["after"]["cancellations_requested"] == 1
    )
    assert audit.changes["after"]["units_released"] == 2

    # when the operator accepts the cancellation, the last units go back
    fulfilment_request_cancel_answer(actor=SYSTEM, request=worked, accept=True)

    assert _reserved(network, sku) == 0
    assert _reservation(order).status == ReservationStatus.CLOSED
    assert ledger_verify() == []


def test_a_refused_cancellation_keeps_the_units_reserved_for_the_shipment(account, sku, network, allocated):
    order, given = allocated
    worked = _request(order, 4, network, to="accepted")
    ingest(account, replace(given, status=OrderStatus.CANCELLED))
    assert _reserved(network, sku) == 4  # all four are in the accepted request

    fulfilment_request_cancel_answer(actor=SYSTEM, request=worked, accept=False, reason="already packed")
    shipped = fulfilment_request_ship(
        actor=SYSTEM, request=fulfilment_request_start(actor=SYSTEM, request=worked), carrier="UPS"
    )

    assert shipped.status == RequestStatus.SHIPPED
    assert _reserved(network, sku) == 4  # the shipment consumes them
    order.refresh_from_db()
    assert order.allocation_status == AllocationStatus.CANCELLED


def test_the_operator_cancelling_a_worked_request_of_a_cancelled_order_gives_its_units_back(
    sku, network, allocated, seller
):
    order, _ = allocated
    worked = _request(order, 3, network, to="in_progress")
    order_cancel(actor=SYSTEM, order=order, reason="buyer changed their mind")
    assert _reserved(network, sku) == 3

    fulfilment_request_cancel(actor=SYSTEM, request=worked, reason="cannot find the goods")

    assert _reserved(network, sku) == 0
    assert ledger_verify() == []


def test_a_shipped_requests_units_are_never_released(account, sku, network, allocated):
    order, given = allocated
    _request(order, 1, network, to="shipped")

    ingest(account, replace(given, status=OrderStatus.CANCELLED))

    assert _reserved(network, sku) == 1 and _reservation(order).open_quantity == 1


def test_the_seller_cancels_an_order_and_a_replay_from_the_channel_keeps_it_cancelled(
    account, sku, network, allocated
):
    # given an allocated order with a submitted request
    order, given = allocated
    submitted = _request(order, 4, network)

    # when the seller cancels it in Haicang
    cancelled = order_cancel(actor=SYSTEM, order=order, reason="out of stock at the supplier")

    # then everything is given back and the request is cancelled
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.CANCELLED
    assert (cancelled.status, cancelled.cancelled_by) == (OrderStatus.CANCELLED, CancelledBy.SELLER)
    assert cancelled.allocation_status == AllocationStatus.CANCELLED and cancelled.cancelled_at is not None
    assert _reserved(network, sku) == 0
    history = cancelled.history.get(version=cancelled.version)
    assert (history.event, history.source, history.previous_status) == ("cancelled", "seller", "unshipped")
    audit = [e for e in audit_entries_for(subject=cancelled) if e.action == "order.cancelled"][-1]
    assert audit.summary == "out of stock at the supplier" and audit.changes["after"]["by"] == "seller"
    assert OutboxEvent.objects.filter(subject_id=str(order.pk), event_type="order.cancelled").count() == 1

    # a later delivery that still says unshipped does not reopen it (nor re-route it)
    replay = ingest(account, replace(given, platform_status="paid, still open"))
    replay.order.refresh_from_db()
    assert replay.order.status == OrderStatus.CANCELLED
    assert replay.order.allocation_status == AllocationStatus.CANCELLED
    assert _reserved(network, sku) == 0
    assert order_route(actor=SYSTEM, order=order, strict=False).outcome == "not_routable"

    # but a platform that shipped it wins
    shipped = ingest(account, replace(given, status=OrderStatus.SHIPPED, platform_status="fulfilled"))
    assert shipped.order.status == OrderStatus.SHIPPED


@pytest.mark.parametrize("status", [OrderStatus.CANCELLED, OrderStatus.SHIPPED, OrderStatus.DELIVERED])
def test_a_cancelled_or_shipped_order_cannot_be_cancelled_by_the_seller(account, status):
    order = ingest(account, normalised(status=status)).order

    with pytest.raises(OrderNotCancellable) as raised:
        order_cancel(actor=SYSTEM, order=order)

    assert raised.value.code == "orders.not_cancellable"
    assert Order.objects.get(pk=order.pk).version == 1


def test_an_order_that_arrives_cancelled_is_marked_cancelled_not_unallocated(account, sku):
    order = ingest(account, normalised(status=OrderStatus.CANCELLED)).order

    order.refresh_from_db()
    assert (order.allocation_status, order.cancelled_by) == (AllocationStatus.CANCELLED, CancelledBy.CHANNEL)


def test_a_channel_reopening_a_cancelled_order_routes_it_again(account, sku, network, allocated):
    order, given = allocated
    ingest(account, replace(given, status=OrderStatus.CANCELLED))
    assert _reserved(network, sku) == 0

    ingest(account, replace(given, status=OrderStatus.UNSHIPPED, platform_status="reopened"))

    order.refresh_from_db()
    assert (order.status, order.cancelled_by) == (OrderStatus.UNSHIPPED, "")
    assert order.allocation_status == AllocationStatus.ALLOCATED and _reserved(network, sku) == 4
    assert ledger_verify() == []


def _client(party, role: str = "owner") -> APIClient:
    client = APIClient()
    client.force_login(make_member(party, role).user)
    return client


def test_the_cancel_endpoint(seller, sku, network, allocated):
    order, _ = allocated
    worked = _request(order, 2, network, to="accepted")

    assert _client(make_seller()).post(f"/api/v1/orders/{order.pk}/cancel/").status_code == 404
    assert _client(seller, "viewer").post(f"/api/v1/orders/{order.pk}/cancel/").status_code == 403
    answer = _client(seller, "order_manager").post(
        f"/api/v1/orders/{order.pk}/cancel/", {"reason": "fraud"}, format="json"
    )
    again = _client(seller).post(f"/api/v1/orders/{order.pk}/cancel/")
    detail = _client(seller).get(f"/api/v1/orders/{order.pk}/").json()

    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["status"], body["allocation_status"], body["cancelled_by"]) == (
        "cancelled",
        "cancelled",
        "seller",
    )
    assert body["fulfillment_requests"] == [
        {"id": str(worked.pk), "number": worked.number, "status": "accepted", "cancellation": "requested"}
    ]
    assert again.status_code == 409 and again.json()["code"] == "orders.not_cancellable"
    assert (detail["allocation_status"], detail["cancelled_by"]) == ("cancelled", "seller")
    assert _reserved(network, sku) == 2
