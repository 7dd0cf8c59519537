"""Bin codes ZONE-AISLE-RACK-LEVEL-POSITION and area codes: parsing, formatting, normalising."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haicang.network.errors import LocationCodeInvalid
from haicang.network.location_codes import (
    BinCode,
    area_code_check,
    bin_code_format,
    bin_code_parse,
    location_code_normalise,
    span_check,
)


def test_a_bin_code_parses_into_its_five_parts():
    assert bin_code_parse("A-01-03-2-1") == BinCode(zone="A", aisle=1, rack=3, level=2, position=1)


def test_case_blanks_and_zero_padding_do_not_make_another_bin():
    for spelling in ("a-1-3-2-1", " A-001-03-02-01 ", "A-01-003-2-1"):
        assert str(bin_code_parse(spelling)) == "A-01-03-2-1"


def test_formatting_pads_aisle_and_rack_to_two_digits_and_keeps_larger_numbers():
    assert bin_code_format(zone="b2", aisle=7, rack=12, level=3, position=10) == "B2-07-12-3-10"
    assert bin_code_format(zone="COLD", aisle=120, rack=999, level=99, position=1) == "COLD-120-999-99-1"


@pytest.mark.parametrize(
    "text",
    [
        "A-01-03-2",  # a part missing
        "A-01-03-2-1-1",  # a part too many
        "1-01-03-2-1",  # zone starts with a digit
        "ABCDE-01-03-2-1",  # zone too long
        "A-00-03-2-1",  # aisle 0
        "A-1000-03-2-1",  # aisle above 999
        "A-01-03-0-1",  # level 0
        "A-01-03-2-100",  # position above 99
        "A-01-+3-2-1",
        "A_01_03_2_1",
        "A-٠١-03-2-1",  # non-ASCII digits
        "",
    ],
)
def test_malformed_bin_codes_are_refused_with_the_code_named(text):
    with pytest.raises(LocationCodeInvalid) as caught:
        bin_code_parse(text)
    assert caught.value.code == "network.location_code_invalid"
    assert caught.value.field == "code"


def test_an_area_code_is_upper_cased_dash_separated_and_short():
    assert area_code_check("dock-01") == "DOCK-01"
    assert area_code_check("QA-HOLD") == "QA-HOLD"
    for bad in ("-DOCK", "DOCK--1", "DOCK 1", "1DOCK", "D" * 21, ""):
        with pytest.raises(LocationCodeInvalid):
            area_code_check(bad)


def test_a_code_that_reads_as_a_bin_is_a_bin_otherwise_an_area():
    assert location_code_normalise("a-1-1-1-1") == ("A-01-01-1-1", BinCode("A", 1, 1, 1, 1))
    assert location_code_normalise("rcv-1") == ("RCV-1", None)


def test_a_span_is_a_first_last_pair_in_order_within_limits():
    assert span_check("aisle", (1, 10)) == (1, 10)
    for bad in ((3, 1), (0, 2), (1, 1000), (1,), "1-10", (1.0, 2)):
        with pytest.raises(LocationCodeInvalid):
            span_check("aisle", bad)


codes = st.builds(
    BinCode,
    zone=st.from_regex(r"[A-Z][A-Z0-9]{0,3}", fullmatch=True),
    aisle=st.integers(1, 999),
    rack=st.integers(1, 999),
    level=st.integers(1, 99),
    position=st.integers(1, 99),
)


@given(code=codes)
def test_formatting_then_parsing_gives_the_same_bin(code):
    assert bin_code_parse(str(code)) == code
    assert len(str(code)) <= 20
