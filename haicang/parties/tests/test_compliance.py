import pytest

from haicang.parties.compliance import compliance_requirements, compliance_value_check


@pytest.mark.parametrize(
    ("kind", "market", "value", "expected"),
    [
        ("ioss", "EU", "IM2500000014", "IM2500000014"),
        ("vat", "DE", "DE 136 695 976", "DE136695976"),
        ("vat", "DE", "136695976", "DE136695976"),
        ("eori", "EU", "de1234567890123", "DE1234567890123"),
        ("de_lucid", "DE", "DE1234567890123", "DE1234567890123"),
        ("fr_epr", "FR", "FR123456_01ABCD", "FR123456_01ABCD"),
    ],
)
def test_valid_ids_are_normalised(kind, market, value, expected):
    assert compliance_value_check(kind, market, value) == expected


@pytest.mark.parametrize(
    ("kind", "market", "value", "reason"),
    [
        ("ioss", "EU", "IM1234567890", "not a valid IOSS"),
        ("ioss", "EU", "IN2500000014", "starts with IM"),
        ("ioss", "DE", "IM2500000014", "union-wide"),
        ("vat", "DE", "DE136695977", "not a valid DE VAT"),
        ("de_lucid", "FR", "DE1234567890123", "LUCID"),
        ("eori", "US", "US12345", "EORI"),
        ("vat", "DE", "   ", "empty"),
    ],
)
def test_invalid_ids_name_the_reason(kind, market, value, reason):
    with pytest.raises(ValueError, match=reason):
        compliance_value_check(kind, market, value)


def test_a_parcel_from_china_into_germany_needs_ioss_and_lucid():
    kinds = {(r.kind, r.market) for r in compliance_requirements(market="DE", ships_from="CN")}
    assert kinds == {("ioss", "EU"), ("de_lucid", "DE")}


def test_a_parcel_from_a_german_warehouse_to_france_needs_the_french_epr_id_but_no_ioss():
    kinds = {(r.kind, r.market) for r in compliance_requirements(market="FR", ships_from="DE")}
    assert kinds == {("fr_epr", "FR")}


def test_a_bulk_import_into_the_eu_or_uk_needs_that_territorys_eori():
    assert [
        (r.kind, r.market) for r in compliance_requirements(market="NL", ships_from="CN", bulk_import=True)
    ] == [("eori", "EU")]
    assert [
        (r.kind, r.market) for r in compliance_requirements(market="GB", ships_from="CN", bulk_import=True)
    ] == [("eori", "GB")]
