"""Inbound shipments through the REST API: the whole flow, every problem listed, who sees what."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from haicang.inbound.tests.factories import make_inbound_world, make_shipment, record_rates
from haicang.network.tests.factories import make_warehouse
from haicang.parties.tests.factories import make_agreement, make_member, make_operator

pytestmark = pytest.mark.django_db
BASE = "/api/v1/inbound-shipments/"


def _client(party: Any, role: str = "owner") -> APIClient:
    client = APIClient()
    client.force_login(make_member(party, role).user)
    return client


def _document(world: Any) -> dict[str, Any]:
    a, b = world.skus
    return {
        "warehouse": str(world.warehouse.pk),
        "mode": "sea_fcl",
        "origin_country": "cn",
        "origin_city": "Shenzhen",
        "origin_port": "CNYTN",
        "carrier": "COSCO",
        "container_number": "cscu 1234567",
        "etd": "2026-03-01",
        "eta": "2026-04-01",
        "lines": [
            {"sku_code": a.code, "quantity": 10},
            {"sku": str(b.pk), "quantity": 20, "purchase_cost": {"amount": "3.50", "currency": "EUR"}},
        ],
        "cartons": [
            {
                "number": 1,
                "length_mm": 600,
                "width_mm": 400,
                "height_mm": 400,
                "gross_weight_g": 12000,
                "contents": [{"sku_code": a.code, "quantity": 10}, {"sku_code": b.code, "quantity": 5}],
            },
            {
                "number": 2,
                "length_mm": 600,
                "width_mm": 400,
                "height_mm": 400,
                "gross_weight_g": 9000,
                "contents": [{"sku_code": b.code, "quantity": 15}],
            },
        ],
        "customs_lines": [{"sku_code": a.code}, {"sku_code": b.code, "hs_code": "6109.10.00"}],
        "costs": [
            {"kind": "freight", "amount": {"amount": "800.00", "currency": "CNY"}},
            {"kind": "duty", "amount": {"amount": "12.00", "currency": "EUR"}},
            {"kind": "import_vat", "amount": {"amount": "30.00", "currency": "EUR"}, "basis": "value"},
        ],
    }


def test_the_whole_flow_through_the_api():
    # given a seller's planner and the operator's warehouse staff
    world = make_inbound_world()
    record_rates(timezone.localdate(), CNY="0.125")
    seller, staff = _client(world.seller, "planner"), _client(world.operator, "warehouse_staff")
    a, b = world.skus

    # when the seller creates a draft, the operator does not see it yet
    created = seller.post(BASE, _document(world), format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    pk = body["id"]
    assert body["status"] == "draft" and body["container_number"] == "CSCU1234567"
    assert body["lines"][0]["purchase_cost"] == {"amount": "10.00", "currency": "CNY"}
    assert [c["hs_code"] for c in body["customs_lines"]] == ["6109100010", "61091000"]
    assert staff.get(f"{BASE}{pk}/").status_code == 404

    # the seller corrects the carrier, submits and dispatches
    patched = seller.patch(
        f"{BASE}{pk}/", {"carrier": "Evergreen", "version": body["version"]}, format="json"
    )
    assert patched.status_code == 200 and patched.json()["carrier"] == "Evergreen"
    assert seller.post(f"{BASE}{pk}/submit/").json()["status"] == "submitted"
    dispatched = seller.post(f"{BASE}{pk}/dispatch/", {"note": "on board"}, format="json")
    assert dispatched.status_code == 200 and dispatched.json()["status"] == "in_transit"
    assert (
        seller.post(f"{BASE}{pk}/eta/", {"eta": "2026-04-05", "reason": "weather"}, format="json").json()[
            "eta_changes"
        ][0]["new_eta"]
        == "2026-04-05"
    )

    # then the operator sees it without prices, records the arrival, receives twice and closes
    seen = staff.get(f"{BASE}{pk}/").json()
    assert "costs" not in seen and "purchase_cost" not in seen["lines"][0]
    assert "declared_value" not in seen["customs_lines"][0]
    assert staff.post(f"{BASE}{pk}/arrive/").json()["status"] == "arrived"
    first = staff.post(
        f"{BASE}{pk}/receive/",
        {"lines": [{"sku_code": a.code, "quantity": 9, "damaged": 1}, {"sku_code": b.code, "quantity": 12}]},
        format="json",
    )
    assert first.status_code == 200, first.json()
    over = staff.post(f"{BASE}{pk}/receive/", {"lines": [{"sku_code": b.code, "quantity": 9}]}, format="json")
    assert over.status_code == 409 and over.json()["code"] == "inbound.over_receipt"
    staff.post(f"{BASE}{pk}/receive/", {"lines": [{"sku": str(b.pk), "quantity": 7}]}, format="json")
    closed = staff.post(f"{BASE}{pk}/close/", {"note": "1 short"}, format="json").json()
    assert closed["status"] == "closed"
    assert [
        (ln["received_quantity"], ln["damaged_quantity"], ln["short_quantity"]) for ln in closed["lines"]
    ] == [
        (9, 1, 0),
        (19, 0, 1),
    ]
    assert [m["status"] for m in closed["milestones"]] == [
        "draft",
        "submitted",
        "in_transit",
        "arrived",
        "receiving",
        "closed",
    ]

    # and the seller reads the landed cost: it adds up, and the average per warehouse exists
    landed = seller.get(f"{BASE}{pk}/landed-cost/").json()
    assert landed["currency"] == "EUR"
    assert landed["goods_total"] == {"amount": "82.50", "currency": "EUR"}  # 10 × 1.25 + 20 × 3.50
    # + 100.00 freight + 12.00 duty + 30.00 import VAT (the seller has no German market profile: not recovered)
    assert landed["total"] == {"amount": "224.50", "currency": "EUR"}
    freight = landed["costs"][0]
    assert freight["basis_used"] == "volume"
    # carton 1 is split 10:5 between A and B, carton 2 is all B: volumes 1:2
    assert [p["amount"] for p in freight["parts"]] == ["33.33", "66.67"]
    averages = seller.get("/api/v1/landed-costs/").json()["results"]
    assert {row["sku"]["code"] for row in averages} == {a.code, b.code}
    assert staff.get(f"{BASE}{pk}/landed-cost/").status_code == 403
    assert staff.get("/api/v1/landed-costs/").json()["count"] == 0


def test_an_asn_with_many_mistakes_answers_one_problem_listing_them_all():
    world = make_inbound_world()
    seller = _client(world.seller)
    document = _document(world)
    document["warehouse"] = str(make_warehouse(make_operator()).pk)
    document["lines"][0]["quantity"] = -3
    document["lines"].append({"sku_code": "GHOST", "quantity": 1})
    document["cartons"][1]["contents"][0]["quantity"] = 14
    response = seller.post(BASE, document, format="json")
    assert response.status_code == 400
    problem = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert problem["code"] == "inbound.invalid"
    assert {(e["field"], e["code"]) for e in problem["errors"]} == {
        ("warehouse", "inbound.destination_invalid"),
        ("lines.0.quantity", "inbound.quantity_invalid"),
        ("lines.2.sku", "inbound.sku_unknown"),
        ("cartons", "inbound.cartons_inconsistent"),
    }
    assert seller.get(BASE).json()["count"] == 0


def test_an_operator_sees_only_submitted_shipments_of_its_own_warehouses():
    # given two operators with warehouses under agreement with the same seller
    world = make_inbound_world()
    other_operator = make_operator()
    make_agreement(world.seller, other_operator)
    draft = make_shipment(world)
    submitted = make_shipment(world, status="submitted")
    mine, other = _client(world.operator), _client(other_operator)
    # then the destination's operator lists the submitted one only, the other operator nothing
    listed = [row["id"] for row in mine.get(BASE).json()["results"]]
    assert listed == [str(submitted.pk)]
    assert other.get(BASE).json()["count"] == 0
    assert other.get(f"{BASE}{submitted.pk}/").status_code == 404
    assert mine.get(f"{BASE}{draft.pk}/").status_code == 404
    assert other.post(f"{BASE}{submitted.pk}/arrive/").status_code == 404


def test_the_operator_cannot_change_the_sellers_document_nor_the_seller_receive():
    world = make_inbound_world()
    shipment = make_shipment(world, status="in_transit")
    operator, seller = _client(world.operator), _client(world.seller)
    assert operator.post(f"{BASE}{shipment.pk}/cancel/").status_code == 403
    assert operator.patch(f"{BASE}{shipment.pk}/", {"carrier": "x"}, format="json").status_code == 403
    seller.post(f"{BASE}{shipment.pk}/arrive/")
    answer = seller.post(
        f"{BASE}{shipment.pk}/receive/",
        {"lines": [{"sku_code": world.skus[0].code, "quantity": 1}]},
        format="json",
    )
    assert answer.status_code == 403
    viewer = _client(world.seller, "viewer")
    assert viewer.get(f"{BASE}{shipment.pk}/").status_code == 200
    assert viewer.post(f"{BASE}{shipment.pk}/cancel/").status_code == 403


def test_a_missing_fx_rate_makes_the_landed_cost_answer_409_naming_the_currency():
    world = make_inbound_world()
    shipment = make_shipment(world)
    answer = _client(world.seller).get(f"{BASE}{shipment.pk}/landed-cost/")
    assert answer.status_code == 409
    assert answer.json()["code"] == "inbound.landed_cost_unavailable"
    assert answer.json()["context"]["missing"] == ["CNY"]
