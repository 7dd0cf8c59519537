"""Every event the orders app emits — order.created/changed/cancelled and fulfillment_request.changed — renders,
for each party that receives it, a payload the event catalogue's schema declares field by field."""

from __future__ import annotations

from dataclasses import replace

import pytest

from haicang.channels.normalised import OrderStatus
from haicang.channels.tests.event_schemas import assert_follows_catalogue, closed
from haicang.integration.catalogue import event_type_get
from haicang.integration.models import OutboxEvent
from haicang.integration.rendering import envelope, event_data
from haicang.orders.cancellation import order_cancel
from haicang.orders.fulfilment import (
    fulfilment_request_accept,
    fulfilment_request_cancel_answer,
    fulfilment_request_create,
    fulfilment_request_start,
)
from haicang.orders.tests.factories import SYSTEM, ingest, line, normalised
from haicang.orders.tests.routing_factories import make_network
from haicang.parties.roles import PartyKind, permissions_for
from haicang.parties.scoping import Scope
from haicang.parties.tests.factories import make_operator

pytestmark = pytest.mark.django_db


def _scope(kind: PartyKind, party_id) -> Scope:
    return Scope(actor=SYSTEM, party_kind=kind, party_id=party_id, permissions=permissions_for(kind, "owner"))


def _check_all(events, scopes) -> dict[str, int]:
    """Render every event for every scope it names; each rendering must follow the catalogue."""
    checked: dict[str, int] = {}
    for event in events:
        for scope in scopes:
            if scope.party_id not in (event.seller_id, event.operator_id):
                continue
            data = event_data(event, scope)
            assert data is not None, (event.event_type, scope.party_kind)
            assert_follows_catalogue(event.event_type, data, envelope=envelope(event, data))
            checked[event.event_type] = checked.get(event.event_type, 0) + 1
    return checked


def test_every_order_and_fulfillment_request_event_follows_its_schema_for_each_receiver(seller, account, sku):
    # given an order routed to LAX1, released to its warehouse in two requests that are worked on
    network = make_network(seller)
    network.receive(seller, sku, "LAX1", 10)
    given = normalised(external_id="EV-1", lines=(line(quantity=3),))
    order = ingest(account, given).order
    first = fulfilment_request_create(
        actor=SYSTEM, order=order, warehouse=network.warehouses["LAX1"], lines=[(order.lines.get(), 1)]
    )
    second = fulfilment_request_create(actor=SYSTEM, order=order, warehouse=network.warehouses["LAX1"])
    fulfilment_request_start(actor=SYSTEM, request=fulfilment_request_accept(actor=SYSTEM, request=second))
    # when the channel changes and then cancels the order, and the operator accepts the cancellation
    ingest(account, replace(given, service_level="Expedited"))
    ingest(account, replace(given, service_level="Expedited", status=OrderStatus.CANCELLED))
    second.refresh_from_db()
    fulfilment_request_cancel_answer(actor=SYSTEM, request=second, accept=True)
    # and another order is cancelled by the seller
    other = ingest(account, normalised(external_id="EV-2")).order
    order_cancel(actor=SYSTEM, order=other, reason="duplicate")

    # then every event renders, for the seller and the operator alike, what the catalogue declares
    events = list(
        OutboxEvent.objects.filter(
            event_type__in=[
                "order.created",
                "order.changed",
                "order.cancelled",
                "fulfillment_request.changed",
            ]
        ).order_by("pk")
    )
    checked = _check_all(
        events, [_scope(PartyKind.SELLER, seller.pk), _scope(PartyKind.OPERATOR, network.operator.pk)]
    )
    assert checked == {
        "order.created": 2,
        "order.changed": 1,
        "order.cancelled": 2,
        # first: created, cancelled; second: created, accepted, started, cancellation requested, accepted —
        # each rendered for the seller and the operator
        "fulfillment_request.changed": 2 * 7,
    }
    first_changes = [e for e in events if e.subject_id == str(first.pk)]
    data = event_data(first_changes[-1], _scope(PartyKind.OPERATOR, network.operator.pk))
    assert data is not None
    assert (data["status"], data["cancellation"]) == ("cancelled", "accepted")
    assert data["warehouse"] == {"id": str(network.warehouses["LAX1"].pk), "code": "LAX1"}
    cancelled = event_data(
        next(e for e in events if e.event_type == "order.cancelled"), _scope(PartyKind.SELLER, seller.pk)
    )
    assert cancelled is not None and cancelled["allocation_status"] == "cancelled"
    assert event_data(first_changes[-1], _scope(PartyKind.OPERATOR, make_operator().pk)) is None


def test_an_undeclared_field_fails_the_strict_check():
    known = event_type_get("fulfillment_request.changed")
    assert known is not None
    data = {**known.example, "secret_field": "x"}

    with pytest.raises(Exception, match="secret_field"):
        assert_follows_catalogue("fulfillment_request.changed", data)
    assert closed(known.data_schema)["additionalProperties"] is False
