"""Identifiers of the catalogue: SKU and style codes, barcodes (GTIN or the seller's own), HS codes.

Pure: no Django. Each check returns the normalised value or raises :class:`CatalogInvalid` with a stable code.

- A **SKU code** (and a product's **style code**) is 1–64 characters, no control characters, no leading or
  trailing space, and neither ``|`` nor ``*`` (they separate lists and quantities in catalogue files).
  Codes are case-sensitive, as on the marketplaces.
- A **barcode** that is all digits and 8, 12, 13 or 14 long is a GTIN (GTIN-8, UPC-A/GTIN-12, EAN-13/GTIN-13,
  GTIN-14) and must carry a valid GS1 check digit: a scanner cannot tell such a number from a GTIN, so a
  wrong check digit is always a typo. Any other value of 1–48 printable ASCII characters is the seller's
  own code (printed as Code 128). A barcode's **key** is what a scan is matched against: a GTIN
  zero-padded to 14 digits (so UPC-A ``036000291452`` and EAN-13 ``0036000291452`` are the same), an own
  code as it is.
- An **HS code** is 6–10 digits (the 6 of the Harmonized System plus national subdivisions); dots and spaces
  are dropped (``6109.10.00`` → ``61091000``); the chapter (first two digits) is 01–99 except 77 (reserved).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from stdnum import ean
from stdnum.exceptions import ValidationError as StdnumError

from haicang.catalog.errors import CatalogErrorCode, CatalogInvalid

CODE_MAX_LENGTH = 64
OWN_BARCODE_MAX_LENGTH = 48
LIST_SEPARATOR = "|"
QUANTITY_SEPARATOR = "*"

_FORBIDDEN_IN_CODES = re.compile(r"[\x00-\x1f\x7f|*]")
_OWN_BARCODE = re.compile(r"[!-~]+", re.ASCII)
_HS_SEPARATORS = re.compile(r"[.\s]")
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
GTIN_LENGTHS = (8, 12, 13, 14)


class BarcodeKind(StrEnum):
    GTIN8 = "gtin8"
    GTIN12 = "gtin12"
    GTIN13 = "gtin13"
    GTIN14 = "gtin14"
    OWN = "own"


@dataclass(frozen=True, slots=True)
class BarcodeValue:
    value: str
    kind: BarcodeKind
    key: str


def code_check(code: object, *, field: str = "code", what: str = "SKU code") -> str:
    """A SKU or style code as stored; raises CatalogInvalid (``catalog.sku_code_invalid``)."""
    error = CatalogErrorCode.SKU_CODE_INVALID if what == "SKU code" else CatalogErrorCode.STYLE_CODE_INVALID
    if not isinstance(code, str) or not code:
        raise CatalogInvalid(f"a {what} is required", field=field, code=CatalogErrorCode.FIELD_REQUIRED)
    if code != code.strip():
        raise CatalogInvalid(f"the {what} {code!r} starts or ends with a space", field=field, code=error)
    if len(code) > CODE_MAX_LENGTH:
        raise CatalogInvalid(f"a {what} has at most {CODE_MAX_LENGTH} characters", field=field, code=error)
    if _FORBIDDEN_IN_CODES.search(code):
        raise CatalogInvalid(
            f"the {what} {code!r} contains a control character, '|' or '*'", field=field, code=error
        )
    return code


def barcode_check(value: object, *, field: str = "barcode") -> BarcodeValue:
    """Classify and check one barcode: a GTIN with a valid check digit, or the seller's own code."""
    if not isinstance(value, str) or not value.strip():
        raise CatalogInvalid("a barcode is required", field=field, code=CatalogErrorCode.FIELD_REQUIRED)
    text = value.strip()
    if _DIGITS.fullmatch(text) and len(text) in GTIN_LENGTHS:
        try:
            ean.validate(text)
        except StdnumError:
            expected = ean.calc_check_digit(text[:-1])
            raise CatalogInvalid(
                f"{text} is not a valid GTIN-{len(text)}: its check digit should be {expected}, not {text[-1]}",
                field=field,
                code=CatalogErrorCode.BARCODE_CHECK_DIGIT,
                expected=expected,
            ) from None
        return BarcodeValue(value=text, kind=BarcodeKind(f"gtin{len(text)}"), key=text.zfill(14))
    if len(text) > OWN_BARCODE_MAX_LENGTH or not _OWN_BARCODE.fullmatch(text) or LIST_SEPARATOR in text:
        raise CatalogInvalid(
            f"{text!r} is neither a GTIN (8, 12, 13 or 14 digits) nor an own code "
            f"(1–{OWN_BARCODE_MAX_LENGTH} printable ASCII characters without spaces or '|')",
            field=field,
            code=CatalogErrorCode.BARCODE_INVALID,
        )
    return BarcodeValue(value=text, kind=BarcodeKind.OWN, key=text)


def barcode_key(scan: str) -> str:
    """The key a scanned or typed barcode is looked up by (GTIN-shaped input is padded to 14 digits)."""
    text = scan.strip()
    if _DIGITS.fullmatch(text) and len(text) in GTIN_LENGTHS:
        return text.zfill(14)
    return text


def barcodes_check(values: list[str], *, field: str = "barcodes") -> list[BarcodeValue]:
    """Several barcodes of one SKU: each checked, none twice (the same GTIN written twice counts)."""
    out: list[BarcodeValue] = []
    seen: dict[str, str] = {}
    for raw in values:
        barcode = barcode_check(raw, field=field)
        if barcode.key in seen:
            raise CatalogInvalid(
                f"{barcode.value} is listed twice (as {seen[barcode.key]})",
                field=field,
                code=CatalogErrorCode.BARCODE_INVALID,
            )
        seen[barcode.key] = barcode.value
        out.append(barcode)
    return out


def barcodes_parse(text: str, *, field: str = "barcodes") -> list[BarcodeValue]:
    """``4006381333931|OWN-1``: barcodes separated by ``|``; empty text is no barcode."""
    parts = [p.strip() for p in text.split(LIST_SEPARATOR)]
    return barcodes_check([p for p in parts if p], field=field)


def hs_code_check(value: object, *, field: str = "hs_code") -> str:
    """An HS code as 6–10 digits, dots and spaces removed; empty stays empty."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise CatalogInvalid("an HS code is text", field=field, code=CatalogErrorCode.HS_CODE_INVALID)
    digits = _HS_SEPARATORS.sub("", value)
    if not digits:
        return ""
    if not _DIGITS.fullmatch(digits) or not 6 <= len(digits) <= 10:
        raise CatalogInvalid(
            f"{value!r} is not an HS code of 6 to 10 digits",
            field=field,
            code=CatalogErrorCode.HS_CODE_INVALID,
        )
    chapter = int(digits[:2])
    if chapter == 0 or chapter == 77:
        raise CatalogInvalid(
            f"{value!r} starts with chapter {digits[:2]}, which the Harmonized System does not have",
            field=field,
            code=CatalogErrorCode.HS_CODE_INVALID,
        )
    return digits


def kit_components_parse(text: str, *, field: str = "kit_components") -> list[tuple[str, int]]:
    """``CASE-1*2|STRAP-9``: component SKU codes with an optional ``*quantity`` (default 1), ``|``-separated."""
    out: list[tuple[str, int]] = []
    seen: set[str] = set()
    for raw in text.split(LIST_SEPARATOR):
        part = raw.strip()
        if not part:
            continue
        code, star, quantity_text = part.partition(QUANTITY_SEPARATOR)
        code = code.strip()
        quantity = 1
        if star:
            quantity_text = quantity_text.strip()
            if not _DIGITS.fullmatch(quantity_text) or int(quantity_text) < 1:
                raise CatalogInvalid(
                    f"{part!r}: the quantity after '*' must be a whole number of at least 1",
                    field=field,
                    code=CatalogErrorCode.KIT_INVALID,
                )
            quantity = int(quantity_text)
        code_check(code, field=field)
        if code in seen:
            raise CatalogInvalid(
                f"{code} is listed twice; give its quantity once",
                field=field,
                code=CatalogErrorCode.KIT_INVALID,
            )
        seen.add(code)
        out.append((code, quantity))
    return out


def kit_components_format(components: list[tuple[str, int]]) -> str:
    return LIST_SEPARATOR.join(
        code if qty == 1 else f"{code}{QUANTITY_SEPARATOR}{qty}" for code, qty in components
    )
