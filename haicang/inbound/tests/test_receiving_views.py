"""The receiving pages through Django's test client: the list, scanning (rejected scans shown with their
reason), discrepancies with a photo, closing, the receipt report and the seller's answer, who sees what."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from haicang.inbound.carton_codes import carton_barcode
from haicang.inbound.models import Discrepancy, ReceiptReport, ReceivingScan
from haicang.inbound.tests.receiving_factories import PNG, make_arrived
from haicang.parties.tests.factories import make_member

pytestmark = pytest.mark.django_db


def _client(party: Any, role: str = "owner") -> Client:
    client = Client()
    client.force_login(make_member(party, role).user)
    return client


def test_warehouse_staff_receive_a_carton_on_the_scanner_page():
    # given an arrived shipment and the operator's warehouse staff
    rw = make_arrived()
    staff = _client(rw.world.operator, "warehouse_staff")
    # when they open Receiving, the shipment is listed, and the header has the entry
    listing = staff.get("/receiving/")
    assert listing.status_code == 200
    assert rw.shipment.number in listing.text and 'href="/receiving/"' in listing.text
    page = f"/receiving/{rw.shipment.pk}/"
    # when they scan carton 1's label, they come back with the carton chosen
    label = carton_barcode(rw.shipment, rw.shipment.cartons.get(number=1))
    answer = staff.post(page, {"raw": label})
    assert answer.status_code == 302 and "carton=1" in answer["Location"]
    shown = staff.get(answer["Location"])
    assert "Carton 1: now scan its items." in shown.text and "0 / 10" in shown.text
    # when they scan A's barcode with a quantity of 4
    answer = staff.post(page, {"raw": "4006381333931", "quantity": "4", "carton": "1"})
    shown = staff.get(answer["Location"])
    assert f"Received 4 × {rw.a.code}." in shown.text and "4 / 10" in shown.text
    # when they scan one more than expected, the page says why and offers to record it as over
    answer = staff.post(page, {"raw": rw.a.code, "quantity": "7", "carton": "1"})
    shown = staff.get(answer["Location"])
    assert "More than expected: record the extra units as over." in shown.text
    assert f"kind=over&amp;sku={rw.a.code}" in shown.text
    # when they confirm carton 1 as labelled, the 6 others come in
    answer = staff.post(page, {"action": "confirm", "carton": "1"})
    assert "Carton 1 received as labelled." in staff.get(answer["Location"]).text
    assert rw.line(rw.a).received_quantity == 10
    assert list(ReceivingScan.objects.values_list("status", flat=True).order_by("at")) == [
        "applied",
        "applied",
        "rejected",
        "applied",
    ]


def test_a_damaged_unit_with_a_photo_then_close_and_the_seller_disputes_the_report():
    rw = make_arrived()
    staff = _client(rw.world.operator, "warehouse_staff")
    seller = _client(rw.world.seller, "planner")
    # when staff record a damaged B with a photo on the discrepancy page
    answer = staff.post(
        f"/receiving/{rw.shipment.pk}/discrepancy/",
        {
            "kind": "damaged",
            "sku": rw.b.code,
            "quantity": "1",
            "note": "wet",
            "photo": SimpleUploadedFile("wet.png", PNG, content_type="image/png"),
        },
    )
    assert answer.status_code == 302
    found = Discrepancy.objects.get()
    assert (found.kind, found.quantity, bool(found.photo)) == ("damaged", 1, True)
    # and an over without a note is refused with the reason
    refused = staff.post(f"/receiving/{rw.shipment.pk}/discrepancy/", {"kind": "over", "sku": rw.a.code})
    assert refused.status_code == 400 and "Say in a note what was found." in refused.text
    # when staff close the shipment, they land on the report
    closed = staff.post(f"/receiving/{rw.shipment.pk}/close/", {})
    assert closed["Location"] == f"/receiving/{rw.shipment.pk}/report/"
    report = seller.get(closed["Location"])
    assert report.status_code == 200 and "Awaiting the seller" in report.text and "Dispute" in report.text
    # the photo is the seller's to see too
    photo = seller.get(f"/receiving/discrepancies/{found.pk}/photo/")
    assert photo.status_code == 200 and photo.getvalue() == PNG
    # when the seller disputes it without a note, it is refused; with one, it is disputed
    seller.post(f"/receiving/{rw.shipment.pk}/report/answer/", {"answer": "dispute"})
    assert ReceiptReport.objects.get().status == "open"
    seller.post(f"/receiving/{rw.shipment.pk}/report/answer/", {"answer": "dispute", "note": "B was dry"})
    assert ReceiptReport.objects.get().status == "disputed"
    assert "B was dry" in staff.get(closed["Location"]).text


def test_sellers_cannot_scan_and_other_operators_do_not_see_the_shipment():
    rw, other = make_arrived(), make_arrived()
    seller = _client(rw.world.seller, "owner")
    assert seller.get(f"/receiving/{rw.shipment.pk}/").status_code == 403
    assert seller.get("/receiving/").status_code == 403
    assert 'href="/receiving/"' not in seller.get("/").text
    stranger = _client(other.world.operator, "warehouse_staff")
    assert stranger.get(f"/receiving/{rw.shipment.pk}/").status_code == 404
    assert stranger.post(f"/receiving/{rw.shipment.pk}/", {"raw": rw.a.code}).status_code == 404
    assert stranger.get(f"/receiving/{rw.shipment.pk}/report/").status_code == 404
    assert str(rw.shipment.pk) not in stranger.get("/receiving/").text
    assert not ReceivingScan.objects.exists()


def test_the_scanner_page_speaks_chinese():
    rw = make_arrived()
    staff = _client(rw.world.operator, "warehouse_staff")
    staff.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    page = staff.get(f"/receiving/{rw.shipment.pk}/")
    assert page.status_code == 200
    assert "扫描箱标或商品" in page.text and "整批：已收 0 / 预期 30" in page.text
