"""Inbound shipments through the services: the document's rules, the lifecycle and the ledger it moves."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from haicang.core.money import Money
from haicang.inbound.asn_rules import CartonSpec, ContentSpec, CostSpec, LineSpec
from haicang.inbound.costing import shipment_landed_cost
from haicang.inbound.errors import InboundInvalid, InboundStale, InboundStatusInvalid, OverReceipt
from haicang.inbound.models import LandedCostAverage, Milestone, ShipmentStatus
from haicang.inbound.receiving import ReceiptLine, inbound_close, inbound_receive
from haicang.inbound.services import (
    inbound_arrive,
    inbound_cancel,
    inbound_costs_set,
    inbound_create,
    inbound_eta_change,
    inbound_submit,
    inbound_update,
)
from haicang.inbound.tests.factories import SYSTEM, make_inbound_world, make_shipment, make_spec, record_rates
from haicang.integration.models import OutboxEvent
from haicang.inventory.models import Balance
from haicang.network.models import LocationKind
from haicang.network.tests.factories import make_warehouse
from haicang.parties.agreements import agreement_terminate
from haicang.parties.services import seller_market_set
from haicang.parties.tests.factories import make_operator

pytestmark = pytest.mark.django_db


def _at(world, kind: str, sku) -> int:
    rows = Balance.objects.filter(
        owner=world.seller, sku=sku, location__warehouse=world.warehouse, location__kind=kind
    )
    return sum(rows.values_list("quantity", flat=True))


def test_a_draft_takes_a_number_per_seller_and_the_purchase_cost_from_the_sku():
    world = make_inbound_world()
    first, second = make_shipment(world), make_shipment(world)
    year = timezone.now().year
    assert (first.number, second.number) == (f"ASN-{year}-000001", f"ASN-{year}-000002")
    line = first.lines.get(sku=world.skus[0])
    assert line.purchase_cost == Money.of("10.00", "CNY") and line.expected_quantity == 10
    assert first.status == ShipmentStatus.DRAFT
    assert list(first.milestones.values_list("status", flat=True)) == ["draft"]


def test_a_bad_asn_is_refused_with_every_problem_listed_and_nothing_written():
    # given a warehouse of an operator the seller has no agreement with, and a document full of mistakes
    world = make_inbound_world()
    elsewhere = make_warehouse(make_operator())
    spec = make_spec(world)
    spec = type(spec)(
        **{
            **spec.__dict__,
            "lines": [
                LineSpec("NO-SUCH-SKU", 5),
                LineSpec(world.skus[0].code, 0),
                LineSpec(world.skus[1].code, 7),
            ],
            "cartons": [CartonSpec(1, [ContentSpec(world.skus[1].code, 6)], length_mm=400)],
            "costs": [CostSpec("bribe", Money.of("1", "EUR"))],
        }
    )
    # when
    with pytest.raises(InboundInvalid) as caught:
        inbound_create(actor=SYSTEM, seller=world.seller, warehouse=elsewhere, spec=spec)
    # then every problem is named by its place in the document
    found = {(p.field, p.code) for p in caught.value.problems}
    assert found == {
        ("warehouse", "inbound.destination_invalid"),
        ("lines.0.sku", "inbound.sku_unknown"),
        ("lines.1.quantity", "inbound.quantity_invalid"),
        ("cartons.0", "inbound.carton_invalid"),
        ("cartons", "inbound.cartons_inconsistent"),
        ("costs.0.kind", "inbound.field_invalid"),
    }
    assert not world.seller.inbound_shipments.exists()


def test_another_sellers_sku_is_unknown():
    world, other = make_inbound_world(), make_inbound_world()
    spec = make_spec(world)
    spec = type(spec)(**{**spec.__dict__, "lines": [LineSpec(other.skus[0].pk, 1)], "cartons": []})
    with pytest.raises(InboundInvalid) as caught:
        inbound_create(actor=SYSTEM, seller=world.seller, warehouse=world.warehouse, spec=spec)
    assert [(p.field, p.code) for p in caught.value.problems] == [("lines.0.sku", "inbound.sku_unknown")]


def test_a_draft_changes_with_its_version_and_a_stale_version_is_refused():
    world = make_inbound_world()
    shipment = make_shipment(world)
    changed = inbound_update(
        actor=SYSTEM,
        shipment=shipment,
        changes={"carrier": "Maersk", "lines": [LineSpec(world.skus[0].code, 4)], "cartons": []},
        version=shipment.version,
    )
    assert changed.carrier == "Maersk" and changed.version == shipment.version + 1
    assert list(changed.lines.values_list("expected_quantity", flat=True)) == [4]
    with pytest.raises(InboundStale):
        inbound_update(actor=SYSTEM, shipment=changed, changes={"carrier": "MSC"}, version=shipment.version)


def test_submitting_rechecks_the_agreement_and_then_announces_the_shipment():
    world = make_inbound_world()
    shipment = make_shipment(world)
    submitted = inbound_submit(actor=SYSTEM, shipment=shipment)
    assert submitted.status == "submitted" and submitted.submitted_at is not None
    event = OutboxEvent.objects.get(event_type="inbound.submitted", subject_id=str(shipment.pk))
    assert (event.seller_id, event.operator_id) == (world.seller.pk, world.operator.pk)
    with pytest.raises(InboundStatusInvalid):
        inbound_update(actor=SYSTEM, shipment=submitted, changes={"carrier": "x"})

    # given an agreement that ended: a draft cannot be submitted any more
    draft = make_shipment(world)
    agreement = world.seller.agreements.get()
    agreement_terminate(actor=SYSTEM, agreement=agreement, on=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(InboundInvalid) as caught:
        inbound_submit(actor=SYSTEM, shipment=draft)
    assert [p.field for p in caught.value.problems] == ["warehouse"]


def test_the_whole_life_moves_stock_supplier_to_transit_to_receiving_and_writes_off_the_short():
    world = make_inbound_world()
    a, b = world.skus
    shipment = make_shipment(world, status="in_transit")
    assert shipment.status == "in_transit"
    assert _at(world, LocationKind.IN_TRANSIT, a) == 10 and _at(world, LocationKind.IN_TRANSIT, b) == 20

    arrived = inbound_arrive(actor=SYSTEM, shipment=shipment)
    # two receipts over two days: A 9 good + 1 damaged, B 15 then 4
    inbound_receive(
        actor=SYSTEM, shipment=arrived, lines=[ReceiptLine(a.code, 9, 1), ReceiptLine(b.code, 15)]
    )
    receiving = inbound_receive(actor=SYSTEM, shipment=arrived, lines=[ReceiptLine(b.pk, 4)])
    assert receiving.status == "receiving"
    with pytest.raises(OverReceipt):
        inbound_receive(actor=SYSTEM, shipment=arrived, lines=[ReceiptLine(b.code, 2)])

    closed = inbound_close(actor=SYSTEM, shipment=arrived)
    assert closed.status == "closed"
    assert _at(world, LocationKind.RECEIVING, a) == 9 and _at(world, LocationKind.DAMAGED, a) == 1
    assert _at(world, LocationKind.RECEIVING, b) == 19
    assert _at(world, LocationKind.IN_TRANSIT, a) == 0 and _at(world, LocationKind.IN_TRANSIT, b) == 0
    line_b = closed.lines.get(sku=b)
    assert (line_b.received_quantity, line_b.damaged_quantity, line_b.short_quantity) == (19, 0, 1)
    assert list(Milestone.objects.filter(shipment=closed).values_list("status", flat=True)) == [
        "draft",
        "submitted",
        "in_transit",
        "arrived",
        "receiving",
        "closed",
    ]
    events = list(
        OutboxEvent.objects.filter(subject_id=str(shipment.pk)).values_list("event_type", flat=True)
    )
    assert sorted(set(events)) == [
        "inbound.arrived",
        "inbound.closed",
        "inbound.received",
        "inbound.submitted",
    ]


def test_cancelling_in_transit_sends_the_units_back_to_the_supplier():
    world = make_inbound_world()
    shipment = make_shipment(world, status="in_transit")
    cancelled = inbound_cancel(actor=SYSTEM, shipment=shipment, reason="supplier failed QC")
    assert cancelled.status == "cancelled"
    assert _at(world, LocationKind.IN_TRANSIT, world.skus[0]) == 0
    with pytest.raises(InboundStatusInvalid):
        inbound_arrive(actor=SYSTEM, shipment=cancelled)


def test_eta_changes_are_kept_with_the_previous_date():
    world = make_inbound_world()
    shipment = make_shipment(world, status="submitted")
    inbound_eta_change(actor=SYSTEM, shipment=shipment, eta=dt.date(2026, 4, 9), reason="port congestion")
    changed = inbound_eta_change(actor=SYSTEM, shipment=shipment, eta=dt.date(2026, 4, 12))
    assert changed.eta == dt.date(2026, 4, 12)
    assert list(changed.eta_changes.values_list("previous_eta", "new_eta")) == [
        (dt.date(2026, 4, 1), dt.date(2026, 4, 9)),
        (dt.date(2026, 4, 9), dt.date(2026, 4, 12)),
    ]


def test_landed_cost_is_kept_at_dispatch_and_the_average_follows_each_receipt():
    # given CNY costs and a EUR seller; rates recorded for the dispatch day
    world = make_inbound_world()
    a = world.skus[0]
    record_rates(timezone.localdate(), CNY="0.125")
    shipment = make_shipment(world, status="in_transit")
    # goods: A 10 × 10 CNY = 12.50 EUR, B 20 × 20 CNY = 50.00 EUR; freight 125.00 EUR by carton volume 1:2;
    # duty 30 EUR by value 12.5:50
    result = shipment_landed_cost(shipment)
    assert [str(p) for p in result.costs[0].parts] == ["EUR 41.67", "EUR 83.33"]
    assert [str(p) for p in result.costs[1].parts] == ["EUR 6.00", "EUR 24.00"]
    line_a = shipment.lines.get(sku=a)
    assert line_a.landed_unit_cost == Money.of("6.017000", "EUR")  # (12.50 + 41.67 + 6.00) / 10

    # when the goods are received, the average at the warehouse takes them
    inbound_arrive(actor=SYSTEM, shipment=shipment)
    inbound_receive(actor=SYSTEM, shipment=shipment, lines=[ReceiptLine(a.code, 10)])
    average = LandedCostAverage.objects.get(sku=a, warehouse=world.warehouse)
    assert average.unit_cost == Money.of("6.017000", "EUR") and average.units_received == 10

    # a second shipment at another cost moves the average by the units on hand
    second = make_shipment(world, status="in_transit", quantities=[10, 20])
    inbound_costs_set(actor=SYSTEM, shipment=second, costs=[])
    assert second.lines.get(sku=a).landed_unit_cost == Money.of("1.250000", "EUR")
    inbound_arrive(actor=SYSTEM, shipment=second)
    inbound_receive(actor=SYSTEM, shipment=second, lines=[ReceiptLine(a.code, 10)])
    average.refresh_from_db()
    assert average.unit_cost == Money.of("3.633500", "EUR")  # (10 × 6.017 + 10 × 1.25) / 20


def test_import_vat_counts_only_where_the_seller_cannot_recover_it():
    world = make_inbound_world()
    record_rates(timezone.localdate(), CNY="0.125")
    shipment = make_shipment(world, status="in_transit")
    inbound_costs_set(
        actor=SYSTEM, shipment=shipment, costs=[CostSpec("import_vat", Money.of("19.00", "EUR"))]
    )
    assert shipment_landed_cost(shipment).total == Money.of("81.50", "EUR")
    seller_market_set(
        actor=SYSTEM, seller=world.seller, country=world.warehouse.country, import_vat_recoverable=True
    )
    assert shipment_landed_cost(shipment).total == Money.of("62.50", "EUR")


def test_without_an_fx_rate_the_landed_cost_stays_empty_and_nothing_is_blocked():
    world = make_inbound_world()
    shipment = make_shipment(world, status="in_transit")
    assert shipment.status == "in_transit"
    assert shipment.lines.filter(landed_unit_cost_amount__isnull=False).count() == 0
    inbound_arrive(actor=SYSTEM, shipment=shipment)
    inbound_receive(actor=SYSTEM, shipment=shipment, lines=[ReceiptLine(world.skus[0].code, 1)])
    average = LandedCostAverage.objects.get(sku=world.skus[0])
    assert average.units_received == 0


def test_a_closed_shipment_with_nothing_received_writes_everything_off():
    world = make_inbound_world()
    shipment = make_shipment(world, status="in_transit")
    inbound_arrive(actor=SYSTEM, shipment=shipment)
    inbound_close(actor=SYSTEM, shipment=shipment, note="container lost")
    assert _at(world, LocationKind.IN_TRANSIT, world.skus[0]) == 0
    assert Decimal(0) == sum(
        Balance.objects.filter(location__warehouse=world.warehouse).values_list("quantity", flat=True)
    )
