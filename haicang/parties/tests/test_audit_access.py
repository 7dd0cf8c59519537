import pytest
from rest_framework.test import APIClient

from haicang.catalog.tests.factories import make_sku
from haicang.parties.tests.factories import make_agreement, make_member, make_operator, make_seller, make_user

pytestmark = pytest.mark.django_db


def _client(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_a_seller_owner_reads_the_audit_trail_of_its_own_sku_in_the_ui_and_the_api():
    seller = make_seller()
    sku = make_sku(seller)
    owner = make_member(seller, "owner").user
    client = _client(owner)

    page = client.get(f"/audit/catalog.sku/{sku.pk}/")
    api = client.get("/api/v1/audit-entries/", {"subject_type": "catalog.sku", "subject_id": str(sku.pk)})

    assert page.status_code == 200
    assert "sku.created" in page.content.decode()
    assert api.status_code == 200
    assert [e["action"] for e in api.json()["results"]] == ["sku.created"]


def test_another_party_gets_404_on_the_page_and_an_empty_trail_from_the_api():
    seller, other = make_seller(), make_seller()
    sku = make_sku(seller)
    stranger = _client(make_member(other, "owner").user)

    assert stranger.get(f"/audit/catalog.sku/{sku.pk}/").status_code == 404
    api = stranger.get("/api/v1/audit-entries/", {"subject_type": "catalog.sku", "subject_id": str(sku.pk)})
    assert api.status_code == 200
    assert api.json()["results"] == []


def test_a_role_without_audit_read_cannot_read_trails():
    seller = make_seller()
    sku = make_sku(seller)
    viewer = _client(make_member(seller, "viewer").user)

    assert viewer.get(f"/audit/catalog.sku/{sku.pk}/").status_code == 404
    api = viewer.get("/api/v1/audit-entries/", {"subject_type": "catalog.sku", "subject_id": str(sku.pk)})
    assert api.status_code == 403


def test_a_party_reads_one_trail_at_a_time_and_an_admin_reads_the_whole_log():
    seller, operator = make_seller(), make_operator()
    make_agreement(seller, operator)
    owner = _client(make_member(seller, "owner").user)

    unfiltered = owner.get("/api/v1/audit-entries/")
    assert unfiltered.status_code == 400
    assert (
        unfiltered.json()["errors"][0]["field"] == "subject_id"
        or unfiltered.json().get("field") == "subject_id"
    )

    admin = _client(make_user(is_staff=True))
    assert admin.get("/api/v1/audit-entries/").json()["count"] > 0


def test_an_operator_reads_the_trail_of_a_sku_of_a_seller_it_serves():
    seller, operator = make_seller(), make_operator()
    make_agreement(seller, operator)
    sku = make_sku(seller)
    manager = _client(make_member(operator, "manager").user)

    assert manager.get(f"/audit/catalog.sku/{sku.pk}/").status_code == 200
