"""The rules of a supplier's packing list, row by row (pure: no database)."""

from __future__ import annotations

import pytest

from haicang.exchange.mapping import MappedTable, file_prepare
from haicang.inbound.importer import COLUMNS
from haicang.inbound.packing_list import PackingList, carton_range, packing_list_read, whole_count


def _read(text: str) -> tuple[MappedTable, PackingList]:
    prepared = file_prepare(text.encode(), "csv", COLUMNS)
    assert prepared.problems == [] and prepared.table is not None, prepared.problems
    return prepared.table, packing_list_read(prepared.table)


def _problems(packing: PackingList) -> list[tuple[int | None, str | None, str]]:
    return [(p.row, p.column, p.code.removeprefix("packing_list.")) for p in packing.problems]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7", (7, 7)),
        ("1-20", (1, 20)),
        ("1 - 20", (1, 20)),
        ("1~20", (1, 20)),
        ("1–20", (1, 20)),
        ("#21-#30", (21, 30)),
        ("１－２０", (1, 20)),  # full-width digits and dash, as typed with a Chinese input method
        ("1至20", (1, 20)),
        ("20-1", None),
        ("0", None),
        ("1-", None),
        ("A1", None),
        ("", None),
    ],
)
def test_a_carton_number_is_a_number_or_a_range_first_to_last(text, expected):
    assert carton_range(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("24", 24), ("24.0", 24), ("1,200", 1200), ("24 pcs", 24), ("24件", 24), ("0", None), ("2.5", None),
     ("-3", None), ("12,00", None), ("24 kg", None), ("abc", None)],
)  # fmt: skip
def test_a_count_is_a_whole_number_above_zero_with_an_optional_word_after_it(text, expected):
    assert whole_count(text) == expected


def test_chinese_headers_ranges_and_a_mixed_carton_make_the_cartons_in_centimetres_and_kilograms():
    # given a supplier's list in Chinese: two ranges of identical cartons and one carton holding two SKUs
    text = (
        "箱号,货号,每箱数量,箱数,长,宽,高,毛重\n"
        "1-20,LMP-01,24,20,60,40,35,12.5\n"
        "21-25,LMP-02,12,5,50.5,40,30,8.25\n"
        "26,LMP-01,6,1,60,40,35,9\n"
        "26,LMP-02,4,,,,,\n"
    )

    table, packing = _read(text)

    # then the headers map to the kind's columns, every range is expanded and carton 26 is one mixed carton
    assert table.columns[:8] == (
        "carton_no", "sku_code", "qty_per_carton", "carton_count", "carton_length", "carton_width",
        "carton_height", "gross_weight_kg",
    )  # fmt: skip
    assert packing.problems == []
    assert [c.number for c in packing.cartons] == list(range(1, 27))
    first, mixed = packing.cartons[0], packing.cartons[25]
    assert (first.dimensions, first.gross_weight_g, first.contents) == (
        (600, 400, 350),
        12_500,
        {"LMP-01": 24},
    )
    assert packing.cartons[20].dimensions == (505, 400, 300)
    assert mixed.contents == {"LMP-01": 6, "LMP-02": 4} and mixed.gross_weight_g == 9000
    assert packing.units == 20 * 24 + 5 * 12 + 6 + 4
    assert packing.sku_rows == {"LMP-01": 2, "LMP-02": 3}


def test_the_unit_of_length_comes_from_the_header_the_unit_column_or_the_value():
    _, by_header = _read("Carton No.,SKU,Qty/Ctn,L (mm),W (mm),H (mm),G.W. (KGS)\n1,A,10,600,400,350,12\n")
    _, by_column = _read("carton_no,sku,qty/ctn,length,width,height,dim unit\n1,A,10,600,400,350,mm\n")
    _, in_one_cell = _read("箱号,货号,每箱数量,外箱尺寸\n1,A,10,600*400*350mm\n2,A,10,60x40x35\n")
    _, by_value = _read("carton_no,sku,qty/ctn,length,width,height\n1,A,10,600mm,40,35\n")

    assert by_header.cartons[0].dimensions == (600, 400, 350)
    assert by_header.cartons[0].gross_weight_g == 12_000
    assert by_column.cartons[0].dimensions == (600, 400, 350)
    assert [c.dimensions for c in in_one_cell.cartons] == [(600, 400, 350), (600, 400, 350)]
    assert by_value.cartons[0].dimensions == (600, 400, 350)


def test_without_carton_numbers_the_cartons_are_numbered_in_file_order():
    _, packing = _read("sku,pcs/ctn,ctns\nA,10,3\nB,5,2\nC,1,\n")

    assert [(c.number, c.contents) for c in packing.cartons] == [
        (1, {"A": 10}), (2, {"A": 10}), (3, {"A": 10}), (4, {"B": 5}), (5, {"B": 5}), (6, {"C": 1}),
    ]  # fmt: skip


def test_every_bad_row_is_named_with_its_column_and_nothing_stops_at_the_first():
    # given a list where nearly every row has a mistake
    text = (
        "carton_no,sku_code,qty_per_carton,carton_count,carton_length,carton_width,carton_height,"
        "gross_weight_kg,total_quantity,dimension_unit\n"
        "1-20,A,24,19,60,40,35,12,,\n"  # 2: the range is 20 cartons
        "21-30,B,abc,10,60,40,35,12,,\n"  # 3: not a quantity
        "31-25,C,5,,60,40,35,12,,\n"  # 4: the range runs backwards
        "32,,5,,60,40,,heavy,,\n"  # 5: no SKU, no height, the weight is text
        "33,D,5,1,60,40,35,12,6,\n"  # 6: the total disagrees
        "34,E,5,1,600,400,350,12,,\n"  # 7: 6 m long in cm: a unit mistake
        "35,F,5,1,60,40,35,12,,inch\n"  # 8: not a unit of length
        "36,G,5,1,60,40,35,12,,\n"
        "36,G,5,1,60,40,35,12,,\n"  # 10: G twice in carton 36
        "37,H,5,1,60,40,35,12,,\n"
        "37,I,5,1,50,40,35,12,,\n"  # 12: carton 37 has two sizes
        ",J,5,1,60,40,35,12,,\n"  # 13: no carton number
    )

    _, packing = _read(text)

    assert _problems(packing) == [
        (2, "carton_count", "carton_count_mismatch"),
        (3, "qty_per_carton", "quantity_invalid"),
        (4, "carton_no", "carton_number_invalid"),
        (5, "sku_code", "value_required"),
        (5, "carton_height", "value_required"),
        (5, "gross_weight_kg", "weight_invalid"),
        (6, "total_quantity", "total_mismatch"),
        (7, "carton_length", "dimension_invalid"),
        (7, "carton_width", "dimension_invalid"),
        (7, "carton_height", "dimension_invalid"),
        (8, "dimension_unit", "unit_invalid"),
        (10, "sku_code", "sku_twice_in_carton"),
        (12, "carton_length", "carton_conflict"),
        (13, "carton_no", "value_required"),
    ]
    assert "20 cartons" in packing.problems[0].reason and "19" in packing.problems[0].reason
    assert "is the unit right" in packing.problems[7].reason


def test_a_range_too_large_for_a_shipment_is_refused_without_expanding_it():
    _, packing = _read("carton_no,sku,qty/ctn\n1-1000000,A,1\n")

    assert _problems(packing) == [(2, "carton_no", "too_many_cartons")]
    assert packing.cartons == []


def test_a_range_of_mixed_cartons_that_disagrees_is_said_once_for_its_row_not_once_per_carton():
    text = "箱号,货号,每箱数量,外箱尺寸,毛重\n1-20,A,10,60x40x35,12\n1-20,B,5,60x40x30,12\n1-20,A,1,,\n"

    _, packing = _read(text)

    assert _problems(packing) == [
        (3, "carton_dimensions", "carton_conflict"),
        (4, "sku_code", "sku_twice_in_carton"),
    ]
