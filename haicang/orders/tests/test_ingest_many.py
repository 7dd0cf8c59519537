"""Ingesting many orders at once (the import's path) stores what ingesting them one by one stores: the same
holds, lines, routing decisions, reservations, events and audit entries; the first in the file gets the last
units; a batch whose stock was taken meanwhile is done again one by one; existing orders are replayed."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest

from haicang.catalog.tests.factories import make_kit, make_sku
from haicang.channels.tests.factories import make_channel_account, make_sku_map
from haicang.core.models.audit import AuditEntry
from haicang.integration.models import OutboxEvent
from haicang.inventory.models import Reservation
from haicang.inventory.verify import ledger_verify
from haicang.orders import ingest_many
from haicang.orders.ingest_many import orders_ingest_many
from haicang.orders.models import AllocationStatus, Order
from haicang.orders.services import order_ingest
from haicang.orders.tests.factories import SYSTEM, line, normalised, ship_to
from haicang.orders.tests.routing_factories import make_network

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(seller):
    return make_network(seller)


def _orders(prefix: str) -> list[Any]:
    """A mix: routed to LAX1 or NJ1, a kit, a bad postcode (held), an unmapped SKU (held), a cancelled one."""
    return [
        normalised(external_id=f"{prefix}-1", lines=(line(quantity=2),)),
        normalised(
            external_id=f"{prefix}-2", lines=(line(quantity=1), line("MUG", 1)), service_level="Two Day"
        ),
        normalised(external_id=f"{prefix}-3", lines=(line("TEASET", 1),)),
        normalised(external_id=f"{prefix}-4", ship_to=ship_to(postcode="ABC")),
        normalised(external_id=f"{prefix}-5", lines=(line("NOPE", 1),)),
        normalised(external_id=f"{prefix}-6", status="cancelled", platform_status="cancelled"),
        normalised(
            external_id=f"{prefix}-7", ship_to=ship_to(postcode="10001", city="New York", region="NY")
        ),
    ]


def _units_out(text: str) -> str:
    return re.sub(r"\d+ in stock", "n in stock", text)


def _snapshot(order: Order) -> dict[str, Any]:
    """What an order stored, without ids, numbers and times."""
    decision = order.routing_decisions.first()
    return {
        "status": (order.status, order.allocation_status),
        "lines": sorted(
            (line.position, line.kind, line.channel_sku, line.quantity, line.sku_id is not None)
            for line in order.lines.all()
        ),
        "reserved": sorted(
            (r.warehouse.code, r.sku.code, r.quantity)
            for r in Reservation.objects.filter(demand_ref=str(order.pk)).select_related("warehouse", "sku")
        ),
        "holds": sorted(order.holds.values_list("reason", flat=True)),
        "history": list(order.history.values_list("version", "event", "source")),
        # (how many units are in stock differs: the second set comes after the first took some)
        "decision": decision
        and (decision.outcome, decision.summary, [_units_out(c["text"]) for c in decision.candidates]),
        "events": list(
            OutboxEvent.objects.filter(subject_id=str(order.pk)).values_list("event_type", "subject_version")
        ),
        "audit": sorted(AuditEntry.objects.filter(subject_id=str(order.pk)).values_list("action", flat=True)),
    }


def test_many_at_once_store_what_one_by_one_stores(seller, account, sku, network):
    # given stock at both US warehouses, a mug, a tea set kit, and a second account of the same shop kind
    mug = make_sku(seller, code="MUG")
    cup, saucer = make_sku(seller, code="CUP"), make_sku(seller, code="SAUCER")
    kit = make_kit(seller, [(cup, 1), (saucer, 2)], code="TEA-SET")
    other = make_channel_account(seller, platform="shopify", name="Lumen US 2", currency="USD")
    for account_ in (account, other):
        make_sku_map(account_, channel_sku="TEASET", sku=kit)
    make_sku_map(other, channel_sku="TS-BLK-M", sku=sku)
    for item in (sku, mug, cup, saucer):
        network.receive(seller, item, "LAX1", 100)
        network.receive(seller, item, "NJ1", 100)

    # when the same orders come in one by one through one account and all at once through the other
    for order in _orders("X"):
        order_ingest(actor=SYSTEM, account=account, normalised=order, source="import")
    counts = orders_ingest_many(actor=SYSTEM, items=[(other, order) for order in _orders("X")])

    # then each order stored the same
    assert counts == {"created": 7, "changed": 0, "unchanged": 0, "stale": 0}
    for n in range(1, 8):
        one = Order.objects.get(account=account, external_id=f"X-{n}")
        many = Order.objects.get(account=other, external_id=f"X-{n}")
        assert _snapshot(many) == _snapshot(one), n
    numbers = list(
        Order.objects.filter(account=other).order_by("external_id").values_list("number", flat=True)
    )
    assert numbers == [f"ORD-2026-{n:06d}" for n in range(8, 15)]
    assert ledger_verify() == []


def test_the_first_in_the_file_gets_the_last_units(seller, account, sku, network):
    network.receive(seller, sku, "LAX1", 5)

    orders_ingest_many(
        actor=SYSTEM,
        items=[(account, normalised(external_id=f"L-{n}", lines=(line(quantity=2),))) for n in range(3)],
    )

    statuses = dict(Order.objects.values_list("external_id", "allocation_status"))
    assert statuses == {
        "L-0": AllocationStatus.ALLOCATED,
        "L-1": AllocationStatus.ALLOCATED,
        "L-2": AllocationStatus.BACKORDERED,
    }
    assert ledger_verify() == []


def test_a_batch_whose_stock_was_taken_meanwhile_is_done_one_by_one(
    seller, account, sku, network, monkeypatch
):
    # given 3 units, but a read that still sees 10 (others took 7 since)
    network.receive(seller, sku, "LAX1", 3)
    real = ingest_many.stock_available

    def stale(*args: Any) -> dict[Any, int]:
        return dict.fromkeys(real(*args), 10)

    monkeypatch.setattr(ingest_many, "stock_available", stale)

    # when two orders of 2 come in together
    counts = orders_ingest_many(
        actor=SYSTEM,
        items=[(account, normalised(external_id=f"R-{n}", lines=(line(quantity=2),))) for n in range(2)],
    )

    # then the batch's reservation failed as a whole and the orders were ingested one by one on fresh stock
    assert counts["created"] == 2
    statuses = dict(Order.objects.values_list("external_id", "allocation_status"))
    assert statuses == {"R-0": AllocationStatus.ALLOCATED, "R-1": AllocationStatus.BACKORDERED}
    assert sorted(Order.objects.values_list("number", flat=True)) == ["ORD-2026-000001", "ORD-2026-000002"]
    assert ledger_verify() == []


def test_existing_orders_and_repeats_are_replays(seller, account, sku, network):
    network.receive(seller, sku, "LAX1", 10)
    first = normalised(external_id="E-1", lines=(line(quantity=1),))
    order_ingest(actor=SYSTEM, account=account, normalised=first)
    changed = normalised(external_id="E-1", lines=(line(quantity=1),), service_level="Express")
    new = normalised(external_id="E-2", lines=(line(quantity=1),))

    counts = orders_ingest_many(actor=SYSTEM, items=[(account, changed), (account, new), (account, new)])

    assert counts == {"created": 1, "changed": 1, "unchanged": 1, "stale": 0}
    assert Order.objects.count() == 2
    assert Counter(Order.objects.values_list("allocation_status", flat=True)) == {
        AllocationStatus.ALLOCATED: 2
    }
    assert ledger_verify() == []


def test_the_import_reports_one_steady_progress_in_orders(seller, account, sku, network):
    from haicang.exchange.registry import ImportContext, importers
    from haicang.exchange.running import import_run

    network.receive(seller, sku, "LAX1", 10)
    text = (
        "channel_account,external_id,placed_at,channel_sku,quantity,ship_country,ship_postcode\n"
        + "".join(f"{account.name},P-{n},2026-03-01T10:00:00Z,TS-BLK-M,1,US,97477\n" for n in range(5))
    )
    reports: list[tuple[int, int | None]] = []

    outcome = import_run(
        importer=importers.get("orders"),
        context=ImportContext(actor=SYSTEM, owner=seller),
        data=text.encode(),
        fmt="csv",
        progress=lambda done, total=None, message="": reports.append((done, total)),
    )

    assert outcome.counts["created"] == 5
    assert reports[-1] == (5, 5)
    assert [done for done, _ in reports] == sorted(done for done, _ in reports)  # never goes back
