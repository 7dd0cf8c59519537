"""The columns of a catalogue file and the parsing of one row. Pure: no Django.

A file's header (row 1) names its columns; any subset of :data:`COLUMNS` in any order, ``sku_code`` required.
Header names are matched ignoring case, spaces and dashes (``SKU Code`` is ``sku_code``). A column that is
absent leaves that field of existing SKUs as it is; a column that is present sets it, an empty cell
clearing it (see ``docs/catalog.md``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from haicang.catalog.errors import CatalogErrorCode, CatalogInvalid, Problem
from haicang.catalog.identifiers import (
    BarcodeValue,
    barcodes_parse,
    code_check,
    kit_components_parse,
)
from haicang.catalog.sku_fields import (
    COMMERCIAL_FIELDS,
    PRODUCT_FIELD_LIMITS,
    SKU_FIELD_RULES,
    FieldKind,
    money_parse,
    text_parse,
)


class ColumnKind(StrEnum):
    SKU_CODE = "sku_code"
    FIELD = "field"  # one of sku_fields.SKU_FIELD_RULES
    MONEY = "money"  # the amount of a money field
    CURRENCY = "currency"  # the currency of a money field
    BARCODES = "barcodes"
    KIT = "kit"
    STYLE = "style"
    PRODUCT = "product"  # a field of the SKU's product
    SELLER = "seller"


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    kind: ColumnKind
    target: str = ""  # the field the column fills

    @property
    def commercial(self) -> bool:
        return self.target in COMMERCIAL_FIELDS


def _field(name: str) -> Column:
    kind = ColumnKind.MONEY if SKU_FIELD_RULES[name].kind is FieldKind.MONEY else ColumnKind.FIELD
    return Column(name, kind, name)


COLUMNS: list[Column] = [
    Column("sku_code", ColumnKind.SKU_CODE),
    _field("name_en"),
    _field("name_zh"),
    Column("style_code", ColumnKind.STYLE),
    Column("product_name_en", ColumnKind.PRODUCT, "name_en"),
    Column("product_name_zh", ColumnKind.PRODUCT, "name_zh"),
    Column("brand", ColumnKind.PRODUCT, "brand"),
    Column("category", ColumnKind.PRODUCT, "category"),
    _field("colour"),
    _field("size"),
    _field("status"),
    Column("barcodes", ColumnKind.BARCODES),
    *(
        _field(name)
        for name in (
            "length_mm", "width_mm", "height_mm", "weight_g", "units_per_carton", "carton_length_mm",
            "carton_width_mm", "carton_height_mm", "carton_weight_g", "hs_code", "origin_country",
        )
    ),
    _field("declared_value"),
    Column("declared_value_currency", ColumnKind.CURRENCY, "declared_value"),
    _field("purchase_cost"),
    Column("purchase_cost_currency", ColumnKind.CURRENCY, "purchase_cost"),
    *(
        _field(name)
        for name in (
            "supplier_name", "moq", "lead_time_days", "lithium_battery", "liquid", "magnet", "aerosol",
            "flammable", "powder", "track_lot", "track_expiry", "track_serial",
        )
    ),
    Column("kit_components", ColumnKind.KIT),
]  # fmt: skip
SELLER_COLUMN = Column("seller_code", ColumnKind.SELLER)
BY_NAME: dict[str, Column] = {c.name: c for c in [SELLER_COLUMN, *COLUMNS]}
COLUMN_NAMES: list[str] = [c.name for c in COLUMNS]

_HEADER_NOISE = re.compile(r"[\s\-]+")


def header_name(text: str) -> str:
    return _HEADER_NOISE.sub("_", text.strip().lower()).strip("_")


@dataclass
class Header:
    positions: dict[str, int] = field(default_factory=dict)  # column name → index in a row
    width: int = 0
    problems: list[Problem] = field(default_factory=list)

    def has(self, name: str) -> bool:
        return name in self.positions


def header_check(cells: list[str]) -> Header:
    """Map row 1 to the known columns; unknown, repeated and missing required columns are problems."""
    header = Header(width=len(cells))
    for index, raw in enumerate(cells):
        if not raw:
            continue
        name = header_name(raw)
        if name not in BY_NAME:
            header.problems.append(
                Problem(
                    1, raw, CatalogErrorCode.COLUMN_UNKNOWN, f"unknown column {raw!r}; see docs/catalog.md"
                )
            )
        elif name in header.positions:
            header.problems.append(
                Problem(1, name, CatalogErrorCode.COLUMN_DUPLICATE, f"{name} appears twice")
            )
        else:
            header.positions[name] = index
    if "sku_code" not in header.positions:
        header.problems.append(
            Problem(1, "sku_code", CatalogErrorCode.COLUMN_MISSING, "the sku_code column is required")
        )
    for column in COLUMNS:
        if column.kind is ColumnKind.CURRENCY and header.has(column.name) and not header.has(column.target):
            header.problems.append(
                Problem(
                    1,
                    column.name,
                    CatalogErrorCode.COLUMN_MISSING,
                    f"{column.name} needs a {column.target} column",
                )
            )
    return header


@dataclass
class RowValues:
    """One parsed data row. ``None`` for barcodes, kit and style means the column is absent."""

    row: int
    code: str = ""
    fields: dict[str, Any] = field(default_factory=dict)
    barcodes: list[BarcodeValue] | None = None
    kit: list[tuple[str, int]] | None = None
    style_code: str | None = None
    product: dict[str, str] = field(default_factory=dict)  # non-empty product fields only
    seller_code: str = ""


def row_parse(
    header: Header, number: int, cells: list[str], *, default_currency: str
) -> tuple[RowValues, list[Problem]]:
    """The typed values of one row and every problem in it (one per bad cell)."""
    values = RowValues(row=number)
    problems: list[Problem] = []

    def cell(name: str) -> str:
        index = header.positions.get(name)
        return cells[index] if index is not None and index < len(cells) else ""

    for index in range(header.width, len(cells)):
        if cells[index]:
            problems.append(
                Problem(
                    number,
                    f"column {index + 1}",
                    CatalogErrorCode.COLUMN_UNKNOWN,
                    "a value in a column without a name",
                )
            )
    for name in header.positions:
        column = BY_NAME[name]
        text = cell(name)
        try:
            _apply(column, text, values, cell, default_currency)
        except CatalogInvalid as exc:
            where = (
                exc.field
                if column.kind is ColumnKind.MONEY and exc.field and exc.field.endswith("_currency")
                else name
            )
            problems.append(Problem(number, where, str(exc.code), exc.detail))
    return values, problems


def _apply(
    column: Column, text: str, values: RowValues, cell: Callable[[str], str], default_currency: str
) -> None:
    kind = column.kind
    if kind is ColumnKind.SKU_CODE:
        values.code = text
        code_check(text, field=column.name)
    elif kind is ColumnKind.FIELD:
        values.fields[column.target] = text_parse(SKU_FIELD_RULES[column.target], text)
    elif kind is ColumnKind.MONEY:
        values.fields[column.target] = money_parse(
            SKU_FIELD_RULES[column.target],
            text,
            cell(f"{column.name}_currency"),
            default_currency=default_currency,
        )
    elif kind is ColumnKind.BARCODES:
        values.barcodes = barcodes_parse(text, field=column.name)
    elif kind is ColumnKind.KIT:
        values.kit = kit_components_parse(text, field=column.name)
    elif kind is ColumnKind.STYLE:
        values.style_code = code_check(text, field=column.name, what="style code") if text else ""
    elif kind is ColumnKind.PRODUCT:
        limit = PRODUCT_FIELD_LIMITS[column.target]
        if len(text) > limit:
            raise CatalogInvalid(
                f"{column.name} has at most {limit} characters",
                field=column.name,
                code=CatalogErrorCode.TEXT_TOO_LONG,
            )
        if text:
            values.product[column.target] = text
    elif kind is ColumnKind.SELLER:
        values.seller_code = text


def export_columns(*, with_seller: bool, commercial: bool) -> list[Column]:
    """The columns an export writes: all of them, less the seller's commercial data for operators."""
    columns = [c for c in COLUMNS if commercial or not c.commercial]
    return [SELLER_COLUMN, *columns] if with_seller else columns
