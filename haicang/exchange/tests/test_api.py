"""The import API: upload, read progress/preview/problems, confirm, discard, kinds and mapping profiles —
scoped to the caller's party and role."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from rest_framework.test import APIClient

from haicang.catalog.models import Sku
from haicang.exchange.models import ImportJob, MappingProfile
from haicang.parties.tests.factories import make_agreement, make_member, make_operator

pytestmark = pytest.mark.django_db(transaction=True)


def client_for(party, role: str = "owner") -> APIClient:
    client = APIClient()
    client.force_login(make_member(party, role).user)
    return client


def _worker() -> None:
    call_command("worker", "--once", "--no-schedule", stdout=StringIO(), stderr=StringIO())


def _upload(client: APIClient, text: str, **extra) -> dict:
    upload = SimpleUploadedFile("skus.csv", text.encode(), "text/csv")
    response = client.post(
        "/api/v1/imports/", {"file": upload, "kind": "catalog", **extra}, format="multipart"
    )
    assert response.status_code == 202, response.content
    return response.json()


def test_a_planner_uploads_reads_the_preview_confirms_and_reads_the_result(seller):
    client = client_for(seller, "planner")

    job = _upload(client, "sku_code,name_en,weight_g\nA,Lamp,100\nB,Torch,20\n")
    assert job["status"] == "uploaded" and job["kind"] == "catalog"
    _worker()
    detail = client.get(f"/api/v1/imports/{job['id']}/").json()
    assert detail["status"] == "previewed"
    assert detail["rows_total"] == 2
    assert [r["values"]["sku_code"] for r in detail["preview"]["rows"]] == ["A", "B"]
    assert detail["problems"] == {"count": 0, "stored": 0, "offset": 0, "limit": 50, "results": []}

    confirmed = client.post(f"/api/v1/imports/{job['id']}/confirm/")
    assert confirmed.status_code == 202 and confirmed.json()["status"] == "applying"
    _worker()

    result = client.get(f"/api/v1/imports/{job['id']}/").json()
    assert result["status"] == "applied" and result["result"]["created"] == 2
    assert Sku.objects.count() == 2
    assert [j["id"] for j in client.get("/api/v1/imports/").json()["results"]] == [job["id"]]


def test_problems_are_paginated_with_row_column_value_and_reason(seller):
    client = client_for(seller)
    job = _upload(client, "sku_code,name_en,weight_g\n" + "".join(f"S-{n},Item,w{n}\n" for n in range(7)))
    _worker()

    page = client.get(f"/api/v1/imports/{job['id']}/?problems_offset=5&problems_limit=5").json()["problems"]

    assert (page["count"], page["stored"], page["offset"], page["limit"]) == (7, 7, 5, 5)
    assert [(p["row"], p["column"], p["value"], p["code"]) for p in page["results"]] == [
        (7, "weight_g", "w5", "catalog.number_invalid"),
        (8, "weight_g", "w6", "catalog.number_invalid"),
    ]
    assert all(p["reason"] for p in page["results"])
    assert client.get(f"/api/v1/imports/{job['id']}/?problems_limit=0").status_code == 400
    assert client.post(f"/api/v1/imports/{job['id']}/confirm/").status_code == 409


def test_discard_deletes_the_upload(seller):
    client = client_for(seller)
    job = _upload(client, "sku_code\nA\n")

    response = client.post(f"/api/v1/imports/{job['id']}/discard/")

    assert response.status_code == 200
    assert response.json()["status"] == "discarded" and response.json()["file_erased"] is True


def test_another_party_cannot_see_or_touch_a_job(seller, other_seller):
    job = _upload(client_for(seller), "sku_code\nA\n")
    stranger = client_for(other_seller)

    assert stranger.get(f"/api/v1/imports/{job['id']}/").status_code == 404
    assert stranger.post(f"/api/v1/imports/{job['id']}/confirm/").status_code == 404
    assert stranger.post(f"/api/v1/imports/{job['id']}/discard/").status_code == 404
    assert stranger.get("/api/v1/imports/").json()["results"] == []
    assert ImportJob.objects.get().status == "uploaded"


def test_roles_without_the_permissions_are_refused(seller):
    upload = SimpleUploadedFile("skus.csv", b"sku_code\nA\n", "text/csv")
    viewer, finance = client_for(seller, "viewer"), client_for(seller, "finance")

    assert (
        finance.post("/api/v1/imports/", {"file": upload, "kind": "catalog"}, format="multipart").status_code
        == 403
    )
    # a viewer reads imports but cannot upload
    assert viewer.get("/api/v1/imports/").status_code == 200
    upload.seek(0)
    assert (
        viewer.post("/api/v1/imports/", {"file": upload, "kind": "catalog"}, format="multipart").status_code
        == 403
    )
    # an order manager may import, but not catalogues (that needs catalog:write)
    upload.seek(0)
    manager = client_for(seller, "order_manager")
    assert (
        manager.post("/api/v1/imports/", {"file": upload, "kind": "catalog"}, format="multipart").status_code
        == 403
    )
    assert not ImportJob.objects.exists()


def test_an_operator_cannot_import_a_sellers_catalogue(seller):
    operator = make_operator()
    make_agreement(seller, operator)
    upload = SimpleUploadedFile("skus.csv", b"sku_code\nA\n", "text/csv")

    response = client_for(operator).post(
        "/api/v1/imports/", {"file": upload, "kind": "catalog"}, format="multipart"
    )

    assert response.status_code == 403
    kinds = [k["kind"] for k in client_for(operator).get("/api/v1/imports/kinds/").json()]
    assert "catalog" not in kinds and "inbound_packing_list" not in kinds  # sellers' kinds


def test_the_kinds_list_the_columns_a_party_may_import(seller):
    kinds = {k["kind"]: k for k in client_for(seller, "planner").get("/api/v1/imports/kinds/").json()}

    assert {"catalog", "inbound_packing_list"} <= set(kinds)
    assert kinds["catalog"]["options"] == []
    assert [o["name"] for o in kinds["inbound_packing_list"]["options"]] == ["shipment"]
    columns = {c["name"]: c for c in kinds["catalog"]["columns"]}
    assert columns["sku_code"]["required"] is True and "sku" in columns["sku_code"]["synonyms"]
    assert columns["weight_g"]["description"] == "Weight (g)"


def test_mapping_profiles_are_created_used_changed_and_deleted_through_the_api(seller, other_seller):
    client = client_for(seller)

    created = client.post(
        "/api/v1/imports/profiles/",
        {"kind": "catalog", "partner": "Nordlicht", "mapping": {"Artikel": "sku_code", "Notiz": ""}},
        format="json",
    )
    assert created.status_code == 201, created.content
    profile = created.json()
    bad = client.post(
        "/api/v1/imports/profiles/",
        {"kind": "catalog", "partner": "Bad", "mapping": {"Artikel": "no_such_column"}},
        format="json",
    )
    assert bad.status_code == 400 and bad.json()["code"] == "exchange.profile_invalid"
    taken = client.post(
        "/api/v1/imports/profiles/", {"kind": "catalog", "partner": "Nordlicht", "mapping": {}}, format="json"
    )
    assert taken.status_code == 409

    job = _upload(client, "Artikel,Name,Notiz\nA,Lamp,x\n", profile=profile["id"])
    _worker()
    assert client.get(f"/api/v1/imports/{job['id']}/").json()["status"] == "previewed"

    changed = client.patch(
        f"/api/v1/imports/profiles/{profile['id']}/", {"defaults": {"origin_country": "DE"}}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["defaults"] == {"origin_country": "DE"}
    assert client_for(other_seller).get(f"/api/v1/imports/profiles/{profile['id']}/").status_code == 404
    assert client.delete(f"/api/v1/imports/profiles/{profile['id']}/").status_code == 204
    assert not MappingProfile.objects.exists()
