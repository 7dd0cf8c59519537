"""What the UI calls each catalogue field and problem, in the reader's language.

Field names and error codes stay English in files and the API; people read these labels. A problem is shown
as its translated reason followed by the detail (which names the values involved).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from haicang.catalog.errors import CatalogErrorCode as C

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

FIELD_LABELS: dict[str, StrOrPromise] = {
    "code": _("SKU code"),
    "name_en": _("Name (English)"),
    "name_zh": _("Name (Chinese)"),
    "style_code": _("Style code"),
    "product": _("Product"),
    "colour": _("Colour"),
    "size": _("Size"),
    "status": _("Status"),
    "barcodes": _("Barcodes"),
    "length_mm": _("Length (mm)"),
    "width_mm": _("Width (mm)"),
    "height_mm": _("Height (mm)"),
    "weight_g": _("Weight (g)"),
    "units_per_carton": _("Units per carton"),
    "carton_length_mm": _("Carton length (mm)"),
    "carton_width_mm": _("Carton width (mm)"),
    "carton_height_mm": _("Carton height (mm)"),
    "carton_weight_g": _("Carton weight (g)"),
    "hs_code": _("HS code"),
    "origin_country": _("Country of origin"),
    "declared_value": _("Declared customs value"),
    "purchase_cost": _("Purchase cost"),
    "supplier_name": _("Supplier"),
    "moq": _("Minimum order quantity"),
    "lead_time_days": _("Production lead time (days)"),
    "lithium_battery": _("Lithium battery"),
    "liquid": _("Liquid"),
    "magnet": _("Magnet"),
    "aerosol": _("Aerosol"),
    "flammable": _("Flammable"),
    "powder": _("Powder"),
    "track_lot": _("Lot"),
    "track_expiry": _("Expiry date"),
    "track_serial": _("Serial number"),
    "kit_components": _("Kit components"),
    "brand": _("Brand"),
    "category": _("Category"),
}

PROBLEM_REASONS: dict[str, StrOrPromise] = {
    C.FIELD_INVALID: _("Invalid value."),
    C.FIELD_REQUIRED: _("A value is required."),
    C.FIELD_UNKNOWN: _("Unknown field."),
    C.SKU_CODE_INVALID: _("Invalid SKU code."),
    C.SKU_CODE_TAKEN: _("This SKU code is already used."),
    C.STYLE_CODE_INVALID: _("Invalid style code."),
    C.STYLE_CODE_TAKEN: _("This style code is already used."),
    C.VARIANT_TAKEN: _("Another SKU of this product has the same colour and size."),
    C.PRODUCT_UNKNOWN: _("No such product."),
    C.BARCODE_INVALID: _("Invalid barcode."),
    C.BARCODE_CHECK_DIGIT: _("The GTIN's check digit is wrong."),
    C.BARCODE_TAKEN: _("This barcode is already on another SKU."),
    C.BARCODE_UNKNOWN: _("No such barcode on this SKU."),
    C.HS_CODE_INVALID: _("An HS code has 6 to 10 digits."),
    C.COUNTRY_INVALID: _("Not a two-letter ISO country code."),
    C.CURRENCY_INVALID: _("Not a three-letter ISO currency code."),
    C.AMOUNT_INVALID: _("Invalid amount."),
    C.NUMBER_INVALID: _("Not a whole number in the allowed range."),
    C.BOOLEAN_INVALID: _("Write true or false (yes/no, 1/0)."),
    C.CHOICE_INVALID: _("Not one of the allowed values."),
    C.TEXT_TOO_LONG: _("The text is too long."),
    C.TRACKING_INVALID: _("Expiry tracking needs lot tracking."),
    C.CARTON_INVALID: _("Give all three dimensions or none."),
    C.KIT_INVALID: _("Invalid kit components."),
    C.KIT_SELF: _("A kit cannot contain itself."),
    C.KIT_NESTED: _("Kits do not nest: a kit cannot contain a kit or be a component."),
    C.KIT_COMPONENT_UNKNOWN: _("No such component SKU."),
    C.KIT_OTHER_SELLER: _("The component belongs to another seller."),
    C.SELLER_MISMATCH: _("The row belongs to another seller."),
    C.FILE_INVALID: _("The file cannot be read."),
    C.COLUMN_UNKNOWN: _("Unknown column."),
    C.COLUMN_DUPLICATE: _("The column appears twice."),
    C.COLUMN_MISSING: _("A required column is missing."),
    C.ROW_DUPLICATE: _("This SKU code is on another row too."),
    C.PRODUCT_CONFLICT: _("Rows of this style disagree about the product."),
}


def problem_reason(code: str) -> StrOrPromise:
    return PROBLEM_REASONS.get(code, _("Invalid value."))
