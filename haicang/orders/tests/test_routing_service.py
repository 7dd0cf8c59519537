"""Routing through the services: ingestion routes the order and reserves its stock through the ledger, or
backorders it; holds block it; splits only when the seller allows; a lost race routes again; backorders are
allocated oldest first when stock arrives; a cancellation gives the stock back."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest

from haicang.catalog.tests.factories import make_sku
from haicang.channels.tests.factories import make_sku_map
from haicang.core.audit import audit_entries_for
from haicang.inventory.models import Reservation, ReservationStatus, StockCounter
from haicang.inventory.verify import ledger_verify
from haicang.orders import routing
from haicang.orders.errors import OrderOnHold
from haicang.orders.models import AllocationStatus, Order, RoutingDecision
from haicang.orders.routing import RouteOutcome, backorders_allocate, order_route, order_settings_set
from haicang.orders.tests.factories import SYSTEM, ingest, line, normalised, ship_to
from haicang.orders.tests.routing_factories import make_network
from haicang.parties.models import ServiceAgreement
from haicang.parties.models.agreements import AgreementStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(seller):
    return make_network(seller)


def _decision(order: Order) -> RoutingDecision:
    decision = order.routing_decisions.order_by("-created_at").first()
    assert decision is not None
    return decision


def _held(order: Order, sku_code: str | None = None) -> Reservation:
    """The reservation of the order's (only, or ``sku_code``'s) line."""
    lines = order.lines.all() if sku_code is None else order.lines.filter(sku__code=sku_code)
    reservation = lines.get().reservation
    assert reservation is not None
    return reservation


def _texts(order: Order) -> list[str]:
    return [c["text"] for c in _decision(order).candidates]


def test_an_ingested_order_ships_from_the_cheapest_warehouse_with_stock(account, sku, network, seller):
    network.receive(seller, sku, "LAX1", 12)
    network.receive(seller, sku, "NJ1", 5)

    order = ingest(account, normalised(lines=(line(quantity=2),))).order

    order.refresh_from_db()
    assert order.allocation_status == AllocationStatus.ALLOCATED
    reservation = _held(order)
    assert (reservation.warehouse.code, reservation.quantity, reservation.status) == ("LAX1", 2, "open")
    assert (reservation.demand_type, reservation.demand_ref) == ("order", str(order.pk))
    decision = _decision(order)
    assert decision.outcome == "single" and [w.code for w in decision.warehouses.all()] == ["LAX1"]
    (part,) = decision.allocations
    assert (part["warehouse"], part["lines"], part["cost"]) == ("LAX1", [["LUMEN-TS-BLK-M", 2]], "4.10")
    assert part["text"].startswith("LAX1 ships LUMEN-TS-BLK-M ×2: USD 4.10, ")
    assert (decision.estimated_cost, decision.cost_currency) == (Decimal("4.10"), "USD")
    texts = _texts(order)
    assert texts[0] == "FRA1: 0 in stock"
    assert texts[1].startswith("LAX1: 12 in stock, USD 4.10, ") and texts[1].endswith(" days")
    assert texts[2].startswith("NJ1: 5 in stock, USD 6.50, ")
    assert decision.actor == SYSTEM.label
    assert "order.routed" in [e.action for e in audit_entries_for(subject=order)]
    assert ledger_verify() == []


def test_a_tight_promise_chooses_the_faster_warehouse(account, sku, network, seller):
    network.receive(seller, sku, "LAX1", 12)
    network.receive(seller, sku, "NJ1", 5)
    relaxed = ingest(account, normalised(service_level="Standard")).order
    days = {c["warehouse"]: c["days"] for c in _decision(relaxed).candidates if c["days"] is not None}
    assert _decision(relaxed).allocations[0]["warehouse"] == "LAX1" and days["NJ1"] < days["LAX1"]

    today = datetime.now(UTC).date()
    deliver_by = datetime.combine(today + timedelta(days=days["NJ1"]), time(12), tzinfo=UTC)
    tight = ingest(account, normalised(deliver_by=deliver_by)).order

    assert _decision(tight).promise_days == days["NJ1"]
    assert _decision(tight).allocations[0]["warehouse"] == "NJ1"
    assert not _decision(tight).late


def test_no_stock_anywhere_backorders_and_arriving_stock_is_allocated_oldest_first(
    account, sku, network, seller
):
    older = ingest(account, normalised(placed_at=datetime(2026, 3, 1, tzinfo=UTC), lines=(line(quantity=1),)))
    newer = ingest(account, normalised(placed_at=datetime(2026, 3, 2, tzinfo=UTC), lines=(line(quantity=1),)))
    for result in (older, newer):
        result.order.refresh_from_db()
        assert result.order.allocation_status == AllocationStatus.BACKORDERED
        assert _decision(result.order).outcome == "backorder"
        assert _texts(result.order) == ["FRA1: 0 in stock", "LAX1: 0 in stock", "NJ1: 0 in stock"]

    assert backorders_allocate(actor=SYSTEM) == {
        RouteOutcome.BACKORDERED: 2
    }  # nothing arrived: nothing written
    assert RoutingDecision.objects.count() == 2

    network.receive(seller, sku, "FRA1", 1)
    assert backorders_allocate(actor=SYSTEM) == {RouteOutcome.ALLOCATED: 1, RouteOutcome.BACKORDERED: 1}

    older.order.refresh_from_db()
    newer.order.refresh_from_db()
    assert older.order.allocation_status == AllocationStatus.ALLOCATED
    assert _held(older.order).warehouse.code == "FRA1"
    assert newer.order.allocation_status == AllocationStatus.BACKORDERED
    assert ledger_verify() == []


def test_an_order_on_hold_is_not_routed(account, sku, network, seller):
    network.receive(seller, sku, "LAX1", 5)

    order = ingest(account, normalised(ship_to=ship_to(postcode="ABCDE"))).order  # postcode_invalid

    order.refresh_from_db()
    assert order.allocation_status == AllocationStatus.UNALLOCATED
    assert not Reservation.objects.exists() and not RoutingDecision.objects.exists()
    with pytest.raises(OrderOnHold):
        order_route(actor=SYSTEM, order=order)
    assert order_route(actor=SYSTEM, order=order, strict=False).outcome == RouteOutcome.HELD


def test_a_split_needs_the_sellers_consent(account, sku, network, seller):
    other = make_sku(seller, code="LUMEN-MUG")
    make_sku_map(account, channel_sku="MUG", sku=other)
    network.receive(seller, sku, "LAX1", 5)
    network.receive(seller, other, "NJ1", 5)
    two_skus = (line(quantity=1), line("MUG", quantity=1))

    refused = ingest(account, normalised(lines=two_skus)).order
    refused.refresh_from_db()
    assert refused.allocation_status == AllocationStatus.BACKORDERED
    assert "splitting is not allowed" in _decision(refused).summary

    order_settings_set(actor=SYSTEM, seller_id=seller.pk, allow_split=True)
    split = ingest(account, normalised(lines=two_skus)).order

    split.refresh_from_db()
    assert split.allocation_status == AllocationStatus.ALLOCATED
    assert _decision(split).outcome == "split"
    assert _held(split, "LUMEN-TS-BLK-M").warehouse.code == "LAX1"
    assert _held(split, "LUMEN-MUG").warehouse.code == "NJ1"
    # One stock_reserve per warehouse, demand ref the order.
    assert set(
        Reservation.objects.filter(demand_ref=str(split.pk)).values_list("warehouse__code", flat=True)
    ) == {
        "LAX1",
        "NJ1",
    }


def test_a_splits_cost_is_the_sum_of_its_parts_each_priced_for_its_own_parcel(account, network, seller):
    # given two 3 kg SKUs, one at LAX1 and one at NJ1: one parcel of both would weigh 6 kg (USD 40.00 a
    # parcel past 5 kg), each part alone 3 kg (LAX1 USD 4.10, NJ1 USD 6.50)
    lamp = make_sku(seller, code="LAMP", weight_g=3000)
    vase = make_sku(seller, code="VASE", weight_g=3000)
    make_sku_map(account, channel_sku="LAMP", sku=lamp)
    make_sku_map(account, channel_sku="VASE", sku=vase)
    network.receive(seller, lamp, "LAX1", 2)
    network.receive(seller, vase, "NJ1", 2)
    order_settings_set(actor=SYSTEM, seller_id=seller.pk, allow_split=True)

    # when an order of one of each is routed
    order = ingest(account, normalised(lines=(line("LAMP", quantity=1), line("VASE", quantity=1)))).order

    # then the decision's cost is the sum of the parts' own last-mile costs, each part with its reason
    decision = _decision(order)
    assert decision.outcome == "split"
    assert [(p["warehouse"], p["lines"], p["cost"]) for p in decision.allocations] == [
        ("LAX1", [["LAMP", 1]], "4.10"),
        ("NJ1", [["VASE", 1]], "6.50"),
    ]
    assert decision.allocations[0]["text"].startswith("LAX1 ships LAMP ×1: USD 4.10, ")
    assert decision.allocations[1]["text"].startswith("NJ1 ships VASE ×1: USD 6.50, ")
    assert (decision.estimated_cost, decision.cost_currency) == (Decimal("10.60"), "USD")
    assert decision.summary == "split: 2 parcels from LAX1, NJ1, USD 10.60 in all"
    # the candidates' own reasons still price the whole order's parcel
    assert any(text.startswith("LAX1: 1 of 2 in stock, USD 40.00") for text in _texts(order))


def test_a_lost_race_routes_once_more_on_fresh_stock(account, sku, network, seller, monkeypatch):
    network.receive(seller, sku, "NJ1", 5)
    real = routing._available
    calls = {"n": 0}

    def stale(seller_id, sku_ids, warehouse_ids):
        calls["n"] += 1
        answer = real(seller_id, sku_ids, warehouse_ids)
        if calls["n"] == 1:  # the first read still sees 12 units at LAX1 that another order has just taken
            answer[(network.warehouses["LAX1"].pk, sku.pk)] = 12
        return answer

    monkeypatch.setattr(routing, "_available", stale)
    order = ingest(account, normalised(lines=(line(quantity=2),))).order

    order.refresh_from_db()
    assert calls["n"] == 2
    assert _held(order).warehouse.code == "NJ1"
    assert RoutingDecision.objects.filter(order=order).count() == 1
    assert ledger_verify() == []


def test_a_race_lost_twice_backorders(account, sku, network, seller, monkeypatch):
    real = routing._available

    def stale(seller_id, sku_ids, warehouse_ids):
        answer = real(seller_id, sku_ids, warehouse_ids)
        answer[(network.warehouses["LAX1"].pk, sku.pk)] = 12
        return answer

    monkeypatch.setattr(routing, "_available", stale)
    order = ingest(account, normalised(lines=(line(quantity=2),))).order

    order.refresh_from_db()
    assert order.allocation_status == AllocationStatus.BACKORDERED
    assert _decision(order).summary == "backordered: the stock was taken by other orders meanwhile"
    assert order.lines.get().reservation is None and not Reservation.objects.exists()


def test_warehouses_outside_an_active_agreement_are_not_candidates(account, sku, network, seller):
    network.receive(seller, sku, "LAX1", 5)
    ServiceAgreement.objects.filter(seller=seller).update(status=AgreementStatus.TERMINATED)

    order = ingest(account, normalised()).order

    order.refresh_from_db()
    assert order.allocation_status == AllocationStatus.BACKORDERED
    assert _decision(order).candidates == []
    assert "no warehouse" in _decision(order).summary


def test_a_cancelled_order_gives_its_stock_back(account, sku, network, seller):
    network.receive(seller, sku, "LAX1", 5)
    given = normalised(external_id="C-1", lines=(line(quantity=2),))
    order = ingest(account, given).order
    counter = StockCounter.objects.get(warehouse=network.warehouses["LAX1"], sku=sku)
    assert counter.reserved == 2

    from dataclasses import replace

    from haicang.channels.normalised import OrderStatus

    ingest(account, replace(given, status=OrderStatus.CANCELLED))

    counter.refresh_from_db()
    assert counter.reserved == 0
    assert _held(order).status == ReservationStatus.CLOSED
    assert ledger_verify() == []


def test_routing_again_an_allocated_order_changes_nothing(account, sku, network, seller):
    network.receive(seller, sku, "LAX1", 5)
    order = ingest(account, normalised()).order

    assert order_route(actor=SYSTEM, order=order).outcome == RouteOutcome.NOTHING_TO_ROUTE
    assert Reservation.objects.count() == 1 and RoutingDecision.objects.count() == 1
