"""Importing catalogue files: all or nothing, every problem with its row and column."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from haicang.catalog.errors import ImportRejected
from haicang.catalog.importing import catalog_import
from haicang.catalog.models import Barcode, KitComponent, Product, Sku
from haicang.catalog.tests.factories import SYSTEM, make_kit, make_product, make_sku
from haicang.core.audit import audit_entries_for
from haicang.core.models import AuditEntry
from haicang.core.money import Money

pytestmark = pytest.mark.django_db

GOOD = """sku_code,name_en,name_zh,style_code,product_name_en,colour,size,barcodes,length_mm,width_mm,height_mm,weight_g,hs_code,origin_country,declared_value,declared_value_currency,purchase_cost,lithium_battery,kit_components
TEE-RED-M,Tee red M,红色T恤 M,TEE,Cotton tee,Red,M,4006381333931,250,200,20,180,6109.10,CN,4.50,USD,1.2345,no,
TEE-RED-L,Tee red L,红色T恤 L,TEE,Cotton tee,Red,L,TEE-RED-L-OWN|036000291452,250,200,20,190,610910,CN,4.50,USD,1.2345,no,
TORCH,Torch,手电筒,,,,,,100,40,40,150,851310,CN,3,,0.9,yes,
GIFT,Gift set,礼品套装,,,,,,,,,,,,,,,,TEE-RED-M*2|TORCH
"""


def csv_bytes(text: str, *, bom: bool = False) -> bytes:
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


def xlsx_bytes(text: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for line in text.strip("\n").split("\n"):
        sheet.append([cell or None for cell in line.split(",")])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def counts() -> tuple[int, ...]:
    return (
        Sku.objects.count(),
        Product.objects.count(),
        Barcode.objects.count(),
        KitComponent.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_good_file_creates_skus_products_barcodes_and_kits(seller, fmt):
    data = csv_bytes(GOOD, bom=True) if fmt == "csv" else xlsx_bytes(GOOD)

    result = catalog_import(actor=SYSTEM, seller=seller, file=data, format=fmt)

    assert (result.created, result.updated, result.unchanged, result.products_created) == (4, 0, 0, 1)
    red_l = Sku.objects.get(seller=seller, code="TEE-RED-L")
    assert red_l.name_zh == "红色T恤 L"
    assert red_l.product is not None
    assert (red_l.product.style_code, red_l.product.name_en) == ("TEE", "Cotton tee")
    assert red_l.hs_code == "610910"
    assert red_l.declared_value == Money(Decimal("4.50"), "USD")
    assert red_l.purchase_cost == Money(Decimal("1.2345"), "USD")  # the seller's base currency by default
    assert sorted(b.value for b in red_l.barcodes.all()) == ["036000291452", "TEE-RED-L-OWN"]
    torch = Sku.objects.get(code="TORCH")
    assert torch.lithium_battery and torch.product is None
    gift = Sku.objects.get(code="GIFT")
    assert gift.is_kit
    assert {(c.component.code, c.quantity) for c in gift.components.all()} == {("TEE-RED-M", 2), ("TORCH", 1)}
    assert audit_entries_for(subject=gift).filter(action="sku.created").exists()
    assert audit_entries_for(subject=seller).filter(action="catalog.imported").exists()


BAD = """sku_code,name_en,colour,weight_g,hs_code,origin_country,barcodes,track_expiry,bogus
OK-1,Fine,,100,610910,CN,,,
BAD-1,,,-5,61,XX,4006381333932,,
OK-1,Duplicate,,,,,,,
BAD-2,Expiry without lot,,,,,,yes,
"""


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_bad_file_is_rejected_with_every_problem_by_row_and_column_and_nothing_is_written(seller, fmt):
    make_sku(seller, code="EXISTING")
    before = counts()
    data = csv_bytes(BAD) if fmt == "csv" else xlsx_bytes(BAD)

    with pytest.raises(ImportRejected) as caught:
        catalog_import(actor=SYSTEM, seller=seller, file=data, format=fmt)

    found = {(p.row, p.column, p.code) for p in caught.value.problems}
    assert found == {
        (1, "bogus", "catalog.column_unknown"),
        (3, "name_en", "catalog.field_required"),
        (3, "weight_g", "catalog.number_invalid"),
        (3, "hs_code", "catalog.hs_code_invalid"),
        (3, "origin_country", "catalog.country_invalid"),
        (3, "barcodes", "catalog.barcode_check_digit"),
        (4, "sku_code", "catalog.row_duplicate"),
        (5, "track_lot", "catalog.tracking_invalid"),
    }
    assert [p.row for p in caught.value.problems] == sorted(p.row or 0 for p in caught.value.problems)
    assert all(p.detail for p in caught.value.problems)
    assert counts() == before


def test_one_bad_row_among_many_good_ones_stops_them_all(seller):
    lines = ["sku_code,name_en,weight_g"] + [f"S-{n},Item {n},{n + 1}" for n in range(200)]
    lines[150] = "S-149,Item 149,heavy"
    before = counts()

    with pytest.raises(ImportRejected) as caught:
        catalog_import(actor=SYSTEM, seller=seller, file=csv_bytes("\n".join(lines)), format="csv")

    assert [(p.row, p.column) for p in caught.value.problems] == [(151, "weight_g")]
    assert counts() == before


def test_an_import_updates_existing_skus_by_code_and_leaves_absent_columns_alone(seller):
    make_sku(seller, code="A", name_en="Old", weight_g=100, hs_code="610910", barcodes=["96385074"])

    result = catalog_import(
        actor=SYSTEM,
        seller=seller,
        file=csv_bytes("sku_code,name_en,weight_g\nA,New,120\nB,Brand new,\n"),
        format="csv",
    )

    assert (result.created, result.updated) == (1, 1)
    a = Sku.objects.get(code="A")
    assert (a.name_en, a.weight_g, a.hs_code) == ("New", 120, "610910")
    assert [b.value for b in a.barcodes.all()] == ["96385074"]
    entry = audit_entries_for(subject=a).filter(action="sku.updated").get()
    assert entry.changes == {
        "before": {"name_en": "Old", "weight_g": 100},
        "after": {"name_en": "New", "weight_g": 120},
    }


def test_an_empty_cell_clears_the_field_when_its_column_is_present(seller):
    make_sku(seller, code="A", hs_code="610910", weight_g=100)

    catalog_import(
        actor=SYSTEM, seller=seller, file=csv_bytes("sku_code,hs_code,weight_g\nA,,\n"), format="csv"
    )

    a = Sku.objects.get(code="A")
    assert (a.hs_code, a.weight_g) == ("", None)


def test_a_barcode_may_move_between_two_skus_of_the_same_file(seller):
    make_sku(seller, code="A", barcodes=["96385074"])
    make_sku(seller, code="B")

    catalog_import(
        actor=SYSTEM, seller=seller, file=csv_bytes("sku_code,barcodes\nA,\nB,96385074\n"), format="csv"
    )

    assert Barcode.objects.get(key="00000096385074").sku.code == "B"


def test_a_barcode_of_an_sku_outside_the_file_cannot_be_taken(seller):
    make_sku(seller, code="A", barcodes=["96385074"])
    make_sku(seller, code="B")

    with pytest.raises(ImportRejected) as caught:
        catalog_import(
            actor=SYSTEM, seller=seller, file=csv_bytes("sku_code,barcodes\nB,96385074\n"), format="csv"
        )

    assert [(p.row, p.column, p.code) for p in caught.value.problems] == [
        (2, "barcodes", "catalog.barcode_taken")
    ]
    assert "SKU A" in caught.value.problems[0].detail


def test_kit_rows_are_checked_against_the_file_and_the_catalogue(seller):
    plain = make_sku(seller, code="PLAIN")
    make_kit(seller, [(plain, 1)], code="KIT-OLD")
    text = (
        "sku_code,name_en,kit_components\n"
        "SELF,Self,SELF\n"
        "NESTED,Nested,KIT-OLD\n"
        "GHOST,Ghost,NOPE*2\n"
        "PLAIN,Plain,TOY\n"
        "TOY,Toy,\n"
    )

    with pytest.raises(ImportRejected) as caught:
        catalog_import(actor=SYSTEM, seller=seller, file=csv_bytes(text), format="csv")

    assert [(p.row, p.code) for p in caught.value.problems] == [
        (2, "catalog.kit_self"),
        (3, "catalog.kit_nested"),
        (4, "catalog.kit_component_unknown"),
        (5, "catalog.kit_nested"),
    ]
    assert all(p.column == "kit_components" for p in caught.value.problems)


def test_two_rows_of_one_style_cannot_be_the_same_colour_and_size(seller):
    product = make_product(seller, style_code="TEE")
    make_sku(seller, code="TEE-1", product=product, colour="Red", size="M")
    text = "sku_code,name_en,style_code,colour,size\nTEE-2,Tee,TEE,Red,M\n"

    with pytest.raises(ImportRejected) as caught:
        catalog_import(actor=SYSTEM, seller=seller, file=csv_bytes(text), format="csv")

    assert [(p.row, p.column, p.code) for p in caught.value.problems] == [
        (2, "size", "catalog.variant_taken")
    ]


def test_rows_of_one_style_must_agree_on_the_product(seller):
    text = "sku_code,name_en,style_code,product_name_en,size\nA,A,S1,Shirt,M\nB,B,S1,Blouse,L\n"

    with pytest.raises(ImportRejected) as caught:
        catalog_import(actor=SYSTEM, seller=seller, file=csv_bytes(text), format="csv")

    assert [(p.row, p.column, p.code) for p in caught.value.problems] == [
        (3, "product_name_en", "catalog.product_conflict")
    ]


def test_a_file_that_is_not_utf8_is_refused_saying_so(seller):
    data = "sku_code,name_en\nA,台灯\n".encode("gb18030")

    with pytest.raises(ImportRejected) as caught:
        catalog_import(actor=SYSTEM, seller=seller, file=data, format="csv")

    assert caught.value.problems[0].code == "catalog.file_invalid"
    assert "UTF-8" in caught.value.problems[0].detail


def test_a_semicolon_separated_file_with_friendly_headers_is_read(seller):
    catalog_import(
        actor=SYSTEM, seller=seller, file=csv_bytes("SKU Code;Name EN;Weight-g\nA;Lamp;500\n"), format="csv"
    )

    assert Sku.objects.get(code="A").weight_g == 500


def test_a_file_without_sku_codes_is_refused(seller):
    with pytest.raises(ImportRejected) as caught:
        catalog_import(actor=SYSTEM, seller=seller, file=csv_bytes("name_en\nLamp\n"), format="csv")

    assert [(p.row, p.column, p.code) for p in caught.value.problems] == [
        (1, "sku_code", "catalog.column_missing")
    ]


def test_a_file_that_is_not_a_workbook_is_refused(seller):
    with pytest.raises(ImportRejected) as caught:
        catalog_import(actor=SYSTEM, seller=seller, file=b"PK\x03\x04 not really", format="xlsx")

    assert caught.value.problems[0].code == "catalog.file_invalid"


def test_rows_of_another_seller_in_an_operators_export_are_refused(seller):
    text = "seller_code,sku_code,name_en\nlumen,A,Lamp\nharbour,B,Torch\n"

    with pytest.raises(ImportRejected) as caught:
        catalog_import(actor=SYSTEM, seller=seller, file=csv_bytes(text), format="csv")

    assert [(p.row, p.column, p.code) for p in caught.value.problems] == [
        (3, "seller_code", "catalog.seller_mismatch")
    ]
