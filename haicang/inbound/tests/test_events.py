"""The inbound events' payloads, rendered for each party at delivery time, follow the catalogue's schemas."""

from __future__ import annotations

import jsonschema  # drf-spectacular's dependency
import pytest

from haicang.inbound.receiving import ReceiptLine, inbound_close, inbound_receive
from haicang.inbound.services import inbound_arrive
from haicang.inbound.tests.factories import SYSTEM, make_inbound_world, make_shipment
from haicang.integration.catalogue import event_type_get
from haicang.integration.models import OutboxEvent
from haicang.integration.rendering import event_data
from haicang.parties.roles import PartyKind, permissions_for
from haicang.parties.scoping import Scope
from haicang.parties.tests.factories import make_operator

pytestmark = pytest.mark.django_db


def _scope(kind: PartyKind, party_id) -> Scope:
    return Scope(actor=SYSTEM, party_kind=kind, party_id=party_id, permissions=permissions_for(kind, "owner"))


def test_every_inbound_event_renders_its_schema_for_both_parties_and_nothing_for_a_stranger():
    # given a shipment taken through its whole life
    world = make_inbound_world()
    shipment = make_shipment(world, status="in_transit")
    inbound_arrive(actor=SYSTEM, shipment=shipment)
    inbound_receive(actor=SYSTEM, shipment=shipment, lines=[ReceiptLine(world.skus[0].code, 8, 1)])
    inbound_close(actor=SYSTEM, shipment=shipment)
    events = list(OutboxEvent.objects.filter(subject_id=str(shipment.pk)).order_by("occurred_at", "pk"))
    assert [e.event_type for e in events] == [
        "inbound.submitted",
        "inbound.arrived",
        "inbound.received",
        "inbound.closed",
    ]
    seller = _scope(PartyKind.SELLER, world.seller.pk)
    operator = _scope(PartyKind.OPERATOR, world.operator.pk)
    stranger = _scope(PartyKind.OPERATOR, make_operator().pk)
    for event in events:
        known = event_type_get(event.event_type)
        assert known is not None
        for scope in (seller, operator):
            data = event_data(event, scope)
            assert data is not None
            jsonschema.validate(data, known.data_schema)
        assert event_data(event, stranger) is None
    closed = event_data(events[-1], operator)
    assert closed is not None
    assert closed["lines"][0] == {
        "sku": {"id": str(world.skus[0].pk), "code": world.skus[0].code},
        "expected": 10,
        "received": 8,
        "damaged": 1,
        "short": 1,
    }


def test_a_cancelled_shipment_is_announced_to_both_parties_and_leaves_nothing_in_transit():
    # given a shipment in transit
    from haicang.inbound.services import inbound_cancel
    from haicang.inventory.models import Balance
    from haicang.inventory.verify import ledger_verify
    from haicang.network.models import LocationKind

    world = make_inbound_world()
    shipment = make_shipment(world, status="in_transit")

    # when the seller cancels it
    inbound_cancel(actor=SYSTEM, shipment=shipment, reason="container rolled over")

    # then inbound.cancelled follows its schema for both parties, with the reason, and not for a stranger
    event = OutboxEvent.objects.get(event_type="inbound.cancelled", subject_id=str(shipment.pk))
    known = event_type_get("inbound.cancelled")
    assert known is not None
    for scope in (_scope(PartyKind.SELLER, world.seller.pk), _scope(PartyKind.OPERATOR, world.operator.pk)):
        data = event_data(event, scope)
        assert data is not None
        jsonschema.validate(data, known.data_schema)
        assert (data["status"], data["reason"]) == ("cancelled", "container rolled over")
        assert data["dispatched_at"] is not None and data["cancelled_at"] is not None
    assert event_data(event, _scope(PartyKind.OPERATOR, make_operator().pk)) is None
    # and its units went back to the supplier: nothing of it is in transit
    in_transit = Balance.objects.filter(owner=world.seller, location__kind=LocationKind.IN_TRANSIT)
    assert sum(in_transit.values_list("quantity", flat=True)) == 0
    assert ledger_verify() == []


def test_a_cancelled_draft_is_announced_to_the_seller_only():
    from haicang.inbound.services import inbound_cancel

    world = make_inbound_world()
    shipment = make_shipment(world)

    inbound_cancel(actor=SYSTEM, shipment=shipment)

    event = OutboxEvent.objects.get(event_type="inbound.cancelled", subject_id=str(shipment.pk))
    seller = event_data(event, _scope(PartyKind.SELLER, world.seller.pk))
    assert seller is not None and seller["dispatched_at"] is None
    assert event_data(event, _scope(PartyKind.OPERATOR, world.operator.pk)) is None
