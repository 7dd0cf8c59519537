import pytest
from rest_framework.test import APIClient

from haicang.parties.models import ApiKey
from haicang.parties.services import api_key_issue
from haicang.parties.tests.factories import (
    SYSTEM,
    make_agreement,
    make_member,
    make_operator,
    make_seller,
    make_warehouse,
)

pytestmark = pytest.mark.django_db


def client_for(membership) -> APIClient:
    client = APIClient()
    client.force_login(membership.user)
    return client


def test_the_scope_endpoint_tells_the_caller_its_party_and_permissions():
    seller = make_seller()
    response = client_for(make_member(seller, "viewer")).get("/api/v1/scope/")

    assert response.status_code == 200
    assert response.json()["party_id"] == str(seller.pk)
    assert "catalog:read" in response.json()["permissions"]
    assert "catalog:write" not in response.json()["permissions"]


def test_an_owner_issues_a_key_that_then_authenticates_with_its_scopes_only():
    seller = make_seller()
    owner = client_for(make_member(seller, "owner"))

    created = owner.post("/api/v1/api-keys/", {"name": "erp", "scopes": ["party:read"]}, format="json")
    assert created.status_code == 201, created.json()
    plaintext = created.json()["key"]
    listed = owner.get("/api/v1/api-keys/").json()["results"]
    assert "key" not in listed[0]

    machine = APIClient(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert machine.get(f"/api/v1/sellers/{seller.pk}/").status_code == 200
    refused = machine.get("/api/v1/members/")
    assert refused.status_code == 403
    assert refused["Content-Type"].startswith("application/problem+json")
    assert refused.json()["code"] == "access.denied"


def test_a_wrong_or_revoked_key_answers_401():
    seller = make_seller()
    key, plaintext = api_key_issue(actor=SYSTEM, party=seller, name="x", scopes=["party:read"])
    owner = client_for(make_member(seller, "owner"))
    assert owner.delete(f"/api/v1/api-keys/{key.pk}/").status_code == 204
    assert ApiKey.objects.get(pk=key.pk).revoked_at is not None

    response = APIClient(HTTP_AUTHORIZATION=f"Bearer {plaintext}").get("/api/v1/scope/")

    assert response.status_code == 401


def test_a_viewer_cannot_add_members_and_an_owner_can():
    seller = make_seller()
    newcomer = make_member(make_seller(), "viewer").user

    viewer = client_for(make_member(seller, "viewer"))
    assert (
        viewer.post("/api/v1/members/", {"username": newcomer.username, "role": "planner"}).status_code == 403
    )

    owner = client_for(make_member(seller, "owner"))
    response = owner.post("/api/v1/members/", {"username": newcomer.username, "role": "planner"})
    assert response.status_code == 201
    assert response.json()["role"] == "planner"


def test_a_bad_role_is_a_problem_naming_the_field():
    seller = make_seller()
    newcomer = make_member(make_seller(), "viewer").user
    owner = client_for(make_member(seller, "owner"))

    response = owner.post("/api/v1/members/", {"username": newcomer.username, "role": "warehouse_staff"})

    assert response.status_code == 400
    assert response.json()["code"] == "parties.role_invalid"


def test_an_operator_proposes_an_agreement_and_sets_its_fees_in_its_own_currency():
    seller, operator = make_seller(), make_operator(currency="EUR")
    warehouse = make_warehouse(operator)
    manager = client_for(make_member(operator, "owner"))

    created = manager.post(
        "/api/v1/agreements/",
        {"seller": str(seller.pk), "warehouses": [str(warehouse.pk)], "valid_from": "2026-01-01"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    agreement_id = created.json()["id"]
    fees = manager.post(
        f"/api/v1/agreements/{agreement_id}/fee-schedules/",
        {
            "effective_from": "2026-01-01",
            "storage_free_days": 30,
            "lines": [{"kind": "outbound_order", "amount": {"amount": "1.80", "currency": "EUR"}}],
            "age_bands": [
                {"from_day": 181, "to_day": None, "surcharge_m3_day": {"amount": "0.25", "currency": "EUR"}}
            ],
        },
        format="json",
    )
    assert fees.status_code == 201, fees.json()
    assert fees.json()["lines"] == [
        {"kind": "outbound_order", "amount": {"amount": "1.80", "currency": "EUR"}}
    ]

    float_amount = manager.post(
        f"/api/v1/agreements/{agreement_id}/fee-schedules/",
        {
            "effective_from": "2026-02-01",
            "lines": [{"kind": "outbound_order", "amount": {"amount": 1.8, "currency": "EUR"}}],
        },
        format="json",
    )
    assert float_amount.status_code == 400
    assert float_amount.json()["errors"][0]["field"].startswith("lines.0.amount")

    seller_sees = client_for(make_member(seller, "finance")).get(f"/api/v1/agreements/{agreement_id}/")
    assert seller_sees.status_code == 200
    assert seller_sees.json()["fee_schedules"][0]["storage_free_days"] == 30


def test_a_seller_cannot_set_an_operators_fees():
    seller, operator = make_seller(), make_operator()
    agreement = make_agreement(seller, operator)
    owner = client_for(make_member(seller, "owner"))

    response = owner.post(
        f"/api/v1/agreements/{agreement.pk}/fee-schedules/",
        {"effective_from": "2026-03-01", "lines": []},
        format="json",
    )

    assert response.status_code == 403


def test_the_seller_sets_its_markets_and_compliance_ids_and_its_operator_reads_them():
    seller, operator = make_seller(), make_operator()
    make_agreement(seller, operator)
    owner = client_for(make_member(seller, "owner"))

    assert (
        owner.post(
            f"/api/v1/sellers/{seller.pk}/markets/", {"country": "DE", "import_vat_recoverable": True}
        ).status_code
        == 200
    )
    bad = owner.post(
        f"/api/v1/sellers/{seller.pk}/compliance-ids/", {"kind": "de_lucid", "market": "DE", "value": "123"}
    )
    assert bad.status_code == 400
    assert bad.json()["code"] == "parties.compliance_id_invalid"
    ok = owner.post(
        f"/api/v1/sellers/{seller.pk}/compliance-ids/",
        {"kind": "de_lucid", "market": "DE", "value": "DE1234567890123"},
    )
    assert ok.status_code == 200

    operator_client = client_for(make_member(operator, "manager"))
    assert operator_client.get(f"/api/v1/sellers/{seller.pk}/compliance-ids/").json() == [
        {"kind": "de_lucid", "market": "DE", "value": "DE1234567890123", "valid_from": None, "valid_to": None}
    ]
    assert operator_client.post(f"/api/v1/sellers/{seller.pk}/markets/", {"country": "FR"}).status_code == 403
