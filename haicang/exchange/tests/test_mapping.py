"""Reading and mapping files: headers to canonical columns, profiles, defaults, problems. Pure, no database."""

from __future__ import annotations

import io

from openpyxl import Workbook

from haicang.exchange.mapping import (
    ColumnSpec,
    file_prepare,
    header_key,
    header_map,
    mapping_problems,
    preview_rows,
    problems_complete,
)
from haicang.exchange.problems import MASK, Problem
from haicang.exchange.tables import read_table

COLUMNS = (
    ColumnSpec("sku_code", required=True, synonyms=("SKU", "货号")),
    ColumnSpec("name_en", synonyms=("name",)),
    ColumnSpec("weight_g"),
    ColumnSpec("origin_country"),
    ColumnSpec("phone", personal=True),
)


def test_header_names_are_compared_ignoring_case_spaces_dashes_and_full_width_forms():
    assert header_key("  SKU  Code ") == "sku_code"
    assert header_key("sku-code") == "sku_code"
    assert header_key("ＳＫＵ＿Ｃｏｄｅ") == "sku_code"
    assert header_key("Weight__g") == "weight_g"


def test_headers_match_canonical_names_and_synonyms_in_any_order():
    header = header_map(["Name", "货号", "Weight G"], COLUMNS)

    assert header.problems == []
    assert header.positions == {"name_en": 0, "sku_code": 1, "weight_g": 2}
    assert header.sources == {"name_en": "Name", "sku_code": "货号", "weight_g": "Weight G"}


def test_a_saved_profile_maps_a_partners_headers_and_ignores_the_ones_it_says():
    mapping = {"Artikelnummer": "sku_code", "Bezeichnung": "name_en", "Notiz": ""}

    header = header_map(["ARTIKELNUMMER", "bezeichnung", "Notiz", "weight_g"], COLUMNS, mapping=mapping)

    assert header.problems == []
    assert header.positions == {"sku_code": 0, "name_en": 1, "weight_g": 3}
    assert header.ignored == ["Notiz"]


def test_unknown_repeated_and_missing_columns_are_each_a_problem_of_row_one():
    header = header_map(["name_en", "Name EN", "colour_code"], COLUMNS)

    assert [(p.row, p.column, p.code, p.value) for p in header.problems] == [
        (1, "name_en", "exchange.column_duplicate", "Name EN"),
        (1, "colour_code", "exchange.column_unknown", "colour_code"),
        (1, "sku_code", "exchange.column_missing", None),
    ]


def test_an_importer_may_ignore_unknown_columns():
    header = header_map(["sku_code", "extra"], COLUMNS, ignore_unknown=True)

    assert header.problems == [] and header.ignored == ["extra"]


def test_defaults_fill_an_absent_column_and_empty_cells_but_not_given_values():
    data = b"sku,origin_country\nA,\nB,DE\n"

    prepared = file_prepare(data, "csv", COLUMNS, defaults={"origin_country": "CN", "name_en": "Unnamed"})

    assert prepared.problems == []
    assert prepared.table is not None
    assert prepared.table.columns == ("sku_code", "name_en", "origin_country")
    assert [r.values for r in prepared.table.rows] == [
        {"sku_code": "A", "name_en": "Unnamed", "origin_country": "CN"},
        {"sku_code": "B", "name_en": "Unnamed", "origin_country": "DE"},
    ]


def test_a_default_stands_in_for_a_required_column():
    header = header_map(["name_en"], COLUMNS, defaults={"sku_code": "X"})

    assert header.problems == []


def test_a_value_under_no_header_is_a_problem_with_its_row_and_value():
    prepared = file_prepare(b"sku_code,name_en\nA,Lamp,stray\n", "csv", COLUMNS)

    assert [(p.row, p.column, p.value) for p in prepared.problems] == [(2, "column 3", "stray")]


def test_an_unreadable_file_gives_no_table_and_says_why():
    prepared = file_prepare("sku_code\n台灯\n".encode("gb18030"), "csv", COLUMNS)

    assert prepared.table is None
    assert [p.code for p in prepared.problems] == ["exchange.file_invalid"]
    assert "UTF-8" in prepared.problems[0].reason


def test_problems_get_the_value_of_their_cell_and_the_files_header_and_personal_values_are_masked():
    prepared = file_prepare(b"SKU,Weight G,phone\nA,heavy,0123\n", "csv", COLUMNS)
    assert prepared.table is not None
    found = [
        Problem(2, "weight_g", "x.number", "not a number"),
        Problem(2, "phone", "x.phone", "bad phone"),
        Problem(None, None, "x.file", "whole file"),
    ]

    complete = problems_complete(found, prepared.table, COLUMNS)

    assert [(p.row, p.column, p.source_column, p.value) for p in complete] == [
        (2, "weight_g", "Weight G", "heavy"),
        (2, "phone", None, MASK),
        (None, None, None, None),
    ]


def test_the_preview_shows_the_first_rows_under_canonical_names_with_personal_values_masked():
    rows = "\n".join(f"S-{n},+86 1380000{n:04d}" for n in range(30))
    prepared = file_prepare(f"sku_code,phone\n{rows}\n".encode(), "csv", COLUMNS)
    assert prepared.table is not None

    preview = preview_rows(prepared.table, COLUMNS)

    assert preview["columns"] == ["sku_code", "phone"]
    assert len(preview["rows"]) == 20
    assert preview["rows"][0] == {"row": 2, "values": {"sku_code": "S-0", "phone": MASK}}


def test_a_profile_is_checked_against_the_kinds_columns():
    assert mapping_problems({"Art": "sku_code", "Notes": ""}, {"origin_country": "CN"}, COLUMNS) == []

    problems = mapping_problems(
        {"Art": "sku_code", "ART ": "name_en", "Other": "sku_code", "X": "colour"},
        {"nope": "1", "weight_g": 5},
        COLUMNS,
    )

    assert problems == [
        "'ART ' and 'Art' are the same header",
        "'Other' and 'Art' both map to sku_code",
        "'X' maps to 'colour', which is not a column of this import",
        "a default for 'nope', which is not a column of this import",
        "the default for weight_g must be text",
    ]


def test_an_excel_file_reads_like_its_csv_with_spreadsheet_row_numbers():
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["SKU", "Weight G"])
    sheet.append(["A", 120.0])
    sheet.append([])
    sheet.append(["B", 7])
    out = io.BytesIO()
    workbook.save(out)

    table = read_table(out.getvalue(), "xlsx")

    assert table.rows == [(2, ["A", "120"]), (4, ["B", "7"])]
