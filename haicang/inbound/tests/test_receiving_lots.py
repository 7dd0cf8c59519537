"""Receiving from in transit: lot-tracked SKUs are received into the lot named at receipt (with its expiry
when the lot is new and the SKU expiry-tracked), every received unit ages from its receipt, and closing or
cancelling leaves nothing in transit — through the services, the scanner's scans, discrepancies, the API
and the scanner page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from haicang.catalog.tests.factories import make_sku
from haicang.core.money import Money
from haicang.inbound.discrepancies import discrepancy_record
from haicang.inbound.models import ReceivingScan, ShipmentStatus
from haicang.inbound.receiving import ReceiptLine, inbound_close, inbound_receive
from haicang.inbound.scanning import receiving_carton_confirm, receiving_scan_record
from haicang.inbound.services import inbound_arrive, inbound_cancel, inbound_dispatch, inbound_submit
from haicang.inbound.tests.factories import SYSTEM, InboundWorld, make_inbound_world, make_shipment
from haicang.inventory.errors import InvalidLot
from haicang.inventory.models import Balance, Lot
from haicang.inventory.verify import ledger_verify
from haicang.network.models import LocationKind
from haicang.parties.tests.factories import make_member

pytestmark = pytest.mark.django_db

EXPIRES = dt.date(2027, 9, 30)


def _lot_world(*, expiry: bool = False) -> InboundWorld:
    """A world whose second SKU is lot-tracked (and expiry-tracked with ``expiry``): 10 × plain, 20 × lot."""
    world = make_inbound_world()
    world.skus[1] = make_sku(
        world.seller,
        code="TEA-LOT",
        track_lot=True,
        track_expiry=expiry,
        length_mm=200,
        width_mm=100,
        height_mm=100,
        weight_g=500,
        purchase_cost=Money.of("20.00", "CNY"),
        hs_code="0902100000",
        origin_country="CN",
        declared_value=Money.of("4.00", "USD"),
    )
    return world


def _arrived(world: InboundWorld, *, dispatched_days_ago: int = 0):
    shipment = inbound_submit(actor=SYSTEM, shipment=make_shipment(world))
    at = timezone.now() - dt.timedelta(days=dispatched_days_ago)
    shipment = inbound_dispatch(actor=SYSTEM, shipment=shipment, at=at)
    return inbound_arrive(actor=SYSTEM, shipment=shipment)


def _layers(world: InboundWorld, sku, kind: str = LocationKind.RECEIVING) -> list[tuple[str, dt.date, int]]:
    rows = Balance.objects.filter(
        owner=world.seller, sku=sku, location__warehouse=world.warehouse, location__kind=kind, quantity__gt=0
    )
    return sorted(rows.values_list("lot_code", "received_on", "quantity"))


def _in_transit(world: InboundWorld) -> int:
    rows = Balance.objects.filter(owner=world.seller, location__kind=LocationKind.IN_TRANSIT)
    return sum(rows.values_list("quantity", flat=True))


# --- the service ----------------------------------------------------------------------------------------------


def test_a_lot_tracked_sku_is_received_in_the_lot_named_and_closing_leaves_nothing_in_transit():
    # given an arrived shipment of a plain SKU and a lot-tracked one, dispatched 25 days ago
    world = _lot_world()
    shipment = _arrived(world, dispatched_days_ago=25)
    plain, lotted = world.skus

    # when the plain SKU and two lots of the other are received (a lot typed for the plain one is ignored)
    inbound_receive(
        actor=SYSTEM,
        shipment=shipment,
        lines=[
            ReceiptLine(plain.code, 10, lot_code="IGNORED"),
            ReceiptLine(lotted.code, 12, lot_code="L-A"),
            ReceiptLine(lotted.code, 5, 1, lot_code="L-B"),
        ],
    )

    # then the units land in their lots, dated today (not the dispatch day); the damaged one in its lot too
    today = timezone.localdate()
    assert _layers(world, plain) == [("", today, 10)]
    assert _layers(world, lotted) == [("L-A", today, 12), ("L-B", today, 5)]
    assert _layers(world, lotted, LocationKind.DAMAGED) == [("L-B", today, 1)]
    assert sorted(Lot.objects.filter(sku=lotted).values_list("code", flat=True)) == ["L-A", "L-B"]
    line = shipment.lines.get(sku=lotted)
    assert (line.received_quantity, line.damaged_quantity) == (17, 1)
    assert _in_transit(world) == 2

    # when the shipment is closed with 2 units short, then nothing is left in transit and the ledger holds
    inbound_close(actor=SYSTEM, shipment=shipment)
    assert _in_transit(world) == 0
    assert ledger_verify() == []


def test_a_lot_tracked_sku_without_its_lot_is_refused_naming_the_line_and_nothing_is_received():
    world = _lot_world()
    shipment = _arrived(world)

    with pytest.raises(InvalidLot) as caught:
        inbound_receive(
            actor=SYSTEM,
            shipment=shipment,
            lines=[ReceiptLine(world.skus[0].code, 1), ReceiptLine(world.skus[1].code, 3)],
        )

    assert caught.value.field == "lines.1.lot_code"
    assert [line.received_quantity for line in shipment.lines.order_by("position")] == [0, 0]
    assert _in_transit(world) == 30
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.ARRIVED


def test_a_new_lot_of_an_expiry_tracked_sku_needs_its_expiry_at_receipt():
    world = _lot_world(expiry=True)
    shipment = _arrived(world)
    lotted = world.skus[1]

    with pytest.raises(InvalidLot) as caught:
        inbound_receive(actor=SYSTEM, shipment=shipment, lines=[ReceiptLine(lotted.code, 3, lot_code="E-1")])
    assert caught.value.field == "lines.0.expires_on"

    inbound_receive(
        actor=SYSTEM,
        shipment=shipment,
        lines=[ReceiptLine(lotted.code, 3, lot_code="E-1", expires_on=EXPIRES)],
    )
    assert Lot.objects.get(sku=lotted, code="E-1").expires_on == EXPIRES
    assert ledger_verify() == []


def test_cancelling_a_shipment_in_transit_returns_every_unit_to_the_supplier():
    world = _lot_world()
    shipment = make_shipment(world, status="in_transit")
    assert _in_transit(world) == 30

    inbound_cancel(actor=SYSTEM, shipment=shipment, reason="rebooked")

    assert _in_transit(world) == 0
    assert ledger_verify() == []


# --- scans, confirming a carton, discrepancies -----------------------------------------------------------------


def test_scans_receive_into_the_lot_typed_and_a_scan_without_a_needed_lot_is_kept_rejected():
    world = _lot_world(expiry=True)
    shipment = _arrived(world)
    plain, lotted = world.skus

    missing = receiving_scan_record(actor=SYSTEM, shipment=shipment, raw=lotted.code, quantity=2)
    undated = receiving_scan_record(actor=SYSTEM, shipment=shipment, raw=lotted.code, lot_code="E-9")
    garbled = receiving_scan_record(
        actor=SYSTEM, shipment=shipment, raw=lotted.code, lot_code="E-9", expires_on="31/09/2027"
    )
    good = receiving_scan_record(
        actor=SYSTEM, shipment=shipment, raw=lotted.code, quantity=4, lot_code="E-9", expires_on="2027-09-30"
    )
    again = receiving_scan_record(actor=SYSTEM, shipment=shipment, raw=lotted.code, lot_code="E-9")
    untracked = receiving_scan_record(actor=SYSTEM, shipment=shipment, raw=plain.code, lot_code="E-9")

    assert [(s.status, s.reason_code) for s in (missing, undated, garbled)] == [
        ("rejected", "stock.lot_invalid"),
        ("rejected", "stock.lot_invalid"),
        ("rejected", "inbound.receipt_invalid"),
    ]
    assert [(s.status, s.quantity, s.lot_code) for s in (good, again, untracked)] == [
        ("applied", 4, "E-9"),
        ("applied", 1, "E-9"),
        ("applied", 1, ""),
    ]
    assert ReceivingScan.objects.filter(shipment=shipment).count() == 6
    assert Lot.objects.get(sku=lotted, code="E-9").expires_on == EXPIRES
    assert _layers(world, lotted) == [("E-9", timezone.localdate(), 5)]
    assert ledger_verify() == []


def test_a_carton_is_confirmed_in_one_lot_and_refused_whole_without_it():
    world = _lot_world()
    shipment = _arrived(world)
    carton = shipment.cartons.get(number=2)  # 20 × the lot-tracked SKU

    refused = receiving_carton_confirm(actor=SYSTEM, shipment=shipment, carton=carton)
    assert [(s.status, s.reason_code) for s in refused] == [("rejected", "stock.lot_invalid")]

    confirmed = receiving_carton_confirm(actor=SYSTEM, shipment=shipment, carton=carton, lot_code="C-2")
    assert [(s.status, s.quantity, s.lot_code) for s in confirmed] == [("applied", 20, "C-2")]
    assert _layers(world, world.skus[1]) == [("C-2", timezone.localdate(), 20)]


def test_damaged_and_over_units_of_a_lot_tracked_sku_name_their_lot():
    world = _lot_world()
    shipment = _arrived(world)
    lotted = world.skus[1]

    with pytest.raises(InvalidLot) as caught:
        discrepancy_record(actor=SYSTEM, shipment=shipment, kind="damaged", sku=lotted, quantity=1)
    assert caught.value.field == "lot_code"

    damaged = discrepancy_record(
        actor=SYSTEM, shipment=shipment, kind="damaged", sku=lotted, quantity=1, lot_code="D-1"
    )
    inbound_receive(actor=SYSTEM, shipment=shipment, lines=[ReceiptLine(lotted.code, 19, lot_code="D-1")])
    over = discrepancy_record(
        actor=SYSTEM, shipment=shipment, kind="over", sku=lotted, quantity=2, note="2 extra", lot_code="D-2"
    )

    assert (damaged.lot_code, over.lot_code) == ("D-1", "D-2")
    today = timezone.localdate()
    assert _layers(world, lotted, LocationKind.DAMAGED) == [("D-1", today, 1)]
    assert _layers(world, lotted) == [("D-1", today, 19), ("D-2", today, 2)]
    assert ledger_verify() == []


# --- the API and the scanner page --------------------------------------------------------------------------------


def _api(party: Any, role: str) -> APIClient:
    client = APIClient()
    client.force_login(make_member(party, role).user)
    return client


def test_the_api_receives_lots_and_names_the_line_of_a_missing_lot():
    world = _lot_world(expiry=True)
    shipment = _arrived(world)
    staff = _api(world.operator, "warehouse_staff")
    url = f"/api/v1/inbound-shipments/{shipment.pk}/"

    missing = staff.post(url + "receive/", {"lines": [{"sku_code": "TEA-LOT", "quantity": 2}]}, format="json")
    assert missing.status_code == 400, missing.json()
    assert missing.json()["code"] == "stock.lot_invalid"

    received = staff.post(
        url + "receive/",
        {"lines": [{"sku_code": "TEA-LOT", "quantity": 2, "lot_code": "A-1", "expires_on": "2027-09-30"}]},
        format="json",
    )
    assert received.status_code == 200, received.json()
    scan = staff.post(url + "scans/", {"raw": "TEA-LOT", "lot_code": "A-1"}, format="json").json()
    assert (scan["status"], scan["lot_code"]) == ("applied", "A-1")
    damaged = staff.post(
        url + "discrepancies/",
        {"kind": "damaged", "sku_code": "TEA-LOT", "quantity": 1, "lot_code": "A-1"},
        format="json",
    )
    assert damaged.status_code == 201 and damaged.json()["lot_code"] == "A-1"
    assert _layers(world, world.skus[1]) == [("A-1", timezone.localdate(), 3)]


def test_the_scanner_page_asks_for_the_lot_keeps_it_for_the_next_scans_and_explains_a_missing_one():
    world = _lot_world()
    shipment = _arrived(world)
    staff = Client()
    staff.force_login(make_member(world.operator, "warehouse_staff").user)
    page = f"/receiving/{shipment.pk}/"

    shown = staff.get(page)
    assert 'name="lot"' in shown.text and "TEA-LOT" in shown.text

    answer = staff.post(page, {"raw": "TEA-LOT"})
    assert "Name the item&#x27;s lot" in staff.get(answer["Location"]).text

    answer = staff.post(page, {"raw": "TEA-LOT", "quantity": "3", "lot": "P-7"})
    assert "lot=P-7" in answer["Location"]
    again = staff.get(answer["Location"])
    assert "Received 3 × TEA-LOT." in again.text and 'value="P-7"' in again.text
    assert _layers(world, world.skus[1]) == [("P-7", timezone.localdate(), 3)]


def test_the_discrepancy_page_records_damaged_units_in_their_lot_and_explains_a_bad_expiry():
    world = _lot_world(expiry=True)
    shipment = _arrived(world)
    staff = Client()
    staff.force_login(make_member(world.operator, "warehouse_staff").user)
    page = f"/receiving/{shipment.pk}/discrepancy/"
    form = {"kind": "damaged", "sku": "TEA-LOT", "quantity": "1", "lot": "N-1"}

    assert 'name="lot"' in staff.get(page).text
    garbled = staff.post(page, {**form, "expires": "30.09.2027"})
    assert garbled.status_code == 400 and "Type the expiry date as 2027-03-31." in garbled.text
    undated = staff.post(page, form)
    assert undated.status_code == 400 and "Name the item&#x27;s lot" in undated.text

    recorded = staff.post(page, {**form, "expires": "2027-09-30"})
    assert recorded.status_code == 302
    assert _layers(world, world.skus[1], LocationKind.DAMAGED) == [("N-1", timezone.localdate(), 1)]
    assert Lot.objects.get(sku=world.skus[1], code="N-1").expires_on == EXPIRES
