"""Receiving through the services: scans kept applied or rejected, carton labels, confirming a carton,
discrepancies (over and unexpected only this way, damaged to the damaged location), partial receipts, the
receipt report at close and the seller's answer to it."""

from __future__ import annotations

import pytest

from haicang.core.audit import AuditEntry
from haicang.core.files import file_exists, file_read
from haicang.inbound.carton_codes import carton_barcode, carton_barcode_parse, carton_code
from haicang.inbound.discrepancies import Photo, discrepancy_record
from haicang.inbound.errors import DiscrepancyInvalid, PhotoInvalid, ReportStatusInvalid, SkuNotOnShipment
from haicang.inbound.models import Discrepancy, ReceiptReport, ReceivingScan, ShipmentStatus
from haicang.inbound.receipt_report import (
    inbound_report_acknowledge,
    inbound_report_dispute,
    receipt_report_get,
)
from haicang.inbound.receiving import inbound_close
from haicang.inbound.scanning import receiving_carton_confirm, receiving_scan_record
from haicang.inbound.tests.factories import SYSTEM
from haicang.inbound.tests.receiving_factories import make_arrived, make_stray_sku
from haicang.integration.models import OutboxEvent
from haicang.inventory.verify import ledger_verify
from haicang.network.models import LocationKind

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _scan(rw, raw, **kw):
    return receiving_scan_record(actor=SYSTEM, shipment=rw.shipment, raw=raw, **kw)


# --- carton labels (pure) ----------------------------------------------------------------------------------


def test_a_carton_label_reads_back_whatever_case_and_spaces_the_scanner_sends():
    assert carton_code("lumen", "ASN-2026-000012", 3) == "lumen/ASN-2026-000012/3"
    parsed = carton_barcode_parse("  LUMEN/asn-2026-000012/3 \n")
    assert parsed is not None and (parsed.seller, parsed.shipment, parsed.carton) == (
        "lumen",
        "ASN-2026-000012",
        3,
    )
    assert parsed.names("Lumen", "ASN-2026-000012") and not parsed.names("lumen", "ASN-2026-000013")


@pytest.mark.parametrize(
    "text", ["", "4006381333931", "lumen/ASN-1", "lumen/ASN-1/0", "lumen/ASN-1/x", "a b/ASN-1/2", "a/b/c/1"]
)
def test_anything_else_is_not_a_carton_label(text):
    assert carton_barcode_parse(text) is None


def test_a_label_is_refused_for_parts_that_would_not_read_back():
    with pytest.raises(ValueError):
        carton_code("lu/men", "ASN-1", 1)
    with pytest.raises(ValueError):
        carton_code("lumen", "ASN-1", 0)


# --- scans ------------------------------------------------------------------------------------------------


def test_scanning_a_carton_label_then_barcodes_receives_one_unit_each_counted_in_the_carton():
    # given an arrived shipment
    rw = make_arrived()
    carton = rw.shipment.cartons.get(number=1)
    # when the operator scans the label of carton 1, then A's barcode twice and A's code with a quantity of 3
    label = _scan(rw, carton_barcode(rw.shipment, carton))
    first = _scan(rw, "4006381333931", carton=label.carton)
    _scan(rw, "4006381333931", carton=label.carton)
    typed = _scan(rw, rw.a.code.lower(), carton=label.carton, quantity=3)
    # then every scan is applied and kept, 5 units of A are in the receiving location
    assert (label.status, label.kind, label.carton.number) == ("applied", "carton", 1)
    assert (first.status, first.sku, first.quantity, typed.quantity) == ("applied", rw.a, 1, 3)
    assert rw.line(rw.a).received_quantity == 5
    assert rw.at(LocationKind.RECEIVING, rw.a) == 5
    rw.shipment.refresh_from_db()
    assert rw.shipment.status == ShipmentStatus.RECEIVING
    assert ReceivingScan.objects.filter(shipment=rw.shipment, status="applied").count() == 4
    assert ledger_verify() == []


def test_a_scan_that_cannot_be_applied_is_kept_with_its_reason():
    # given an arrived shipment, a SKU of the seller that is not on it, and a carton label of another shipment
    rw = make_arrived()
    stray = make_stray_sku(rw)
    other = make_arrived()
    # when the operator scans garbage, the stray SKU, the other label, and more A than expected
    cases = {
        "NOPE-123": "inbound.scan_unknown",
        stray.code: "inbound.sku_not_on_shipment",
        carton_barcode(other.shipment, other.shipment.cartons.get(number=1)): "inbound.carton_unknown",
        f"{rw.world.seller.code}/{rw.shipment.number}/9": "inbound.carton_unknown",
    }
    for raw, code in cases.items():
        scan = _scan(rw, raw)
        # then each is kept, rejected, with the code and a sentence saying why
        assert (scan.status, scan.reason_code) == ("rejected", code), raw
        assert scan.reason and scan.raw == raw
    over = _scan(rw, rw.a.code, quantity=11)
    assert (over.status, over.reason_code, over.quantity) == ("rejected", "inbound.over_receipt", 0)
    assert rw.line(rw.a).received_quantity == 0 and rw.at(LocationKind.RECEIVING, rw.a) == 0
    assert ReceivingScan.objects.filter(shipment=rw.shipment, status="rejected").count() == 5
    assert AuditEntry.objects.filter(action="inbound.scan_rejected").count() == 5


def test_a_scan_on_a_closed_shipment_is_kept_rejected():
    rw = make_arrived()
    inbound_close(actor=SYSTEM, shipment=rw.shipment)
    scan = _scan(rw, rw.a.code)
    assert (scan.status, scan.reason_code) == ("rejected", "inbound.status_invalid")


def test_confirming_a_carton_receives_what_its_label_declares_and_was_not_counted_yet():
    # given 4 units of A already scanned in carton 1 (which declares 10)
    rw = make_arrived()
    carton = rw.shipment.cartons.get(number=1)
    _scan(rw, rw.a.code, carton=carton, quantity=4)
    # when the operator confirms carton 1 as labelled
    scans = receiving_carton_confirm(actor=SYSTEM, shipment=rw.shipment, carton=carton)
    # then the 6 others are received, and a second confirmation is kept rejected
    assert [(s.status, s.kind, s.sku, s.quantity) for s in scans] == [("applied", "confirm", rw.a, 6)]
    assert rw.line(rw.a).received_quantity == 10
    again = receiving_carton_confirm(actor=SYSTEM, shipment=rw.shipment, carton=carton)
    assert [(s.status, s.reason_code) for s in again] == [("rejected", "inbound.receipt_invalid")]


def test_a_damaged_unit_goes_to_the_damaged_location_with_a_discrepancy_and_its_photo():
    rw = make_arrived()
    scan = _scan(rw, "4006381333931", damaged=True, note="crushed corner", photo=Photo(PNG))
    assert (scan.status, scan.damaged) == ("applied", True)
    assert rw.at(LocationKind.DAMAGED, rw.a) == 1 and rw.at(LocationKind.RECEIVING, rw.a) == 0
    assert rw.line(rw.a).damaged_quantity == 1
    found = Discrepancy.objects.get(shipment=rw.shipment)
    assert (found.kind, found.quantity, found.note) == ("damaged", 1, "crushed corner")
    assert file_exists(path=found.photo) and file_read(path=found.photo) == PNG
    assert ledger_verify() == []


def test_a_photo_must_be_an_image():
    rw = make_arrived()
    with pytest.raises(PhotoInvalid):
        discrepancy_record(
            actor=SYSTEM,
            shipment=rw.shipment,
            kind="damaged",
            sku=rw.a,
            quantity=1,
            photo=Photo(b"%PDF-1.7"),
        )
    assert not Discrepancy.objects.exists()


# --- over and unexpected ----------------------------------------------------------------------------------


def test_more_than_expected_comes_in_only_as_a_recorded_over_discrepancy_with_a_note():
    # given every unit of A received
    rw = make_arrived()
    _scan(rw, rw.a.code, quantity=10)
    # when one more is scanned, it is refused and kept
    assert _scan(rw, rw.a.code).reason_code == "inbound.over_receipt"
    # and an over discrepancy without a note is refused
    with pytest.raises(DiscrepancyInvalid):
        discrepancy_record(actor=SYSTEM, shipment=rw.shipment, kind="over", sku=rw.a, quantity=2, note=" ")
    # when it is recorded with a note
    found = discrepancy_record(
        actor=SYSTEM, shipment=rw.shipment, kind="over", sku=rw.a, quantity=2, note="2 extra in carton 1"
    )
    # then the 2 units are in the receiving location, from the supplier; in transit is untouched
    assert (found.kind, found.quantity) == ("over", 2)
    assert rw.at(LocationKind.RECEIVING, rw.a) == 12
    assert rw.line(rw.a).received_quantity == 10
    assert ledger_verify() == []


def test_over_is_refused_while_units_are_still_expected_and_for_a_sku_not_on_the_shipment():
    rw = make_arrived()
    with pytest.raises(DiscrepancyInvalid) as caught:
        discrepancy_record(actor=SYSTEM, shipment=rw.shipment, kind="over", sku=rw.a, quantity=1, note="x")
    assert caught.value.context["open"] == 10
    with pytest.raises(SkuNotOnShipment):
        discrepancy_record(
            actor=SYSTEM, shipment=rw.shipment, kind="over", sku=make_stray_sku(rw), quantity=1, note="x"
        )
    with pytest.raises(DiscrepancyInvalid):
        discrepancy_record(actor=SYSTEM, shipment=rw.shipment, kind="short", sku=rw.a, quantity=1, note="x")


def test_an_unexpected_sku_is_received_as_a_discrepancy():
    rw = make_arrived()
    stray = make_stray_sku(rw)
    with pytest.raises(DiscrepancyInvalid):  # A is on the shipment: that would be "over"
        discrepancy_record(
            actor=SYSTEM, shipment=rw.shipment, kind="unexpected_sku", sku=rw.a, quantity=1, note="x"
        )
    discrepancy_record(
        actor=SYSTEM, shipment=rw.shipment, kind="unexpected_sku", sku=stray, quantity=3, note="loose in C2"
    )
    assert rw.at(LocationKind.RECEIVING, stray) == 3
    rw.shipment.refresh_from_db()
    assert rw.shipment.status == ShipmentStatus.RECEIVING


# --- partial receipts, close, report ----------------------------------------------------------------------


def test_receipts_over_several_sessions_then_close_records_short_and_keeps_the_report():
    # given a first session receiving 6 A, a second one 9 B and 1 damaged B, and 1 unexpected unit
    rw = make_arrived()
    _scan(rw, rw.a.code, quantity=6)
    rw.shipment.refresh_from_db()
    assert rw.shipment.status == ShipmentStatus.RECEIVING
    _scan(rw, rw.b.code, quantity=9)
    _scan(rw, rw.b.code, damaged=True)
    stray = make_stray_sku(rw)
    discrepancy_record(
        actor=SYSTEM, shipment=rw.shipment, kind="unexpected_sku", sku=stray, quantity=1, note="?"
    )
    # when the operator closes the shipment
    inbound_close(actor=SYSTEM, shipment=rw.shipment, note="container fully unloaded")
    # then what was not received is short, and the report says so per SKU
    shorts = {d.sku_id: d.quantity for d in Discrepancy.objects.filter(shipment=rw.shipment, kind="short")}
    assert shorts == {rw.a.pk: 4, rw.b.pk: 10}
    report = receipt_report_get(rw.shipment)
    rows = {row["sku"]["code"]: row for row in report.lines}
    assert {k: rows[rw.a.code][k] for k in ("expected", "received", "damaged", "short", "over")} == {
        "expected": 10,
        "received": 6,
        "damaged": 0,
        "short": 4,
        "over": 0,
    }
    assert (rows[rw.b.code]["received"], rows[rw.b.code]["damaged"], rows[rw.b.code]["short"]) == (9, 1, 10)
    assert rows["STRAY-01"]["on_shipment"] is False and rows["STRAY-01"]["over"] == 1
    assert [d["kind"] for d in rows[rw.b.code]["discrepancies"]] == ["damaged", "short"]
    assert report.status == "open"
    assert rw.at(LocationKind.IN_TRANSIT, rw.a) == 0 and ledger_verify() == []


def test_the_seller_acknowledges_or_disputes_the_report_once_audited_and_announced():
    rw = make_arrived()
    _scan(rw, rw.a.code, quantity=10)
    inbound_close(actor=SYSTEM, shipment=rw.shipment)
    with pytest.raises(Exception):  # noqa: B017 - a dispute needs a note
        inbound_report_dispute(actor=SYSTEM, shipment=rw.shipment, note="  ")
    disputed = inbound_report_dispute(actor=SYSTEM, shipment=rw.shipment, note="B was all there")
    assert (disputed.status, disputed.response_note) == ("disputed", "B was all there")
    event = OutboxEvent.objects.get(event_type="inbound.report_disputed")
    assert event.operator_id == rw.world.operator.pk
    with pytest.raises(ReportStatusInvalid):
        inbound_report_dispute(actor=SYSTEM, shipment=rw.shipment, note="again")
    done = inbound_report_acknowledge(actor=SYSTEM, shipment=rw.shipment, note="settled by phone")
    assert done.status == "acknowledged"
    with pytest.raises(ReportStatusInvalid):
        inbound_report_acknowledge(actor=SYSTEM, shipment=rw.shipment)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"inbound.report_disputed", "inbound.report_acknowledged"} <= actions
    assert ReceiptReport.objects.count() == 1
