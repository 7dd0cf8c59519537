"""Creating and changing SKUs, products, barcodes and kits through the services."""

from __future__ import annotations

from decimal import Decimal

import pytest

from haicang.catalog.errors import BarcodeTaken, CatalogInvalid, KitInvalid, SkuCodeTaken, VariantTaken
from haicang.catalog.models import Barcode, KitComponent, Sku
from haicang.catalog.selectors import kit_dangerous_goods
from haicang.catalog.services import (
    barcode_add,
    barcode_remove,
    kit_set_components,
    sku_create,
    sku_discontinue,
    sku_reactivate,
    sku_update,
)
from haicang.catalog.tests.factories import SYSTEM, make_kit, make_product, make_sku
from haicang.core.audit import audit_entries_for
from haicang.core.money import Money

pytestmark = pytest.mark.django_db


def test_a_sku_is_created_with_its_data_and_an_audit_entry(seller):
    sku = sku_create(
        actor=SYSTEM,
        seller=seller,
        code="LMP-01",
        name_en="Desk lamp",
        name_zh="台灯",
        length_mm=300,
        width_mm=200,
        height_mm=150,
        weight_g=1250,
        hs_code="9405.21.00",
        origin_country="cn",
        declared_value=Money(Decimal("18.50"), "USD"),
        purchase_cost=Money(Decimal("6.123456"), "CNY"),
        lithium_battery=True,
        barcodes=["4006381333931", "LMP-01-OWN"],
    )

    sku.refresh_from_db()
    assert sku.hs_code == "94052100"
    assert sku.origin_country == "CN"
    assert sku.purchase_cost == Money(Decimal("6.123456"), "CNY")
    assert sku.volume_mm3 == 300 * 200 * 150
    assert sku.dangerous_goods == ["lithium_battery"]
    assert sorted(b.kind for b in sku.barcodes.all()) == ["gtin13", "own"]
    assert [e.action for e in audit_entries_for(subject=sku)].count("sku.created") == 1


def test_a_sku_code_is_unique_per_seller_but_two_sellers_may_share_it(seller, other_seller):
    make_sku(seller, code="A-1")
    make_sku(other_seller, code="A-1")

    with pytest.raises(SkuCodeTaken):
        make_sku(seller, code="A-1")


def test_a_value_out_of_range_is_refused_naming_the_field(seller):
    with pytest.raises(CatalogInvalid) as caught:
        make_sku(seller, weight_g=0)

    assert caught.value.field == "weight_g"
    assert "leave it empty" in caught.value.detail


def test_dimensions_come_all_three_or_not_at_all(seller):
    with pytest.raises(CatalogInvalid) as caught:
        make_sku(seller, length_mm=100, width_mm=50)

    assert caught.value.field == "height_mm"


def test_expiry_tracking_needs_lot_tracking(seller):
    with pytest.raises(CatalogInvalid) as caught:
        make_sku(seller, track_expiry=True)

    assert caught.value.code == "catalog.tracking_invalid"
    assert make_sku(seller, track_expiry=True, track_lot=True).track_expiry


def test_an_unknown_field_is_refused(seller):
    with pytest.raises(CatalogInvalid) as caught:
        make_sku(seller, colour_code="red")

    assert caught.value.code == "catalog.field_unknown"


def test_an_update_writes_only_what_changed_and_audits_before_and_after(seller):
    sku = make_sku(seller, name_en="Mug", colour="white")

    sku_update(actor=SYSTEM, sku=sku, name_en="Mug", colour="black")

    entry = audit_entries_for(subject=sku).filter(action="sku.updated").get()
    assert entry.changes == {"before": {"colour": "white"}, "after": {"colour": "black"}}
    assert sku_update(actor=SYSTEM, sku=sku, colour="black") is sku
    assert audit_entries_for(subject=sku).filter(action="sku.updated").count() == 1


def test_a_discontinued_sku_remembers_when_and_can_come_back(seller):
    sku = make_sku(seller)

    sku_discontinue(actor=SYSTEM, sku=sku)
    assert sku.status == "discontinued" and sku.discontinued_at is not None

    sku_reactivate(actor=SYSTEM, sku=sku)
    sku.refresh_from_db()
    assert sku.status == "active" and sku.discontinued_at is None


def test_variants_of_a_product_differ_by_colour_or_size(seller):
    product = make_product(seller, style_code="TEE")
    make_sku(seller, product=product, colour="Red", size="M")
    make_sku(seller, product=product, colour="Red", size="L")

    with pytest.raises(VariantTaken):
        make_sku(seller, product=product, colour="Red", size="M")


def test_a_product_of_another_seller_cannot_be_used(seller, other_seller):
    product = make_product(other_seller)

    with pytest.raises(CatalogInvalid) as caught:
        make_sku(seller, product=product)

    assert caught.value.code == "catalog.seller_mismatch"


def test_a_barcode_is_unique_per_seller_in_any_of_its_lengths(seller, other_seller):
    first = make_sku(seller, barcodes=["036000291452"])
    second = make_sku(seller)

    with pytest.raises(BarcodeTaken):
        barcode_add(actor=SYSTEM, sku=second, value="0036000291452")
    assert barcode_add(actor=SYSTEM, sku=first, value="036000291452").sku_id == first.pk
    make_sku(other_seller, barcodes=["036000291452"])

    barcode_remove(actor=SYSTEM, sku=first, value="0036000291452")
    assert not Barcode.objects.filter(sku=first).exists()


def test_a_barcode_with_a_wrong_check_digit_is_refused(seller):
    sku = make_sku(seller)

    with pytest.raises(CatalogInvalid) as caught:
        barcode_add(actor=SYSTEM, sku=sku, value="4006381333932")

    assert caught.value.code == "catalog.barcode_check_digit"
    assert caught.value.field == "barcode"


def test_a_kit_is_made_of_component_skus_and_carries_their_dangerous_goods(seller):
    torch = make_sku(seller, lithium_battery=True)
    pouch = make_sku(seller)

    kit = make_kit(seller, [(torch, 1), (pouch, 2)])

    kit.refresh_from_db()
    assert kit.is_kit
    assert {(c.component.code, c.quantity) for c in kit.components.all()} == {
        (torch.code, 1),
        (pouch.code, 2),
    }
    assert kit_dangerous_goods(kit) == ["lithium_battery"]

    kit_set_components(actor=SYSTEM, kit=kit, components=[])
    kit.refresh_from_db()
    assert not kit.is_kit and not kit.components.exists()


def test_a_kit_cannot_contain_itself(seller):
    sku = make_sku(seller)

    with pytest.raises(KitInvalid) as caught:
        kit_set_components(actor=SYSTEM, kit=sku, components=[(sku, 1)])

    assert caught.value.code == "catalog.kit_self"


def test_kit_cycles_are_refused_because_kits_do_not_nest(seller):
    a, b = make_sku(seller, code="A"), make_sku(seller, code="B")
    kit_set_components(actor=SYSTEM, kit=a, components=[(b, 1)])

    # b is a component of a, so it cannot become a kit (of a or of anything)
    with pytest.raises(KitInvalid) as caught:
        kit_set_components(actor=SYSTEM, kit=b, components=[(a, 1)])
    assert caught.value.code == "catalog.kit_nested"

    # and a kit cannot be a component of another kit
    c = make_sku(seller, code="C")
    with pytest.raises(KitInvalid) as caught:
        kit_set_components(actor=SYSTEM, kit=c, components=[(a, 1)])
    assert caught.value.code == "catalog.kit_nested"
    assert KitComponent.objects.count() == 1


def test_a_kit_takes_only_its_own_sellers_skus(seller, other_seller):
    kit, foreign = make_sku(seller), make_sku(other_seller)

    with pytest.raises(KitInvalid) as caught:
        kit_set_components(actor=SYSTEM, kit=kit, components=[(foreign, 1)])

    assert caught.value.code == "catalog.kit_other_seller"
    assert not Sku.objects.get(pk=kit.pk).is_kit
