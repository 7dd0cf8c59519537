"""The catalogue API: scoped to the caller's party, writes through the services, files in and out."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from haicang.catalog.models import Sku
from haicang.catalog.tests.factories import make_kit, make_product, make_sku
from haicang.core.money import Money
from haicang.parties.tests.factories import make_agreement, make_member, make_operator

pytestmark = pytest.mark.django_db


def client_for(party, role: str = "owner") -> APIClient:
    client = APIClient()
    client.force_login(make_member(party, role).user)
    return client


def test_a_seller_creates_a_sku_and_reads_it_back(seller):
    client = client_for(seller, "planner")

    created = client.post(
        "/api/v1/skus/",
        {
            "code": "LMP-01",
            "name_en": "Desk lamp",
            "name_zh": "台灯",
            "weight_g": 1250,
            "hs_code": "9405.21",
            "declared_value": {"amount": "18.5", "currency": "USD"},
            "purchase_cost": {"amount": "6.123456", "currency": "CNY"},
            "lithium_battery": True,
            "barcodes": ["4006381333931"],
        },
        format="json",
    )

    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["seller_code"] == "lumen"
    assert body["hs_code"] == "940521"
    assert body["declared_value"] == {"amount": "18.50", "currency": "USD"}
    assert body["purchase_cost"] == {"amount": "6.123456", "currency": "CNY"}
    assert body["barcodes"] == [{"value": "4006381333931", "kind": "gtin13"}]
    assert body["dangerous_goods"] == ["lithium_battery"]
    assert client.get(f"/api/v1/skus/{body['id']}/").json()["name_zh"] == "台灯"


def test_a_bad_value_answers_a_problem_naming_the_field(seller):
    response = client_for(seller).post(
        "/api/v1/skus/", {"code": "X", "name_en": "X", "barcodes": ["4006381333932"]}, format="json"
    )

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == "catalog.barcode_check_digit"
    assert problem["errors"][0]["field"] == "barcode"
    assert not Sku.objects.exists()


def test_another_sellers_sku_is_not_found(seller, other_seller):
    sku = make_sku(seller)
    stranger = client_for(other_seller)

    assert stranger.get(f"/api/v1/skus/{sku.pk}/").status_code == 404
    assert stranger.patch(f"/api/v1/skus/{sku.pk}/", {"name_en": "Mine"}, format="json").status_code == 404
    assert stranger.get("/api/v1/skus/").json()["count"] == 0


def test_a_viewer_reads_but_cannot_create(seller):
    make_sku(seller)
    viewer = client_for(seller, "viewer")

    assert viewer.get("/api/v1/skus/").json()["count"] == 1
    refused = viewer.post("/api/v1/skus/", {"code": "X", "name_en": "X"}, format="json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "access.denied"


def test_an_operator_reads_its_sellers_skus_without_their_commercial_data(seller, other_seller):
    operator = make_operator()
    make_agreement(seller, operator)
    mine = make_sku(seller, purchase_cost=Money.of("2.5", "USD"), supplier_name="Secret Ltd", moq=100)
    hidden = make_sku(other_seller)
    staff = client_for(operator, "warehouse_staff")

    listed = staff.get("/api/v1/skus/").json()
    assert [row["code"] for row in listed["results"]] == [mine.code]
    assert not {"purchase_cost", "supplier_name", "moq", "lead_time_days"} & set(listed["results"][0])
    assert staff.get(f"/api/v1/skus/{hidden.pk}/").status_code == 404
    assert staff.post("/api/v1/skus/", {"code": "X", "name_en": "X"}, format="json").status_code == 403


def test_the_list_searches_codes_names_and_barcodes_and_filters(seller):
    make_sku(seller, code="LAMP-1", name_en="Desk lamp", name_zh="台灯", barcodes=["036000291452"])
    make_sku(seller, code="TORCH-1", name_en="Torch", lithium_battery=True)
    plain = make_sku(seller, code="CASE-1", name_en="Case")
    make_kit(seller, [(plain, 2)], code="GIFT-1", name_en="Gift")
    client = client_for(seller, "viewer")

    def codes(query: str) -> list[str]:
        response = client.get(f"/api/v1/skus/?{query}")
        assert response.status_code == 200, response.json()
        return [row["code"] for row in response.json()["results"]]

    assert codes("q=lamp") == ["LAMP-1"]
    assert codes("q=台灯") == ["LAMP-1"]
    assert codes("q=0036000291452") == ["LAMP-1"]
    assert codes("barcode=036000291452") == ["LAMP-1"]
    assert codes("dangerous=true") == ["TORCH-1"]
    assert codes("lithium_battery=true") == ["TORCH-1"]
    assert codes("is_kit=true") == ["GIFT-1"]
    assert codes("ordering=-code&limit=2") == ["TORCH-1", "LAMP-1"]
    assert client.get("/api/v1/skus/?ordering=weight_g").status_code == 400


def test_an_export_in_an_unknown_format_answers_a_problem(seller):
    response = client_for(seller, "viewer").get("/api/v1/skus/export/?format=pdf")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["field"] == "format"


def test_a_sku_is_changed_discontinued_and_reactivated(seller):
    sku = make_sku(seller, name_en="Old")
    client = client_for(seller)

    changed = client.patch(f"/api/v1/skus/{sku.pk}/", {"name_en": "New", "weight_g": None}, format="json")
    assert changed.status_code == 200 and changed.json()["name_en"] == "New"
    assert client.post(f"/api/v1/skus/{sku.pk}/discontinue/").json()["status"] == "discontinued"
    assert client.get("/api/v1/skus/?status=discontinued").json()["count"] == 1
    assert client.post(f"/api/v1/skus/{sku.pk}/reactivate/").json()["status"] == "active"


def test_barcodes_are_added_and_removed(seller):
    sku = make_sku(seller)
    client = client_for(seller)

    added = client.post(f"/api/v1/skus/{sku.pk}/barcodes/", {"value": "96385074"}, format="json")
    assert added.status_code == 201
    assert added.json()["barcodes"] == [{"value": "96385074", "kind": "gtin8"}]
    assert client.delete(f"/api/v1/skus/{sku.pk}/barcodes/?value=96385074").status_code == 204
    assert client.delete(f"/api/v1/skus/{sku.pk}/barcodes/?value=96385074").status_code == 404


def test_kit_components_are_set_by_id_or_code_and_cycles_are_refused(seller):
    kit, torch, pouch = (
        make_sku(seller, code="KIT"),
        make_sku(seller, code="TORCH"),
        make_sku(seller, code="POUCH"),
    )
    client = client_for(seller)

    response = client.put(
        f"/api/v1/skus/{kit.pk}/components/",
        {"components": [{"sku": str(torch.pk), "quantity": 1}, {"sku_code": "POUCH", "quantity": 2}]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert {(c["sku_code"], c["quantity"]) for c in response.json()} == {("TORCH", 1), ("POUCH", 2)}

    cycle = client.put(
        f"/api/v1/skus/{torch.pk}/components/",
        {"components": [{"sku": str(kit.pk), "quantity": 1}]},
        format="json",
    )
    assert cycle.status_code == 400
    assert cycle.json()["code"] == "catalog.kit_nested"
    assert client.get(f"/api/v1/skus/{pouch.pk}/components/").json() == []


def test_an_import_upload_writes_the_file_and_counts(seller):
    upload = SimpleUploadedFile("skus.csv", "sku_code,name_en,name_zh\nA,Lamp,台灯\n".encode(), "text/csv")

    response = client_for(seller, "planner").post(
        "/api/v1/skus/import/", {"file": upload}, format="multipart"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["created"] == 1
    assert Sku.objects.get(code="A").name_zh == "台灯"


def test_a_dry_run_import_counts_but_writes_nothing(seller):
    upload = SimpleUploadedFile("skus.csv", b"sku_code,name_en\nA,Lamp\n", "text/csv")

    response = client_for(seller).post(
        "/api/v1/skus/import/", {"file": upload, "dry_run": True}, format="multipart"
    )

    assert response.json() == {
        "rows": 1, "created": 1, "updated": 0, "unchanged": 0, "products_created": 0, "products_updated": 0,
        "dry_run": True,
    }  # fmt: skip
    assert not Sku.objects.exists()


def test_a_bad_import_upload_answers_every_error_with_row_and_column_and_writes_nothing(seller):
    make_sku(seller, code="KEEP", weight_g=10)
    text = "sku_code,name_en,weight_g\nKEEP,Kept,20\nB,,x\nC,Fine,\n"
    upload = SimpleUploadedFile("skus.csv", text.encode(), "text/csv")

    response = client_for(seller).post("/api/v1/skus/import/", {"file": upload}, format="multipart")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == "catalog.import_rejected"
    assert problem["errors"] == [
        {"row": 3, "column": "name_en", "code": "catalog.field_required", "detail": "name_en is required"},
        {
            "row": 3,
            "column": "weight_g",
            "code": "catalog.number_invalid",
            "detail": "'x' is not a whole number",
        },
    ]
    assert list(Sku.objects.values_list("code", "weight_g")) == [("KEEP", 10)]


def test_an_operator_cannot_import(seller):
    operator = make_operator()
    make_agreement(seller, operator)
    upload = SimpleUploadedFile("skus.csv", b"sku_code,name_en\nA,Lamp\n", "text/csv")

    response = client_for(operator, "manager").post(
        "/api/v1/skus/import/", {"file": upload}, format="multipart"
    )

    assert response.status_code == 403


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_answers_a_file_of_the_listed_skus(seller, fmt):
    make_sku(seller, code="A", name_en="Lamp", name_zh="台灯")
    make_sku(seller, code="B", name_en="Torch", lithium_battery=True)

    response = client_for(seller, "viewer").get(f"/api/v1/skus/export/?format={fmt}&dangerous=true")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="lumen-skus-')
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert [r["sku_code"] for r in rows] == ["B"]
    else:
        assert response.content[:2] == b"PK"


def test_products_list_their_variants_colour_then_size(seller):
    client = client_for(seller)
    created = client.post(
        "/api/v1/products/", {"style_code": "TEE", "name_en": "Tee", "brand": "Lumen"}, format="json"
    )
    assert created.status_code == 201, created.json()
    product = make_product(seller, style_code="POLO")
    for size in ("XL", "S", "M"):
        make_sku(seller, code=f"POLO-RED-{size}", product=product, colour="Red", size=size)
    make_sku(seller, code="POLO-BLUE-M", product=product, colour="Blue", size="M")

    variants = client.get(f"/api/v1/products/{product.pk}/").json()["variants"]

    assert [v["code"] for v in variants] == ["POLO-BLUE-M", "POLO-RED-S", "POLO-RED-M", "POLO-RED-XL"]
    assert [p["style_code"] for p in client.get("/api/v1/products/?q=tee").json()["results"]] == ["TEE"]
    assert (
        client.post(
            "/api/v1/skus/", {"code": "Z", "name_en": "Z", "product": str(product.pk)}, format="json"
        ).status_code
        == 201
    )
