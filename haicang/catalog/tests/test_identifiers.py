"""Barcodes, HS codes, SKU codes and kit lists: pure rules, no database."""

from __future__ import annotations

import pytest
from stdnum import ean

from haicang.catalog.errors import CatalogInvalid
from haicang.catalog.identifiers import (
    BarcodeKind,
    barcode_check,
    barcode_key,
    barcodes_parse,
    code_check,
    hs_code_check,
    kit_components_format,
    kit_components_parse,
)


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("96385074", BarcodeKind.GTIN8),
        ("036000291452", BarcodeKind.GTIN12),
        ("4006381333931", BarcodeKind.GTIN13),
        ("10012345678902", BarcodeKind.GTIN14),
    ],
)
def test_a_gtin_with_a_valid_check_digit_is_recognised_by_its_length(value, kind):
    barcode = barcode_check(value)

    assert barcode.kind is kind
    assert barcode.key == value.zfill(14)


@pytest.mark.parametrize("value", ["96385075", "036000291453", "4006381333932", "10012345678903"])
def test_a_gtin_with_a_wrong_check_digit_is_refused_naming_the_right_digit(value):
    with pytest.raises(CatalogInvalid) as caught:
        barcode_check(value)

    assert caught.value.code == "catalog.barcode_check_digit"
    assert f"should be {ean.calc_check_digit(value[:-1])}" in caught.value.detail


def test_a_upc_a_and_its_ean_13_form_are_the_same_barcode():
    assert barcode_check("036000291452").key == barcode_check("0036000291452").key
    assert barcode_key("0036000291452") == barcode_key("036000291452")


@pytest.mark.parametrize("value", ["LUMEN-TS-001", "A1", "12345", "123456789012345"])
def test_anything_else_printable_is_the_sellers_own_code(value):
    assert barcode_check(value).kind is BarcodeKind.OWN


@pytest.mark.parametrize("value", ["has space", "Ünïcode", "x" * 49, "a|b"])
def test_an_own_code_is_printable_ascii_without_spaces_and_short_enough_for_code_128(value):
    with pytest.raises(CatalogInvalid) as caught:
        barcode_check(value)

    assert caught.value.code == "catalog.barcode_invalid"


def test_one_sku_cannot_list_the_same_gtin_twice_even_in_two_lengths():
    with pytest.raises(CatalogInvalid, match="listed twice"):
        barcodes_parse("036000291452|0036000291452")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("610910", "610910"), ("6109.10.00", "61091000"), ("8517 62 00 90", "8517620090"), ("", "")],
)
def test_an_hs_code_keeps_its_digits_only(value, expected):
    assert hs_code_check(value) == expected


@pytest.mark.parametrize("value", ["61091", "61091000001", "6109AB", "000000", "771234"])
def test_an_hs_code_is_6_to_10_digits_of_an_existing_chapter(value):
    with pytest.raises(CatalogInvalid) as caught:
        hs_code_check(value)

    assert caught.value.code == "catalog.hs_code_invalid"


@pytest.mark.parametrize("value", ["", " A", "A ", "A|B", "A*2", "x" * 65, "tab\there"])
def test_a_sku_code_refuses_separators_padding_and_control_characters(value):
    with pytest.raises(CatalogInvalid):
        code_check(value)


def test_a_sku_code_may_be_chinese_or_carry_punctuation():
    assert code_check("灯-01/A.b#2") == "灯-01/A.b#2"


def test_kit_components_read_and_write_as_code_star_quantity():
    components = kit_components_parse("CASE-1*2| STRAP-9 |")

    assert components == [("CASE-1", 2), ("STRAP-9", 1)]
    assert kit_components_format(components) == "CASE-1*2|STRAP-9"


@pytest.mark.parametrize("text", ["A*0", "A*x", "A*1|A*2", "*3"])
def test_kit_components_refuse_bad_quantities_repeats_and_missing_codes(text):
    with pytest.raises(CatalogInvalid):
        kit_components_parse(text)
