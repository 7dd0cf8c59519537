"""The catalogue's pages, through Django's test client."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from haicang.catalog.models import Sku
from haicang.catalog.tests.factories import make_kit, make_product, make_sku
from haicang.parties.tests.factories import make_agreement, make_member, make_operator, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(client, seller):
    client.force_login(make_member(seller, "owner").user)
    return client


def test_the_sku_list_shows_the_sellers_skus_and_the_header_links_to_it(owner, seller, other_seller):
    make_sku(seller, code="LAMP-1", name_en="Desk lamp", name_zh="台灯")
    make_sku(other_seller, code="NOT-MINE")

    response = owner.get("/catalog/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "LAMP-1" in html and "Desk lamp" in html
    assert "NOT-MINE" not in html
    assert 'href="/catalog/"' in html  # the navigation entry


def test_the_list_searches_as_you_type_with_a_fragment_for_htmx(owner, seller):
    make_sku(seller, code="LAMP-1", name_en="Desk lamp")
    make_sku(seller, code="TORCH-1", name_en="Torch", lithium_battery=True)

    fragment = owner.get("/catalog/?q=torch", HTTP_HX_REQUEST="true")

    html = fragment.content.decode()
    assert "<html" not in html
    assert "TORCH-1" in html and "LAMP-1" not in html
    assert "format=csv&amp;q=torch" in html  # the export link keeps the search
    dangerous = owner.get("/catalog/?dangerous=1", HTTP_HX_REQUEST="true").content.decode()
    assert "TORCH-1" in dangerous and "LAMP-1" not in dangerous


def test_the_list_pages_fifty_at_a_time(owner, seller):
    for n in range(55):
        make_sku(seller, code=f"S-{n:03d}")

    first = owner.get("/catalog/").content.decode()
    second = owner.get("/catalog/?page=2", HTTP_HX_REQUEST="true").content.decode()

    assert "S-049" in first and "S-050" not in first
    assert "S-050" in second and "S-054" in second


def test_the_list_in_chinese_shows_chinese_headings_and_names(owner, seller):
    make_sku(seller, code="LAMP-1", name_en="Desk lamp", name_zh="台灯")

    html = owner.get("/catalog/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "SKU 编码" in html and "台灯" in html


def test_someone_without_a_party_may_not_open_the_catalogue(client):
    client.force_login(make_user())

    assert client.get("/catalog/").status_code == 403


def test_another_sellers_sku_page_is_not_found(owner, other_seller):
    sku = make_sku(other_seller)

    assert owner.get(f"/catalog/skus/{sku.pk}/").status_code == 404
    assert owner.get(f"/catalog/skus/{sku.pk}/edit/").status_code == 404


def test_an_operator_sees_its_sellers_skus_but_no_purchasing_data_and_cannot_edit(client, seller):
    operator = make_operator()
    make_agreement(seller, operator)
    sku = make_sku(seller, code="LAMP-1", supplier_name="Secret Ltd")
    client.force_login(make_member(operator, "warehouse_staff").user)

    detail = client.get(f"/catalog/skus/{sku.pk}/").content.decode()

    assert "LAMP-1" in detail and "Secret Ltd" not in detail
    assert client.get("/catalog/skus/new/").status_code == 403
    assert client.get("/catalog/import/").status_code == 403


def test_a_viewer_cannot_open_the_form(client, seller):
    client.force_login(make_member(seller, "viewer").user)

    assert client.get("/catalog/skus/new/").status_code == 403


def test_a_sku_is_created_from_the_form(owner, seller):
    make_product(seller, style_code="TEE")
    make_sku(seller, code="CASE")

    response = owner.post(
        "/catalog/skus/new/",
        {
            "code": "TEE-RED-M",
            "name_en": "Tee",
            "name_zh": "T恤",
            "style_code": "TEE",
            "colour": "Red",
            "size": "M",
            "weight_g": "180",
            "declared_value_amount": "4.5",
            "lithium_battery": "on",
            "barcodes": "4006381333931\nOWN-1",
            "kit_components": "CASE*2",
        },
    )

    sku = Sku.objects.get(code="TEE-RED-M")
    assert response.status_code == 302 and response["Location"] == f"/catalog/skus/{sku.pk}/"
    assert sku.product is not None and sku.product.style_code == "TEE"
    assert sku.lithium_battery and sku.is_kit
    assert str(sku.declared_value) == "USD 4.50"
    assert sorted(b.value for b in sku.barcodes.all()) == ["4006381333931", "OWN-1"]


def test_a_form_error_from_the_rules_shows_on_its_field_and_nothing_is_saved(owner, seller):
    response = owner.post(
        "/catalog/skus/new/",
        {"code": "X-1", "name_en": "X", "barcodes": "4006381333932", "kit_components": ""},
    )

    assert response.status_code == 200
    assert "check digit should be 1" in response.content.decode()
    assert not Sku.objects.filter(code="X-1").exists()


def test_a_sku_is_edited_its_barcodes_and_kit_replaced(owner, seller):
    torch = make_sku(seller, code="TORCH")
    sku = make_sku(seller, code="GIFT", name_en="Gift", barcodes=["96385074"])
    page = owner.get(f"/catalog/skus/{sku.pk}/edit/").content.decode()
    assert "96385074" in page

    response = owner.post(
        f"/catalog/skus/{sku.pk}/edit/",
        {"code": "GIFT", "name_en": "Gift box", "barcodes": "036000291452", "kit_components": "TORCH*3"},
    )

    assert response.status_code == 302
    sku.refresh_from_db()
    assert sku.name_en == "Gift box" and sku.is_kit
    assert [b.value for b in sku.barcodes.all()] == ["036000291452"]
    assert [(c.component_id, c.quantity) for c in sku.components.all()] == [(torch.pk, 3)]


def test_a_sku_is_discontinued_from_its_page(owner, seller):
    sku = make_sku(seller)

    owner.post(f"/catalog/skus/{sku.pk}/status/", {"status": "discontinued"})

    sku.refresh_from_db()
    assert sku.status == "discontinued"


def test_the_detail_shows_kit_components_and_their_dangerous_goods(owner, seller):
    torch = make_sku(seller, code="TORCH", lithium_battery=True)
    kit = make_kit(seller, [(torch, 2)], code="GIFT")

    html = owner.get(f"/catalog/skus/{kit.pk}/").content.decode()

    assert "TORCH" in html and "2 ×" in html and "Lithium battery" in html


def test_a_bad_import_lists_every_problem_by_row_and_writes_nothing(owner, seller):
    upload = SimpleUploadedFile("skus.csv", b"sku_code,name_en,weight_g\nA,Lamp,1\nB,,heavy\n", "text/csv")

    response = owner.post("/catalog/import/", {"file": upload})

    html = response.content.decode()
    assert response.status_code == 200
    assert "2 problems" in html
    assert "<code>weight_g</code>" in html and "<code>name_en</code>" in html
    assert not Sku.objects.exists()


def test_a_good_import_redirects_to_the_list_with_counts(owner, seller):
    upload = SimpleUploadedFile("skus.csv", "sku_code,name_en,name_zh\nA,Lamp,台灯\n".encode(), "text/csv")

    response = owner.post("/catalog/import/", {"file": upload}, follow=True)

    assert "Imported: 1 created, 0 updated, 0 unchanged." in response.content.decode()
    assert Sku.objects.get(code="A").name_zh == "台灯"


def test_a_dry_run_import_says_what_would_change(owner, seller):
    upload = SimpleUploadedFile("skus.csv", b"sku_code,name_en\nA,Lamp\n", "text/csv")

    response = owner.post("/catalog/import/", {"file": upload, "dry_run": "on"})

    assert "would create 1" in response.content.decode()
    assert not Sku.objects.exists()


def test_the_export_link_downloads_the_listed_skus(owner, seller):
    make_sku(seller, code="A")
    make_sku(seller, code="B", magnet=True)

    response = owner.get("/catalog/export/?format=csv&dangerous=1")
    template = owner.get("/catalog/export/?format=csv&template=1")

    assert response["Content-Disposition"].startswith("attachment;")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("sku_code,name_en") and [line.split(",")[0] for line in lines[1:]] == ["B"]
    assert len(template.content.decode("utf-8-sig").splitlines()) == 1


def test_a_product_page_lists_its_variants_by_colour(owner, seller):
    product = make_product(seller, style_code="TEE", name_en="Tee")
    make_sku(seller, code="TEE-RED-M", product=product, colour="Red", size="M")
    make_sku(seller, code="TEE-BLUE-S", product=product, colour="Blue", size="S")

    html = owner.get(f"/catalog/products/{product.pk}/").content.decode()

    assert html.index("Blue") < html.index("Red")
    assert "TEE-RED-M" in html and "TEE-BLUE-S" in html
    assert "TEE" in owner.get("/catalog/products/?q=tee", HTTP_HX_REQUEST="true").content.decode()


def test_a_product_is_created_from_its_form(owner, seller):
    response = owner.post(
        "/catalog/products/new/", {"style_code": "POLO", "name_en": "Polo", "brand": "Lumen"}
    )

    assert response.status_code == 302
    assert seller.products.get().brand == "Lumen"
