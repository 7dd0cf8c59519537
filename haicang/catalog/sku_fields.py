"""The editable fields of a SKU and their rules, shared by the services, the API, the UI and catalogue files.

Pure: no Django. :func:`value_check` checks a typed value (from the API, a form or a caller); :func:`text_parse`
turns the text of a catalogue-file cell into that typed value first. :func:`record_check` applies the rules
between fields (dimensions and carton dimensions all or none, expiry tracking needs lot tracking).

Units: dimensions in millimetres, weights in grams, lead time in days; quantities are whole numbers.
An unknown dimension or weight is empty (``None``), never 0.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from haicang.catalog.errors import CatalogErrorCode, CatalogInvalid
from haicang.catalog.identifiers import hs_code_check
from haicang.core.countries import country_check
from haicang.core.errors import DomainError
from haicang.core.money import Money, amount_tidy, currency_check


class FieldKind(StrEnum):
    TEXT = "text"
    INT = "int"
    BOOL = "bool"
    HS_CODE = "hs_code"
    COUNTRY = "country"
    STATUS = "status"
    MONEY = "money"


class SkuStatus(StrEnum):
    ACTIVE = "active"
    DISCONTINUED = "discontinued"


@dataclass(frozen=True, slots=True)
class FieldRule:
    name: str
    kind: FieldKind
    max_length: int = 0
    minimum: int = 0
    maximum: int = 0
    places: int = 0  # decimals a money field keeps
    required: bool = False


DIMENSIONS = ("length_mm", "width_mm", "height_mm")
CARTON_DIMENSIONS = ("carton_length_mm", "carton_width_mm", "carton_height_mm")
DANGEROUS_GOODS = ("lithium_battery", "liquid", "magnet", "aerosol", "flammable", "powder")
TRACKING = ("track_lot", "track_expiry", "track_serial")
MAX_MM = 100_000  # 100 m
MAX_G = 10_000_000  # 10 t
MAX_UNITS = 1_000_000

_RULES = [
    FieldRule("name_en", FieldKind.TEXT, max_length=200, required=True),
    FieldRule("name_zh", FieldKind.TEXT, max_length=200),
    FieldRule("colour", FieldKind.TEXT, max_length=60),
    FieldRule("size", FieldKind.TEXT, max_length=30),
    *(FieldRule(name, FieldKind.INT, minimum=1, maximum=MAX_MM) for name in DIMENSIONS),
    FieldRule("weight_g", FieldKind.INT, minimum=1, maximum=MAX_G),
    FieldRule("units_per_carton", FieldKind.INT, minimum=1, maximum=MAX_UNITS),
    *(FieldRule(name, FieldKind.INT, minimum=1, maximum=MAX_MM) for name in CARTON_DIMENSIONS),
    FieldRule("carton_weight_g", FieldKind.INT, minimum=1, maximum=MAX_G),
    FieldRule("hs_code", FieldKind.HS_CODE),
    FieldRule("origin_country", FieldKind.COUNTRY),
    FieldRule("declared_value", FieldKind.MONEY, places=4),
    FieldRule("purchase_cost", FieldKind.MONEY, places=6),
    FieldRule("supplier_name", FieldKind.TEXT, max_length=200),
    FieldRule("moq", FieldKind.INT, minimum=1, maximum=MAX_UNITS),
    FieldRule("lead_time_days", FieldKind.INT, minimum=0, maximum=730),
    *(FieldRule(name, FieldKind.BOOL) for name in DANGEROUS_GOODS),
    *(FieldRule(name, FieldKind.BOOL) for name in TRACKING),
    FieldRule("status", FieldKind.STATUS),
]
SKU_FIELD_RULES: Mapping[str, FieldRule] = {rule.name: rule for rule in _RULES}
"""Every field of a SKU a seller edits, besides its code, product and barcodes (which have their own rules)."""

PRODUCT_FIELD_LIMITS: Mapping[str, int] = {"name_en": 200, "name_zh": 200, "brand": 100, "category": 100}
"""A product's text fields and their longest lengths (``name_en`` is required)."""

# What operators do not see: the seller's commercial data.
COMMERCIAL_FIELDS = ("purchase_cost", "supplier_name", "moq", "lead_time_days")

_TRUE = frozenset({"true", "t", "yes", "y", "1", "x", "是"})
_FALSE = frozenset({"false", "f", "no", "n", "0", "", "否"})
_INTEGER_TEXT = re.compile(r"[0-9]+(?:\.0*)?", re.ASCII)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def empty_value(rule: FieldRule) -> Any:
    """The value of a field left empty."""
    if rule.kind is FieldKind.BOOL:
        return False
    if rule.kind in (FieldKind.TEXT, FieldKind.HS_CODE, FieldKind.COUNTRY):
        return ""
    if rule.kind is FieldKind.STATUS:
        return SkuStatus.ACTIVE.value
    return None


def _invalid(rule: FieldRule, detail: str, code: str, **context: Any) -> CatalogInvalid:
    return CatalogInvalid(detail, field=rule.name, code=code, **context)


def value_check(rule: FieldRule, value: Any) -> Any:
    """``value`` checked and normalised for ``rule``; raises CatalogInvalid naming the field."""
    if value is None or value == "":
        if rule.required:
            raise _invalid(rule, f"{rule.name} is required", CatalogErrorCode.FIELD_REQUIRED)
        return empty_value(rule)
    kind = rule.kind
    if kind is FieldKind.TEXT:
        if not isinstance(value, str):
            raise _invalid(rule, f"{rule.name} is text", CatalogErrorCode.FIELD_INVALID)
        text = value.strip()
        if _CONTROL.search(text):
            raise _invalid(rule, f"{rule.name} contains a control character", CatalogErrorCode.FIELD_INVALID)
        if len(text) > rule.max_length:
            raise _invalid(
                rule,
                f"{rule.name} has at most {rule.max_length} characters, not {len(text)}",
                CatalogErrorCode.TEXT_TOO_LONG,
                max_length=rule.max_length,
            )
        if rule.required and not text:
            raise _invalid(rule, f"{rule.name} is required", CatalogErrorCode.FIELD_REQUIRED)
        return text
    if kind is FieldKind.INT:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _invalid(rule, f"{rule.name} is a whole number", CatalogErrorCode.NUMBER_INVALID)
        if not rule.minimum <= value <= rule.maximum:
            raise _invalid(
                rule,
                f"{rule.name} must be from {rule.minimum} to {rule.maximum}, not {value}"
                + (" (leave it empty when unknown)" if value == 0 else ""),
                CatalogErrorCode.NUMBER_INVALID,
                minimum=rule.minimum,
                maximum=rule.maximum,
            )
        return value
    if kind is FieldKind.BOOL:
        if not isinstance(value, bool):
            raise _invalid(rule, f"{rule.name} is true or false", CatalogErrorCode.BOOLEAN_INVALID)
        return value
    if kind is FieldKind.HS_CODE:
        return hs_code_check(value, field=rule.name)
    if kind is FieldKind.COUNTRY:
        try:
            return country_check(value, field=rule.name) if isinstance(value, str) else country_check("")
        except DomainError as exc:
            raise _invalid(rule, exc.detail, CatalogErrorCode.COUNTRY_INVALID) from None
    if kind is FieldKind.STATUS:
        if value not in SkuStatus.__members__.values():
            raise _invalid(
                rule, f"status is active or discontinued, not {value!r}", CatalogErrorCode.CHOICE_INVALID
            )
        return SkuStatus(value).value
    return _money_check(rule, value)


def _money_check(rule: FieldRule, value: Any) -> Money:
    if not isinstance(value, Money):
        raise _invalid(rule, f"{rule.name} is an amount with a currency", CatalogErrorCode.AMOUNT_INVALID)
    if value.is_negative():
        raise _invalid(rule, f"{rule.name} cannot be negative", CatalogErrorCode.AMOUNT_INVALID)
    exponent = value.amount.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > rule.places:
        raise _invalid(
            rule,
            f"{rule.name} keeps at most {rule.places} decimal places",
            CatalogErrorCode.AMOUNT_INVALID,
            places=rule.places,
        )
    if value.amount >= Decimal(10) ** 12:
        raise _invalid(rule, f"{rule.name} is implausibly large", CatalogErrorCode.AMOUNT_INVALID)
    return value


def text_parse(rule: FieldRule, text: str) -> Any:
    """The typed value of a catalogue-file cell (already stripped). Money is parsed by :func:`money_parse`."""
    kind = rule.kind
    if kind is FieldKind.INT:
        if text == "":
            return value_check(rule, None)
        if not _INTEGER_TEXT.fullmatch(text):
            raise _invalid(rule, f"{text!r} is not a whole number", CatalogErrorCode.NUMBER_INVALID)
        return value_check(rule, int(Decimal(text)))
    if kind is FieldKind.BOOL:
        folded = text.lower()
        if folded in _TRUE:
            return True
        if folded in _FALSE:
            return False
        raise _invalid(
            rule, f"{text!r} is not true or false (or yes/no, 1/0)", CatalogErrorCode.BOOLEAN_INVALID
        )
    if kind is FieldKind.STATUS:
        return value_check(rule, text.lower() or None)
    return value_check(rule, text)


def money_parse(
    rule: FieldRule, amount_text: str, currency_text: str, *, default_currency: str
) -> Money | None:
    """An amount and a currency cell as Money; an empty amount is no money (the currency is then ignored)."""
    if amount_text == "":
        return None
    currency = (currency_text or default_currency).upper()
    try:
        currency_check(currency)
    except DomainError:
        raise CatalogInvalid(
            f"{currency_text!r} is not an ISO 4217 currency code",
            field=f"{rule.name}_currency",
            code=CatalogErrorCode.CURRENCY_INVALID,
        ) from None
    try:
        amount = Decimal(amount_text)
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite() or "e" in amount_text.lower():
        raise _invalid(rule, f"{amount_text!r} is not an amount like 12.34", CatalogErrorCode.AMOUNT_INVALID)
    return _money_check(rule, Money(amount, currency))


def record_check(values: Mapping[str, Any]) -> None:
    """Rules between fields, on the SKU's complete values; raises CatalogInvalid naming a field."""
    for group, label in ((DIMENSIONS, "length, width and height"), (CARTON_DIMENSIONS, "carton dimensions")):
        given = [name for name in group if values.get(name) is not None]
        if given and len(given) != len(group):
            missing = next(name for name in group if values.get(name) is None)
            raise CatalogInvalid(
                f"give all of {label} or none; {missing} is missing",
                field=missing,
                code=CatalogErrorCode.CARTON_INVALID,
            )
    if values.get("track_expiry") and not values.get("track_lot"):
        raise CatalogInvalid(
            "expiry tracking needs lot tracking: expiry dates are kept per lot",
            field="track_lot",
            code=CatalogErrorCode.TRACKING_INVALID,
        )


def money_text(value: Money | None) -> tuple[str, str]:
    """Money as its amount and currency cells (empty when there is none), exact, never in exponent form."""
    if value is None:
        return "", ""
    return f"{amount_tidy(value.amount, value.currency):f}", value.currency
