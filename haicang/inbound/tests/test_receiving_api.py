"""Receiving through the REST API: scans (kept when rejected), confirming a carton, discrepancies with a
photo, the receipt report both parties read and the seller answers, who may do what."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from haicang.inbound.carton_codes import carton_barcode
from haicang.inbound.models import ReceivingScan
from haicang.inbound.tests.receiving_factories import PNG, make_arrived, make_stray_sku
from haicang.inventory.verify import ledger_verify
from haicang.parties.tests.factories import make_member

pytestmark = pytest.mark.django_db
BASE = "/api/v1/inbound-shipments/"


def _client(party: Any, role: str = "owner") -> APIClient:
    client = APIClient()
    client.force_login(make_member(party, role).user)
    return client


def test_the_receiving_flow_through_the_api():
    # given an arrived shipment, the operator's warehouse staff and the seller's planner
    rw = make_arrived()
    staff, seller = _client(rw.world.operator, "warehouse_staff"), _client(rw.world.seller, "planner")
    url = f"{BASE}{rw.shipment.pk}/"
    label = carton_barcode(rw.shipment, rw.shipment.cartons.get(number=1))

    # when staff scan carton 1's label, then A's barcode, then garbage
    scanned = staff.post(url + "scans/", {"raw": label}, format="json")
    assert scanned.status_code == 201, scanned.json()
    assert (scanned.json()["status"], scanned.json()["kind"], scanned.json()["carton"]) == (
        "applied",
        "carton",
        1,
    )
    one = staff.post(url + "scans/", {"raw": "4006381333931", "carton": 1}, format="json").json()
    assert (one["status"], one["sku"]["code"], one["quantity"]) == ("applied", rw.a.code, 1)
    bad = staff.post(url + "scans/", {"raw": "??", "carton": 1}, format="json")
    # then the bad scan is kept, rejected with its reason
    assert bad.status_code == 201 and bad.json()["status"] == "rejected"
    assert bad.json()["reason_code"] == "inbound.scan_unknown"

    # when carton 1 is confirmed as labelled, then carton 2 with one B damaged first
    confirmed = staff.post(url + "confirm-carton/", {"carton": 1}, format="json")
    assert confirmed.status_code == 201 and [s["quantity"] for s in confirmed.json()] == [9]
    damaged = staff.post(url + "scans/", {"raw": rw.b.code, "carton": 2, "damaged": True}, format="json")
    assert damaged.json()["damaged"] is True
    staff.post(url + "scans/", {"raw": rw.b.code, "carton": 2, "quantity": 17}, format="json")

    # and two extra units of A as "over" with a photo (multipart), and an unexpected SKU
    over = staff.post(
        url + "discrepancies/",
        {"kind": "over", "sku_code": rw.a.code, "quantity": 2, "note": "2 extra", "photo": _png()},
        format="multipart",
    )
    assert over.status_code == 201, over.json()
    assert over.json()["has_photo"] is True
    stray = make_stray_sku(rw)
    extra = staff.post(
        url + "discrepancies/",
        {"kind": "unexpected_sku", "sku": str(stray.pk), "quantity": 1, "note": "loose"},
        format="json",
    )
    assert extra.status_code == 201, extra.json()

    # then both parties see the preview; the seller cannot answer before the close
    preview = seller.get(url + "receipt-report/").json()
    assert preview["status"] == "preview" and preview["totals"]["over"] == 3
    early = seller.post(url + "receipt-report/acknowledge/", {}, format="json")
    assert early.status_code == 409 and early.json()["code"] == "inbound.report_missing"

    # when staff close it
    assert staff.post(url + "close/", {"note": "done"}, format="json").status_code == 200
    report = seller.get(url + "receipt-report/").json()
    rows = {row["sku"]["code"]: row for row in report["lines"]}
    assert report["status"] == "open"
    assert (rows[rw.a.code]["received"], rows[rw.a.code]["over"]) == (12, 2)
    assert (rows[rw.b.code]["received"], rows[rw.b.code]["damaged"], rows[rw.b.code]["short"]) == (17, 1, 2)
    assert rows["STRAY-01"]["on_shipment"] is False
    assert staff.get(url + "receipt-report/").json() == report

    # then the operator cannot answer it; the seller disputes it (a note is required), then acknowledges
    assert staff.post(url + "receipt-report/dispute/", {"note": "x"}, format="json").status_code == 403
    assert seller.post(url + "receipt-report/dispute/", {}, format="json").status_code == 400
    disputed = seller.post(url + "receipt-report/dispute/", {"note": "2 B were there"}, format="json")
    assert disputed.status_code == 200 and disputed.json()["status"] == "disputed"
    done = seller.post(url + "receipt-report/acknowledge/", {"note": "ok"}, format="json").json()
    assert done["status"] == "acknowledged" and done["response_note"] == "ok"

    # and the scans and discrepancies are listed; the photo is served to both parties
    scans = staff.get("/api/v1/receiving-scans/", {"shipment": str(rw.shipment.pk), "status": "rejected"})
    assert [s["raw"] for s in scans.json()["results"]] == ["??"]
    kinds = [d["kind"] for d in seller.get("/api/v1/inbound-discrepancies/").json()["results"]]
    assert sorted(kinds) == ["damaged", "over", "short", "unexpected_sku"]
    photo = seller.get(f"/api/v1/inbound-discrepancies/{over.json()['id']}/photo/")
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"
    assert photo.getvalue() == PNG
    assert ledger_verify() == []


def _png() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("crushed.png", PNG, content_type="image/png")


def test_sellers_do_not_scan_and_do_not_see_scans():
    rw = make_arrived()
    seller = _client(rw.world.seller, "owner")
    url = f"{BASE}{rw.shipment.pk}/scans/"
    assert seller.post(url, {"raw": rw.a.code}, format="json").status_code == 403
    _client(rw.world.operator).post(url, {"raw": "x"}, format="json")
    assert ReceivingScan.objects.count() == 1
    assert seller.get("/api/v1/receiving-scans/").json()["results"] == []


def test_another_operator_gets_404_and_a_viewer_gets_403():
    rw, other = make_arrived(), make_arrived()
    url = f"{BASE}{rw.shipment.pk}/"
    stranger = _client(other.world.operator, "warehouse_staff")
    assert stranger.post(url + "scans/", {"raw": rw.a.code}, format="json").status_code == 404
    assert stranger.get(url + "receipt-report/").status_code == 404
    viewer = _client(rw.world.seller, "viewer")
    assert viewer.get(url + "receipt-report/").status_code == 200
    assert viewer.post(url + "receipt-report/acknowledge/", {}, format="json").status_code == 403
    assert not ReceivingScan.objects.exists()
