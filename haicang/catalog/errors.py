"""Domain errors of the catalogue, with stable codes. Pure: no Django import."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from haicang.core.errors import Conflict, NotFound, ValidationFailed


class CatalogErrorCode(StrEnum):
    FIELD_INVALID = "catalog.field_invalid"
    FIELD_REQUIRED = "catalog.field_required"
    FIELD_UNKNOWN = "catalog.field_unknown"
    SKU_CODE_INVALID = "catalog.sku_code_invalid"
    SKU_CODE_TAKEN = "catalog.sku_code_taken"
    STYLE_CODE_INVALID = "catalog.style_code_invalid"
    STYLE_CODE_TAKEN = "catalog.style_code_taken"
    VARIANT_TAKEN = "catalog.variant_taken"
    PRODUCT_UNKNOWN = "catalog.product_unknown"
    BARCODE_INVALID = "catalog.barcode_invalid"
    BARCODE_CHECK_DIGIT = "catalog.barcode_check_digit"
    BARCODE_TAKEN = "catalog.barcode_taken"
    BARCODE_UNKNOWN = "catalog.barcode_unknown"
    HS_CODE_INVALID = "catalog.hs_code_invalid"
    COUNTRY_INVALID = "catalog.country_invalid"
    CURRENCY_INVALID = "catalog.currency_invalid"
    AMOUNT_INVALID = "catalog.amount_invalid"
    NUMBER_INVALID = "catalog.number_invalid"
    BOOLEAN_INVALID = "catalog.boolean_invalid"
    CHOICE_INVALID = "catalog.choice_invalid"
    TEXT_TOO_LONG = "catalog.text_too_long"
    TRACKING_INVALID = "catalog.tracking_invalid"
    CARTON_INVALID = "catalog.carton_invalid"
    KIT_INVALID = "catalog.kit_invalid"
    KIT_SELF = "catalog.kit_self"
    KIT_NESTED = "catalog.kit_nested"
    KIT_COMPONENT_UNKNOWN = "catalog.kit_component_unknown"
    KIT_OTHER_SELLER = "catalog.kit_other_seller"
    SELLER_MISMATCH = "catalog.seller_mismatch"
    IMPORT_REJECTED = "catalog.import_rejected"
    FILE_INVALID = "catalog.file_invalid"
    COLUMN_UNKNOWN = "catalog.column_unknown"
    COLUMN_DUPLICATE = "catalog.column_duplicate"
    COLUMN_MISSING = "catalog.column_missing"
    ROW_DUPLICATE = "catalog.row_duplicate"
    PRODUCT_CONFLICT = "catalog.product_conflict"


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in a catalogue file: the row as a spreadsheet numbers it (the header is row 1), the
    column's name, a stable code and the reason. ``row`` is None for the file as a whole, ``column`` None for
    the row as a whole."""

    row: int | None
    column: str | None
    code: str
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "code": str(self.code), "detail": self.detail}


class CatalogInvalid(ValidationFailed):
    """A value the catalogue refuses; ``code`` is one of :class:`CatalogErrorCode`, ``field`` names the field."""

    code = CatalogErrorCode.FIELD_INVALID
    title = "Invalid catalogue data"

    def __init__(self, detail: str, *, field: str | None = None, code: str | None = None, **context: object):
        super().__init__(detail, field=field, **context)
        if code is not None:
            self.code = code  # type: ignore[misc, assignment]  # an instance may carry a more precise code


class SkuCodeTaken(Conflict):
    code = CatalogErrorCode.SKU_CODE_TAKEN
    title = "The SKU code is taken"


class StyleCodeTaken(Conflict):
    code = CatalogErrorCode.STYLE_CODE_TAKEN
    title = "The style code is taken"


class VariantTaken(Conflict):
    code = CatalogErrorCode.VARIANT_TAKEN
    title = "The product already has this colour and size"


class BarcodeTaken(Conflict):
    code = CatalogErrorCode.BARCODE_TAKEN
    title = "The barcode belongs to another SKU"


class BarcodeUnknown(NotFound):
    code = CatalogErrorCode.BARCODE_UNKNOWN
    title = "No such barcode on this SKU"


class KitInvalid(ValidationFailed):
    """A kit's components break a rule; ``code`` says which (self, nested, unknown, other seller…)."""

    code = CatalogErrorCode.KIT_INVALID
    title = "Invalid kit"

    def __init__(
        self, detail: str, *, field: str | None = "components", code: str | None = None, **context: object
    ):
        super().__init__(detail, field=field, **context)
        if code is not None:
            self.code = code  # type: ignore[misc, assignment]


class ImportRejected(ValidationFailed):
    """A catalogue file with at least one bad row; ``problems`` lists every one. Nothing was written."""

    code = CatalogErrorCode.IMPORT_REJECTED
    title = "The catalogue file was rejected"

    def __init__(self, problems: list[Problem], *, rows: int = 0) -> None:
        count = len(problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} found; nothing was imported",
            field=None,
        )
        self.problems = problems
        self.rows = rows
