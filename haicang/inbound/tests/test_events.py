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
