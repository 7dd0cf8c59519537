"""The carriers, services, rate cards and quotes API: operators write their own, sellers read and quote."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from haicang.core.audit import audit_entries_for
from haicang.network.models import Carrier, RateCard
from haicang.network.tests.carrier_factories import flat_zone, make_card, make_carrier, make_service
from haicang.network.tests.factories import make_warehouse
from haicang.parties.tests.factories import make_agreement, make_member, make_operator, make_seller

pytestmark = pytest.mark.django_db

QUOTE: dict[str, Any] = {
    "parcel": {"weight_g": 800, "length_mm": 300, "width_mm": 200, "height_mm": 100},
    "destination": {"country": "DE", "postcode": "60311", "residential": True},
    "on": "2026-11-20",
}


def client_for(membership) -> APIClient:
    client = APIClient()
    client.force_login(membership.user)
    return client


@pytest.fixture
def world():
    """Operator A with FRA1 and two services there; operator B; a seller whose agreement covers FRA1."""
    op_a, op_b = make_operator(code="rhein"), make_operator()
    fra1 = make_warehouse(op_a, code="FRA1", markets=["DE", "AT"])
    seller = make_seller()
    make_agreement(seller, op_a, warehouses=[fra1])
    dpx = make_carrier(op_a, code="DPX")
    classic = make_service(dpx, code="DPX-CLASSIC", warehouses=[fra1], countries=["DE", "AT"])
    make_card(classic, fuel_surcharge_pct=Decimal("8.5"), residential_surcharge=None)
    glx = make_service(make_carrier(op_a, code="GLX"), code="GLX-HOME", warehouses=[fra1], countries=["DE"])
    make_card(glx, zones=[flat_zone("DE", "DE", [(1000, "3.90"), (2000, "4.40")], "EUR", transit_days=2)])
    return {"op_a": op_a, "op_b": op_b, "fra1": fra1, "seller": seller, "dpx": dpx, "classic": classic}


def test_an_operator_adds_a_carrier_a_service_and_a_whole_card_through_the_api(world):
    client = client_for(make_member(world["op_a"], "manager"))

    carrier = client.post(
        "/api/v1/carriers/",
        {
            "code": "upx",
            "name": "United Parcel Express",
            "tracking_url_template": "https://upx.example/{tracking_number}",
        },
        format="json",
    )
    assert carrier.status_code == 201, carrier.json()
    service = client.post(
        "/api/v1/carrier-services/",
        {
            "carrier": carrier.json()["id"],
            "code": "UPX-STANDARD",
            "name": "UPX Standard",
            "service_level": "ground",
            "warehouses": [str(world["fra1"].pk)],
            "countries": ["DE", "AT"],
            "transit_days_default": 3,
        },
        format="json",
    )
    assert service.status_code == 201, service.json()
    assert service.json()["warehouses"] == ["FRA1"] and service.json()["countries"] == ["AT", "DE"]
    card = client.post(
        "/api/v1/rate-cards/",
        {
            "service": service.json()["id"],
            "currency": "EUR",
            "effective_from": "2026-01-01",
            "dim_divisor": 5000,
            "fuel_surcharge_pct": "9.250",
            "remote_surcharge": {"amount": "2.50", "currency": "EUR"},
            "remote_areas": [{"country": "DE", "prefix": "18565"}],
            "zones": [
                {
                    "name": "DE",
                    "transit_days": 1,
                    "areas": [{"country": "DE", "prefix": ""}],
                    "breaks": [
                        {"max_weight_g": 1000, "price": {"amount": "4.10", "currency": "EUR"}},
                        {"max_weight_g": 5000, "price": {"amount": "6.20", "currency": "EUR"}},
                    ],
                },
                {
                    "name": "AT",
                    "areas": [{"country": "AT"}],
                    "breaks": [{"max_weight_g": 5000, "price": {"amount": "8.90", "currency": "EUR"}}],
                },
            ],
        },
        format="json",
    )
    assert card.status_code == 201, card.json()
    body = card.json()
    assert [z["name"] for z in body["zones"]] == ["AT", "DE"]
    assert body["zones"][1]["breaks"][0] == {
        "max_weight_g": 1000,
        "price": {"amount": "4.10", "currency": "EUR"},
    }
    assert body["remote_areas"] == [{"country": "DE", "prefix": "18565"}]
    assert audit_entries_for(subject=RateCard.objects.get(pk=body["id"]))[0].action == "rate_card.created"


def test_a_wrong_card_answers_a_problem_naming_the_field(world):
    client = client_for(make_member(world["op_a"], "owner"))

    response = client.post(
        "/api/v1/rate-cards/",
        {
            "service": str(world["classic"].pk),
            "currency": "EUR",
            "effective_from": "2027-01-01",
            "dim_divisor": 5000,
            "zones": [
                {
                    "name": "DE",
                    "areas": [{"country": "DE"}],
                    "breaks": [
                        {"max_weight_g": 1000, "price": {"amount": "5.00", "currency": "EUR"}},
                        {"max_weight_g": 2000, "price": {"amount": "4.00", "currency": "EUR"}},
                    ],
                }
            ],
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "network.rate_card_invalid"
    assert RateCard.objects.filter(service=world["classic"]).count() == 1


def test_a_cards_fuel_changes_but_its_zones_do_not(world):
    client = client_for(make_member(world["op_a"], "manager"))
    card = RateCard.objects.get(service=world["classic"])

    changed = client.patch(f"/api/v1/rate-cards/{card.pk}/", {"fuel_surcharge_pct": "10.000"}, format="json")
    refused = client.patch(f"/api/v1/rate-cards/{card.pk}/", {"currency": "USD"}, format="json")

    assert changed.status_code == 200 and changed.json()["fuel_surcharge_pct"] == "10.000"
    assert refused.status_code == 400 and refused.json()["code"] == "network.rate_card_invalid"


def test_a_quote_lists_every_service_of_the_warehouse_cheapest_first_with_its_breakdown(world):
    client = client_for(make_member(world["op_a"], "warehouse_staff"))  # network:read is enough

    response = client.post(
        "/api/v1/rate-quotes/", {"warehouse": str(world["fra1"].pk), **QUOTE}, format="json"
    )

    assert response.status_code == 200, response.json()
    quotes = response.json()["quotes"]
    assert [q["service"]["code"] for q in quotes] == ["GLX-HOME", "DPX-CLASSIC"]
    glx, dpx = quotes
    assert glx["total"] == {"amount": "4.40", "currency": "EUR"}  # billable 1 200 g (dimensional) → ≤ 2 kg
    assert (glx["zone"], glx["transit_days"], glx["billable_weight_g"]) == ("DE", 2, 1200)
    assert dpx["total"] == {"amount": "5.64", "currency": "EUR"}  # 5.20 + 8.5 % = 5.642
    assert [line["kind"] for line in dpx["lines"]] == ["base", "fuel", "rounding"]


def test_a_parcel_nobody_can_carry_comes_back_with_reasons(world):
    client = client_for(make_member(world["op_a"], "manager"))
    heavy = {**QUOTE, "parcel": {**QUOTE["parcel"], "weight_g": 30000}}

    quotes = client.post(
        "/api/v1/rate-quotes/", {"warehouse": str(world["fra1"].pk), **heavy}, format="json"
    ).json()

    assert {(q["service"]["code"], q["serviceable"], q["reason"]) for q in quotes["quotes"]} == {
        ("GLX-HOME", False, "too_heavy"),
        ("DPX-CLASSIC", False, "too_heavy"),
    }


def test_a_seller_reads_and_quotes_its_warehouses_services_but_cannot_change_them(world):
    client = client_for(make_member(world["seller"], "order_manager"))
    make_service(make_carrier(world["op_a"], code="LOCAL"), code="NOT-AT-FRA1", countries=["DE"])

    listed = client.get("/api/v1/carrier-services/").json()
    quoted = client.post("/api/v1/rate-quotes/", {"warehouse": str(world["fra1"].pk), **QUOTE}, format="json")
    archive = client.post(f"/api/v1/carriers/{world['dpx'].pk}/archive/")

    assert {s["code"] for s in listed["results"]} == {"DPX-CLASSIC", "GLX-HOME"}
    assert quoted.status_code == 200 and len(quoted.json()["quotes"]) == 2
    assert archive.status_code == 403
    assert Carrier.objects.get(pk=world["dpx"].pk).is_active


def test_another_operator_sees_nothing_and_cannot_quote_the_warehouse(world):
    client = client_for(make_member(world["op_b"], "owner"))

    assert client.get(f"/api/v1/carriers/{world['dpx'].pk}/").status_code == 404
    assert client.get("/api/v1/rate-cards/").json()["results"] == []
    response = client.post(
        "/api/v1/rate-quotes/", {"warehouse": str(world["fra1"].pk), **QUOTE}, format="json"
    )
    assert response.status_code == 404


def test_a_role_without_network_read_cannot_quote(world):
    client = client_for(make_member(world["op_a"], "billing"))

    response = client.post(
        "/api/v1/rate-quotes/", {"warehouse": str(world["fra1"].pk), **QUOTE}, format="json"
    )

    assert response.status_code == 403


def test_archiving_a_carrier_takes_its_services_out_of_quotes(world):
    client = client_for(make_member(world["op_a"], "owner"))

    archived = client.post(f"/api/v1/carriers/{world['dpx'].pk}/archive/")
    quotes = client.post("/api/v1/rate-quotes/", {"warehouse": str(world["fra1"].pk), **QUOTE}, format="json")

    assert archived.status_code == 200 and archived.json()["is_active"] is False
    assert [q["service"]["code"] for q in quotes.json()["quotes"]] == ["GLX-HOME"]
