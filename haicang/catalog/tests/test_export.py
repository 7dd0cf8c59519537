"""Exporting catalogue files, and the round trip: importing an export changes nothing."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from haicang.catalog.columns import COLUMN_NAMES
from haicang.catalog.exporting import catalog_export
from haicang.catalog.importing import catalog_import
from haicang.catalog.models import Sku
from haicang.catalog.selectors import sku_values
from haicang.catalog.services import sku_discontinue
from haicang.catalog.tests.factories import SYSTEM, make_kit, make_product, make_sku
from haicang.core.actors import Actor
from haicang.core.models import AuditEntry
from haicang.core.money import Money
from haicang.parties.access import scope_for_membership
from haicang.parties.tests.factories import make_agreement, make_member, make_operator

pytestmark = pytest.mark.django_db


def rich_catalogue(seller) -> None:
    tee = make_product(
        seller, style_code="TEE", name_en="Tee", name_zh="T恤", brand="Lumen", category="Apparel"
    )
    make_sku(
        seller,
        code="TEE-RED-M",
        name_en='Tee, red "M"',
        name_zh="红色T恤",
        product=tee,
        colour="Red",
        size="M",
        length_mm=250,
        width_mm=200,
        height_mm=20,
        weight_g=180,
        units_per_carton=50,
        carton_length_mm=600,
        carton_width_mm=400,
        carton_height_mm=300,
        carton_weight_g=9500,
        hs_code="61091000",
        origin_country="CN",
        declared_value=Money(Decimal("4.5"), "USD"),
        purchase_cost=Money(Decimal("0.000001"), "CNY"),
        supplier_name="Ningbo Textiles",
        moq=500,
        lead_time_days=0,
        barcodes=["036000291452", "=OWN-1"],
    )
    torch = make_sku(
        seller,
        code="00123",
        name_en="Torch",
        lithium_battery=True,
        magnet=True,
        track_lot=True,
        track_expiry=True,
    )
    sku_discontinue(actor=SYSTEM, sku=torch)
    make_kit(
        seller,
        [(Sku.objects.get(code="TEE-RED-M"), 2), (torch, 1)],
        code="GIFT",
        name_en="Gift",
        name_zh="礼盒",
    )


def state(seller) -> dict[str, tuple]:
    out = {}
    for sku in Sku.objects.filter(seller=seller).prefetch_related("barcodes", "components__component"):
        out[sku.code] = (
            sku_values(sku),
            sku.product_id,
            sku.is_kit,
            sku.updated_at,
            sorted(b.value for b in sku.barcodes.all()),
            sorted((c.component.code, c.quantity) for c in sku.components.all()),
        )
    return out


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_importing_an_export_changes_nothing(seller, fmt):
    rich_catalogue(seller)
    before = state(seller)
    exported = catalog_export(seller=seller, format=fmt)
    audit_count = AuditEntry.objects.count()

    result = catalog_import(actor=SYSTEM, seller=seller, file=exported.content, format=fmt)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert (result.products_created, result.products_updated) == (0, 0)
    assert state(seller) == before
    assert AuditEntry.objects.count() == audit_count + 1  # the import itself, nothing else


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imported_by_another_seller_recreates_the_same_catalogue(seller, other_seller, fmt):
    rich_catalogue(seller)
    exported = catalog_export(seller=seller, format=fmt)

    catalog_import(actor=SYSTEM, seller=other_seller, file=exported.content, format=fmt)

    mine = {c: (v[0], v[2], v[4], v[5]) for c, v in state(seller).items()}
    theirs = {c: (v[0], v[2], v[4], v[5]) for c, v in state(other_seller).items()}
    # the other seller's base currency (EUR) is not used: every amount carries its currency
    assert theirs == mine


def test_a_csv_export_is_utf8_with_a_bom_and_the_documented_columns(seller):
    rich_catalogue(seller)

    exported = catalog_export(seller=seller, format="csv")

    assert exported.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert list(rows[0]) == COLUMN_NAMES
    assert [r["sku_code"] for r in rows] == ["00123", "GIFT", "TEE-RED-M"]
    assert (
        rows[1]["kit_components"] == "00123|TEE-RED-M*2" or rows[1]["kit_components"] == "TEE-RED-M*2|00123"
    )
    assert rows[2]["purchase_cost"] == "0.000001" and rows[2]["purchase_cost_currency"] == "CNY"
    assert exported.filename.startswith("lumen-skus-") and exported.filename.endswith(".csv")


def test_an_xlsx_export_keeps_codes_and_formula_like_text_as_text(seller):
    rich_catalogue(seller)

    exported = catalog_export(seller=seller, format="xlsx")

    sheet = load_workbook(io.BytesIO(exported.content)).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1][0] == "00123"
    tee = values[3]
    assert tee[COLUMN_NAMES.index("barcodes")] == "036000291452|=OWN-1"
    assert tee[COLUMN_NAMES.index("hs_code")] == "61091000"
    assert tee[COLUMN_NAMES.index("weight_g")] == 180


def test_an_operator_exports_its_sellers_skus_without_their_commercial_data(seller, other_seller):
    operator = make_operator()
    make_agreement(seller, operator)
    make_agreement(other_seller, operator)
    rich_catalogue(seller)
    make_sku(other_seller, code="X-1")
    membership = make_member(operator, "manager")
    scope = scope_for_membership(membership, actor=Actor.for_user(membership.user))

    exported = catalog_export(scope=scope, format="csv")

    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert {(r["seller_code"], r["sku_code"]) for r in rows} == {
        ("lumen", "00123"),
        ("lumen", "GIFT"),
        ("lumen", "TEE-RED-M"),
        ("harbour", "X-1"),
    }
    assert not {"purchase_cost", "supplier_name", "moq", "lead_time_days"} & set(rows[0])
