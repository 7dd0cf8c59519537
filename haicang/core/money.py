"""Money: an exact ``Decimal`` amount in one ISO 4217 currency. Pure: no Django import.

Rules (see ``docs/money.md``):
- an amount is a ``Decimal`` (or an ``int``); a ``float``, NaN or Infinity is refused at construction;
- a currency is an upper-case ISO 4217 code from :data:`CURRENCIES`, which also gives its minor units;
- ``+``, ``-`` and ordering work only within one currency (else ``money.currency_mismatch``); ``==`` between
  two currencies is simply ``False``;
- ``*`` takes a ``Decimal`` or an ``int``, never a ``float``; there is no ``/``: split an amount with
  :func:`haicang.core.allocation.allocate` so the parts add up exactly;
- arithmetic is exact (it raises rather than round); rounding happens only in :meth:`Money.rounded`, to the
  currency's minor units, half-to-even unless another rounding is named.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import (
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
)
from enum import StrEnum
from types import MappingProxyType
from typing import Self

from haicang.core.errors import CoreErrorCode, DomainError


class MoneyErrorCode(StrEnum):
    """Codes of the money errors not already in :class:`CoreErrorCode`."""

    AMOUNT_INVALID = "money.amount_invalid"
    SCALE_EXCEEDED = "money.scale_exceeded"
    ALLOCATION_INVALID = "money.allocation_invalid"
    FX_RATE_INVALID = "money.fx_rate_invalid"


class CurrencyUnknown(DomainError):
    code = CoreErrorCode.CURRENCY_UNKNOWN
    status = 400
    title = "Unknown currency"


class CurrencyMismatch(DomainError):
    code = CoreErrorCode.CURRENCY_MISMATCH
    status = 400
    title = "Amounts in different currencies"


class AmountInvalid(DomainError):
    code = MoneyErrorCode.AMOUNT_INVALID
    status = 400
    title = "Invalid amount"


class ScaleExceeded(DomainError):
    """An amount has more decimal places than the place it goes to can hold (nothing is rounded silently)."""

    code = MoneyErrorCode.SCALE_EXCEEDED
    status = 400
    title = "Too many decimal places"


# ISO 4217 active codes and their minor units (the exponent). Fund codes and precious metals without a
# minor unit are left out. Checked against the ISO 4217 list 1 (2025).
_MINOR_UNITS: dict[str, int] = {
    # 0 decimals
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0, "RWF": 0,
    "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
    # 3 decimals
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
    # 4 decimals
    "CLF": 4, "UYW": 4,
    # 2 decimals
    "AED": 2, "AFN": 2, "ALL": 2, "AMD": 2, "ANG": 2, "AOA": 2, "ARS": 2, "AUD": 2, "AWG": 2, "AZN": 2,
    "BAM": 2, "BBD": 2, "BDT": 2, "BGN": 2, "BMD": 2, "BND": 2, "BOB": 2, "BOV": 2, "BRL": 2, "BSD": 2,
    "BTN": 2, "BWP": 2, "BYN": 2, "BZD": 2, "CAD": 2, "CDF": 2, "CHE": 2, "CHF": 2, "CHW": 2, "CNY": 2,
    "COP": 2, "COU": 2, "CRC": 2, "CUP": 2, "CVE": 2, "CZK": 2, "DKK": 2, "DOP": 2, "DZD": 2, "EGP": 2,
    "ERN": 2, "ETB": 2, "EUR": 2, "FJD": 2, "FKP": 2, "GBP": 2, "GEL": 2, "GHS": 2, "GIP": 2, "GMD": 2,
    "GTQ": 2, "GYD": 2, "HKD": 2, "HNL": 2, "HTG": 2, "HUF": 2, "IDR": 2, "ILS": 2, "INR": 2, "IRR": 2,
    "JMD": 2, "KES": 2, "KGS": 2, "KHR": 2, "KPW": 2, "KYD": 2, "KZT": 2, "LAK": 2, "LBP": 2, "LKR": 2,
    "LRD": 2, "LSL": 2, "MAD": 2, "MDL": 2, "MGA": 2, "MKD": 2, "MMK": 2, "MNT": 2, "MOP": 2, "MRU": 2,
    "MUR": 2, "MVR": 2, "MWK": 2, "MXN": 2, "MXV": 2, "MYR": 2, "MZN": 2, "NAD": 2, "NGN": 2, "NIO": 2,
    "NOK": 2, "NPR": 2, "NZD": 2, "PAB": 2, "PEN": 2, "PGK": 2, "PHP": 2, "PKR": 2, "PLN": 2, "QAR": 2,
    "RON": 2, "RSD": 2, "RUB": 2, "SAR": 2, "SBD": 2, "SCR": 2, "SDG": 2, "SEK": 2, "SGD": 2, "SHP": 2,
    "SLE": 2, "SOS": 2, "SRD": 2, "SSP": 2, "STN": 2, "SVC": 2, "SYP": 2, "SZL": 2, "THB": 2, "TJS": 2,
    "TMT": 2, "TOP": 2, "TRY": 2, "TTD": 2, "TWD": 2, "TZS": 2, "UAH": 2, "USD": 2, "USN": 2, "UYU": 2,
    "UZS": 2, "VED": 2, "VES": 2, "WST": 2, "XCD": 2, "XCG": 2, "YER": 2, "ZAR": 2, "ZMW": 2, "ZWG": 2,
}  # fmt: skip

CURRENCIES: Mapping[str, int] = MappingProxyType(_MINOR_UNITS)
"""Every currency Haicang accepts, mapped to its minor units (decimal places of its smallest unit)."""

# Arithmetic is exact: a result that would need rounding raises instead (64 digits is far beyond any amount).
_EXACT = Context(
    prec=64, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow, Inexact]
)
# Rounding on purpose (``quantize``) must not trap Inexact.
_ROUNDING = Context(prec=64, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow])

_AMOUNT_TEXT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?", re.ASCII)
_MONEY_TEXT = re.compile(r"([A-Z]{3}) (-?[0-9]+(?:\.[0-9]+)?)", re.ASCII)
_MAX_TEXT = 64


def minor_units(currency: str) -> int:
    """The number of decimal places of ``currency``'s minor unit. Raises :class:`CurrencyUnknown`."""
    if not isinstance(currency, str):
        raise TypeError(f"a currency is a str, not {type(currency).__name__}")
    try:
        return CURRENCIES[currency]
    except KeyError:
        raise CurrencyUnknown(
            f"{currency!r} is not an ISO 4217 currency code Haicang knows",
            field="currency",
            currency=currency,
        ) from None


def currency_check(currency: str) -> str:
    """``currency`` itself when it is a known code; raises :class:`CurrencyUnknown` otherwise."""
    minor_units(currency)
    return currency


def amount_check(value: object) -> Decimal:
    """``value`` as a finite ``Decimal`` from a ``Decimal`` or an ``int``; a ``float`` is a TypeError."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"an amount is a Decimal or an int, never {type(value).__name__}")
    amount = Decimal(value)
    if not amount.is_finite():
        raise AmountInvalid(f"{amount} is not an amount", field="amount")
    return amount


def amount_parse(text: str) -> Decimal:
    """Strictly parse ``-?digits[.digits]`` (no sign ``+``, exponent, spaces, separators or NaN)."""
    if not isinstance(text, str):
        raise TypeError(f"amount text is a str, not {type(text).__name__}")
    if len(text) > _MAX_TEXT or not _AMOUNT_TEXT.fullmatch(text):
        raise AmountInvalid(f"{text[:_MAX_TEXT]!r} is not an amount like 12.34 or -0.5", field="amount")
    return Decimal(text)


def _scaled_to(amount: Decimal, places: int) -> Decimal:
    """``amount`` with exactly ``places`` decimals when that loses nothing, else ``amount`` unchanged."""
    exponent = amount.as_tuple().exponent
    if not isinstance(exponent, int):
        raise AmountInvalid(f"{amount} is not an amount", field="amount")
    if -exponent <= places:
        return amount.quantize(Decimal(1).scaleb(-places), context=_EXACT)
    return amount


def amount_tidy(amount: Decimal, currency: str) -> Decimal:
    """The same value written with the currency's minor units, or more decimals only where it has them.

    ``12.3400 EUR`` → ``12.34``; ``1200.0000 JPY`` → ``1200``; ``1.234500 EUR`` → ``1.2345``.
    """
    places = minor_units(currency)
    if amount.is_zero():
        return Decimal(0).scaleb(-places)
    normal = amount.normalize(context=_EXACT)
    return _scaled_to(normal, places)


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in one currency: ``Money(Decimal("12.34"), "EUR")`` or ``Money.of("12.34", "EUR")``."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", amount_check(self.amount))
        currency_check(self.currency)

    # --- construction -----------------------------------------------------------------------------------
    @classmethod
    def of(cls, amount: str | Decimal | int, currency: str) -> Self:
        """From a string (parsed strictly), a ``Decimal`` or an ``int``."""
        value = amount_parse(amount) if isinstance(amount, str) else amount_check(amount)
        return cls(value, currency)

    @classmethod
    def zero(cls, currency: str) -> Self:
        return cls(Decimal(0).scaleb(-minor_units(currency)), currency)

    @classmethod
    def of_minor(cls, units: int, currency: str) -> Self:
        """From an integer count of minor units: ``Money.of_minor(1234, "EUR")`` is EUR 12.34."""
        if isinstance(units, bool) or not isinstance(units, int):
            raise TypeError(f"minor units are an int, not {type(units).__name__}")
        return cls(Decimal(units).scaleb(-minor_units(currency)), currency)

    @classmethod
    def parse(cls, text: str) -> Self:
        """The inverse of ``str()``: ``Money.parse("EUR 12.34")``."""
        if not isinstance(text, str):
            raise TypeError(f"money text is a str, not {type(text).__name__}")
        match = _MONEY_TEXT.fullmatch(text) if len(text) <= _MAX_TEXT + 4 else None
        if match is None:
            raise AmountInvalid(f"{text[:_MAX_TEXT]!r} is not money like 'EUR 12.34'", field="amount")
        return cls(Decimal(match.group(2)), match.group(1))

    # --- reading ------------------------------------------------------------------------------------------
    @property
    def minor_units(self) -> int:
        """Decimal places of this currency's minor unit (2 for EUR, 0 for JPY, 3 for KWD)."""
        return CURRENCIES[self.currency]

    def to_minor_units(self, *, places: int | None = None) -> int:
        """The amount as an integer count of minor units (or of ``10**-places``). Raises unless exact."""
        digits = self.minor_units if places is None else places
        scaled = self.amount.scaleb(digits, context=_EXACT)
        if scaled != scaled.to_integral_value(context=_ROUNDING):
            raise ScaleExceeded(
                f"{self} has more than {digits} decimal places; round it first", field="amount", places=digits
            )
        return int(scaled)

    def is_zero(self) -> bool:
        return self.amount.is_zero()

    def is_negative(self) -> bool:
        return self.amount < 0

    def is_positive(self) -> bool:
        return self.amount > 0

    def rounded(self, rounding: str = ROUND_HALF_EVEN, *, places: int | None = None) -> Money:
        """Rounded to the currency's minor units (or to ``places`` decimals), half-to-even by default.

        ``rounding`` is one of the ``decimal`` module's modes (``ROUND_HALF_UP``, ``ROUND_CEILING``, …).
        """
        digits = self.minor_units if places is None else places
        quantum = Decimal(1).scaleb(-digits)
        return Money(self.amount.quantize(quantum, rounding=rounding, context=_ROUNDING), self.currency)

    # --- arithmetic ---------------------------------------------------------------------------------------
    def _same(self, other: object, operation: str) -> Money:
        if not isinstance(other, Money):
            raise TypeError(f"cannot {operation} Money and {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatch(
                f"cannot {operation} {self.currency} and {other.currency}",
                currencies=[self.currency, other.currency],
            )
        return other

    def __add__(self, other: Money) -> Money:
        return Money(_EXACT.add(self.amount, self._same(other, "add").amount), self.currency)

    def __sub__(self, other: Money) -> Money:
        return Money(_EXACT.subtract(self.amount, self._same(other, "subtract").amount), self.currency)

    def __neg__(self) -> Money:
        return Money(_EXACT.minus(self.amount), self.currency)

    def __pos__(self) -> Money:
        return self

    def __abs__(self) -> Money:
        return Money(_EXACT.abs(self.amount), self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if isinstance(factor, bool) or not isinstance(factor, Decimal | int):
            raise TypeError(f"Money multiplies by a Decimal or an int, never {type(factor).__name__}")
        return Money(_EXACT.multiply(self.amount, amount_check(factor)), self.currency)

    def __rmul__(self, factor: Decimal | int) -> Money:
        return self.__mul__(factor)

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._same(other, "compare").amount

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._same(other, "compare").amount

    def __gt__(self, other: Money) -> bool:
        return self.amount > self._same(other, "compare").amount

    def __ge__(self, other: Money) -> bool:
        return self.amount >= self._same(other, "compare").amount

    # --- text ---------------------------------------------------------------------------------------------
    def __str__(self) -> str:
        """``EUR 12.34``, ``JPY 1200``, ``KWD -0.500``; a unit cost keeps its decimals: ``EUR 1.2345``."""
        amount = amount_tidy(self.amount, self.currency)
        return f"{self.currency} {amount:f}"


def sum_money(items: Iterable[Money], *, currency: str) -> Money:
    """The exact sum of ``items``, all in ``currency``; zero in ``currency`` when there are none."""
    total = Money.zero(currency)
    for item in items:
        total = total + item
    return total
