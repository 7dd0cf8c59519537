"""Reading and writing catalogue files, and parsing rows: pure, no database."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook

from haicang.catalog.columns import header_check, row_parse
from haicang.catalog.tabular import cell_text, format_guess, read_table, write_csv, write_xlsx
from haicang.core.money import Money


def test_rows_are_numbered_as_a_spreadsheet_shows_them():
    data = b'sku_code,name_en\nA,"Two\nlines"\n\n,\nB,Lamp\n'

    table = read_table(data, "csv")

    assert table.header == ["sku_code", "name_en"]
    assert [(number, cells[0]) for number, cells in table.rows] == [(2, "A"), (5, "B")]


def test_a_bom_is_dropped_and_cells_are_trimmed():
    table = read_table("\ufeffsku_code , name_en\n  A ,  台灯 \n".encode(), "csv")

    assert table.header == ["sku_code", "name_en"]
    assert table.rows == [(2, ["A", "台灯"])]


def test_an_excel_sheet_reads_like_its_csv():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["sku_code", "weight_g", "declared_value", "lithium_battery", None])
    sheet.append(["A", 120, 4.5, True])
    sheet.append([])
    sheet.append([123, 120.0, 0.000001, False])
    out = io.BytesIO()
    workbook.save(out)

    table = read_table(out.getvalue(), "xlsx")

    assert table.header == ["sku_code", "weight_g", "declared_value", "lithium_battery"]
    assert table.rows == [(2, ["A", "120", "4.5", "true"]), (4, ["123", "120", "0.000001", "false"])]


def test_numbers_from_excel_never_come_out_in_exponent_form():
    assert cell_text(1e-7) == "0.0000001"
    assert cell_text(4006381333931.0) == "4006381333931"
    assert cell_text(Decimal("12.50")) == "12.50"


def test_the_format_is_guessed_from_the_name_or_the_content():
    assert format_guess("x.XLSX", b"") == "xlsx"
    assert format_guess("upload", b"PK\x03\x04...") == "xlsx"
    assert format_guess("upload", b"sku_code\n") == "csv"


def test_written_files_read_back_cell_for_cell():
    header = ["sku_code", "name_en", "weight_g"]
    rows: list[list[object]] = [["=1+1", '台灯, "big"', 120], ["00123", "", ""]]

    for fmt, data in (("csv", write_csv(header, rows)), ("xlsx", write_xlsx(header, rows))):
        table = read_table(data, fmt)
        assert table.header == header
        assert table.rows == [
            (2, ["=1+1", '台灯, "big"', "120"]),
            (3, ["00123"] + ([] if fmt == "xlsx" else ["", ""])),
        ]


def test_a_row_is_parsed_into_typed_values_with_one_problem_per_bad_cell():
    header = header_check(
        ["SKU Code", "weight_g", "declared_value", "declared_value_currency", "magnet", "kit_components"]
    )

    values, problems = row_parse(header, 7, ["A", "120", "4.5", "", "yes", "B*2|C"], default_currency="EUR")
    assert problems == []
    assert values.fields == {"weight_g": 120, "declared_value": Money(Decimal("4.5"), "EUR"), "magnet": True}
    assert values.kit == [("B", 2), ("C", 1)]

    _values, problems = row_parse(
        header, 8, ["A", "1.5", "-1", "XXX", "maybe", "B*0"], default_currency="EUR"
    )
    assert [(p.row, p.column, p.code) for p in problems] == [
        (8, "weight_g", "catalog.number_invalid"),
        (8, "declared_value_currency", "catalog.currency_invalid"),
        (8, "magnet", "catalog.boolean_invalid"),
        (8, "kit_components", "catalog.kit_invalid"),
    ]


def test_the_header_names_unknown_repeated_and_missing_columns():
    header = header_check(["name_en", "Name EN", "colour_code", "purchase_cost_currency"])

    assert [(p.row, p.column, p.code) for p in header.problems] == [
        (1, "name_en", "catalog.column_duplicate"),
        (1, "colour_code", "catalog.column_unknown"),
        (1, "sku_code", "catalog.column_missing"),
        (1, "purchase_cost_currency", "catalog.column_missing"),
    ]
