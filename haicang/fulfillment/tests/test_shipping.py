"""Ship confirmation: stock leaves the picked bins, the request ships with its tracking numbers, the seller is
told; second confirmations, unpacked units, missing labels and pending cancellations are refused."""

from __future__ import annotations

import jsonschema
import pytest

from haicang.core.audit import audit_entries_for
from haicang.fulfillment.errors import (
    AlreadyShipped,
    NotLabelled,
    ReservationMissing,
    UnitsNotPacked,
)
from haicang.fulfillment.models import DockScan, OutboundStatus, ParcelStatus, ScanResult
from haicang.fulfillment.packing import parcel_pack
from haicang.fulfillment.shipping import dock_scan, outbound_ship, parcel_ship
from haicang.fulfillment.shipping_events import render_outbound, render_parcel
from haicang.fulfillment.tests.factories import (
    make_fulfilment_world,
    make_in_progress_request,
    make_picked_outbound,
    mark_labelled,
)
from haicang.integration.catalogue import event_type_get
from haicang.integration.models import OutboxEvent
from haicang.inventory.models import Balance, Move, Reservation
from haicang.inventory.verify import ledger_verify
from haicang.network.tests.factories import make_warehouse
from haicang.orders.fulfilment import TransitionInvalid as RequestTransitionInvalid
from haicang.orders.fulfilment import fulfilment_request_cancel_request
from haicang.orders.models_fulfilment import FulfillmentRequest, RequestStatus
from haicang.parties.roles import PartyKind
from haicang.parties.scoping import Scope
from haicang.parties.tests.factories import SYSTEM, make_seller

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_fulfilment_world()


def on_hand(world, key, bin_key):
    rows = Balance.objects.filter(owner=world.seller, sku=world.skus[key], location=world.bins[bin_key])
    return sum(rows.values_list("quantity", flat=True))


def seller_scope(seller):
    return Scope(
        actor=SYSTEM,
        party_kind=PartyKind.SELLER,
        party_id=seller.pk,
        permissions=frozenset({"fulfillment:read"}),
    )


def packed_and_labelled(world, lines=(("TEE", 2),), **kw):
    outbound = make_picked_outbound(world, lines, **kw)
    parcel = mark_labelled(parcel_pack(actor=SYSTEM, outbound=outbound, weight_g=500), "1Z999AA10123456784")
    return outbound, parcel


def test_shipping_consumes_the_reservation_from_the_picked_bins_and_tells_the_seller(world):
    # given: the T-shirts were picked from bulk bin B1, although pick bin A1 holds older units
    outbound, parcel = packed_and_labelled(world, bins=["B1"])

    # when
    shipped = outbound_ship(actor=SYSTEM, outbound=outbound)

    # then: the units left B1 for the customer, A1 untouched; the reservation is used up
    assert (on_hand(world, "TEE", "A1"), on_hand(world, "TEE", "B1")) == (20, 18)
    [move] = Move.objects.filter(owner=world.seller, sku=world.skus["TEE"], to_location__kind="customer")
    assert (move.from_location_id, move.quantity, move.document_ref) == (
        world.bins["B1"].pk,
        2,
        outbound.number,
    )
    request = FulfillmentRequest.objects.get(pk=outbound.request_id)
    reservation = Reservation.objects.get(pk=str(request.lines.get().order_line.reservation_id))
    assert (reservation.status, reservation.consumed_quantity) == ("closed", 2)
    assert ledger_verify() == []
    # the request shipped with the carrier and tracking number; the outbound and the parcel too
    assert (request.status, request.carrier, request.tracking_numbers) == (
        RequestStatus.SHIPPED, "UPS", ["1Z999AA10123456784"],
    )  # fmt: skip
    assert (shipped.status, shipped.shipped_at is not None) == (OutboundStatus.SHIPPED, True)
    parcel.refresh_from_db()
    assert parcel.status == ParcelStatus.SHIPPED
    # the seller hears of it: parcel.shipped and outbound.shipped, with the tracking number
    events = {e.event_type: e for e in OutboxEvent.objects.filter(seller=world.seller)}
    assert {"parcel.shipped", "outbound.shipped", "fulfillment_request.changed"} <= set(events)
    assert events["parcel.shipped"].subject_id == str(parcel.pk)
    data = render_parcel(str(parcel.pk), seller_scope(world.seller))
    assert data is not None
    assert (data["tracking_number"], data["carrier"], data["order"]["code"]) == (
        "1Z999AA10123456784", {"code": "UPS", "name": "UPS"}, request.order_number,
    )  # fmt: skip
    assert data["tracking_url"] == "https://track.example/1Z999AA10123456784"
    outbound_data = render_outbound(str(outbound.pk), seller_scope(world.seller))
    assert outbound_data is not None
    assert (outbound_data["tracking_numbers"], outbound_data["status"]) == (["1Z999AA10123456784"], "shipped")
    for payload, name in ((data, "parcel.shipped"), (outbound_data, "outbound.shipped")):
        event = event_type_get(name)
        assert event is not None
        jsonschema.validate(payload, event.data_schema)
    assert render_parcel(str(parcel.pk), seller_scope(make_seller())) is None
    assert {"outbound.shipped"} <= set(audit_entries_for(subject=outbound).values_list("action", flat=True))
    assert {"parcel.shipped"} <= set(audit_entries_for(subject=parcel).values_list("action", flat=True))


def test_the_events_are_catalogued_with_schemas():
    for name in ("parcel.shipped", "outbound.shipped"):
        event = event_type_get(name)
        assert event is not None
        assert set(event.data_schema["required"]) <= set(event.example)


def test_a_second_confirmation_is_refused_and_changes_nothing(world):
    outbound, parcel = packed_and_labelled(world)
    outbound_ship(actor=SYSTEM, outbound=outbound)
    moves = Move.objects.count()

    with pytest.raises(AlreadyShipped):
        outbound_ship(actor=SYSTEM, outbound=outbound)
    with pytest.raises(AlreadyShipped):
        parcel_ship(actor=SYSTEM, parcel=parcel)

    assert Move.objects.count() == moves
    assert OutboxEvent.objects.filter(event_type="outbound.shipped").count() == 1
    assert ledger_verify() == []


def test_units_picked_from_two_bins_leave_both(world):
    request = make_in_progress_request(world, [("TEE", 3)])
    outbound = make_picked_outbound(world, [("TEE", 2), ("TEE", 1)], bins=["A1", "B1"], request=request)
    mark_labelled(parcel_pack(actor=SYSTEM, outbound=outbound, weight_g=600))

    outbound_ship(actor=SYSTEM, outbound=outbound)

    assert (on_hand(world, "TEE", "A1"), on_hand(world, "TEE", "B1")) == (18, 19)
    assert ledger_verify() == []


def test_the_outbound_ships_with_its_last_parcel(world):
    request = make_in_progress_request(world, [("TEE", 1), ("MUG", 1)])
    outbound = make_picked_outbound(world, [("TEE", 1), ("MUG", 1)], request=request)
    first = mark_labelled(
        parcel_pack(actor=SYSTEM, outbound=outbound, weight_g=200, lines=[(world.skus["TEE"], 1)])
    )

    # when the first parcel leaves while the mug is not packed yet: the outbound waits
    parcel_ship(actor=SYSTEM, parcel=first)
    outbound.refresh_from_db()
    assert outbound.status == OutboundStatus.PACKED
    assert FulfillmentRequest.objects.get(pk=request.pk).status == RequestStatus.IN_PROGRESS
    assert not Move.objects.filter(to_location__kind="customer").exists()

    # when the second one leaves: everything ships
    second = mark_labelled(parcel_pack(actor=SYSTEM, outbound=outbound, weight_g=450))
    parcel_ship(actor=SYSTEM, parcel=second)

    outbound.refresh_from_db()
    request.refresh_from_db()
    assert outbound.status == OutboundStatus.SHIPPED
    assert request.tracking_numbers == [first.tracking_number, second.tracking_number]
    assert (on_hand(world, "TEE", "A1"), on_hand(world, "MUG", "A2")) == (19, 19)
    assert OutboxEvent.objects.filter(event_type="parcel.shipped").count() == 2
    assert ledger_verify() == []


def test_shipping_the_outbound_is_refused_while_units_are_not_packed_or_labelled(world):
    request = make_in_progress_request(world, [("TEE", 2)])
    outbound = make_picked_outbound(world, [("TEE", 2)], request=request)
    parcel = parcel_pack(actor=SYSTEM, outbound=outbound, weight_g=200, lines=[(world.skus["TEE"], 1)])

    with pytest.raises(UnitsNotPacked):
        outbound_ship(actor=SYSTEM, outbound=outbound)
    parcel_pack(actor=SYSTEM, outbound=outbound, weight_g=200)
    with pytest.raises(NotLabelled):
        outbound_ship(actor=SYSTEM, outbound=outbound)
    with pytest.raises(NotLabelled):
        parcel_ship(actor=SYSTEM, parcel=parcel)

    parcel.refresh_from_db()
    assert parcel.status == ParcelStatus.PACKED
    assert not Move.objects.filter(to_location__kind="customer").exists()


def test_a_pending_cancellation_request_stops_the_shipment(world):
    outbound, parcel = packed_and_labelled(world)
    fulfilment_request_cancel_request(actor=SYSTEM, request=outbound.request, reason="customer changed mind")

    with pytest.raises(RequestTransitionInvalid):
        outbound_ship(actor=SYSTEM, outbound=outbound)

    parcel.refresh_from_db()
    outbound.refresh_from_db()
    assert (parcel.status, outbound.status) == (ParcelStatus.LABELLED, OutboundStatus.PACKED)
    assert on_hand(world, "TEE", "A1") == 20
    assert not OutboxEvent.objects.filter(event_type__in=["parcel.shipped", "outbound.shipped"]).exists()


def test_units_no_reservation_holds_are_refused(world):
    request = make_in_progress_request(world, [("TEE", 1)], reserve=False)
    outbound = make_picked_outbound(world, [("TEE", 1)], request=request)
    mark_labelled(parcel_pack(actor=SYSTEM, outbound=outbound, weight_g=200))

    with pytest.raises(ReservationMissing):
        outbound_ship(actor=SYSTEM, outbound=outbound)

    assert on_hand(world, "TEE", "A1") == 20
    assert ledger_verify() == []


def test_the_dock_confirms_a_scanned_label_and_refuses_and_logs_wrong_ones(world):
    outbound, parcel = packed_and_labelled(world)
    other_warehouse = make_warehouse(world.operator, country="US")

    unknown = dock_scan(
        actor=SYSTEM, operator_id=world.operator.pk, raw="NOPE-123", warehouse=world.warehouse
    )
    wrong = dock_scan(
        actor=SYSTEM, operator_id=world.operator.pk, raw=parcel.tracking_number, warehouse=other_warehouse
    )
    right = dock_scan(actor=SYSTEM, operator_id=world.operator.pk, raw=f" {parcel.tracking_number.lower()} ")
    again = dock_scan(
        actor=SYSTEM, operator_id=world.operator.pk, raw=parcel.number, warehouse=world.warehouse
    )

    assert [(s.result, s.reason_code) for s in (unknown, wrong, right, again)] == [
        (ScanResult.REFUSED, "ship.label_unknown"),
        (ScanResult.REFUSED, "ship.wrong_warehouse"),
        (ScanResult.ACCEPTED, ""),
        (ScanResult.REFUSED, "ship.already_shipped"),
    ]
    assert right.parcel == parcel
    assert DockScan.objects.filter(operator=world.operator).count() == 4
    outbound.refresh_from_db()
    assert outbound.status == OutboundStatus.SHIPPED
    assert audit_entries_for(subject=unknown).get().action == "parcel.ship_scan_refused"
    # another operator's scan never finds the parcel
    stranger = make_fulfilment_world(stock=0)
    assert dock_scan(
        actor=SYSTEM, operator_id=stranger.operator.pk, raw=parcel.tracking_number
    ).reason_code == ("ship.label_unknown")
