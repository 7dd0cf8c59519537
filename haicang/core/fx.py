"""Dated FX rates: one writer (``fx_rate_record``), the selector ``fx_rate_on`` and ``fx_convert``.

A rate says that on a date 1 ``base`` buys ``rate`` ``quote``. A conversion on a date uses the latest rate
recorded on or before that date, in either direction: a stored USD/EUR rate answers EUR→USD by its inverse.
When both directions exist, the more recent date wins, and on the same date the direct rate wins. There is
no conversion through a third currency and no undated "current" rate: a missing rate is an error.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Context, Decimal, DivisionByZero, InvalidOperation, Overflow

from django.db import IntegrityError, transaction

from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.core.errors import CoreErrorCode, DomainError
from haicang.core.models.fx import FxRate
from haicang.core.money import AmountInvalid, Money, MoneyErrorCode, amount_check, currency_check

RATE_PLACES = 10
RATE_INTEGER_DIGITS = 14  # max_digits 24 - decimal_places 10 on FxRate.rate
# SQLite keeps a NUMERIC value as a REAL with 15 significant digits: a rate with more would not come back
# exactly, so none is accepted (on either database, so both behave the same).
RATE_SIGNIFICANT_DIGITS = 15
SOURCE_MAX = 200
# An inverse rate carries 34 significant digits, far beyond what any rounded result can show.
_INVERSE = Context(prec=34, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow])


class FxRateMissing(DomainError):
    code = CoreErrorCode.FX_RATE_MISSING
    status = 409
    title = "No FX rate for that date"


class FxRateInvalid(DomainError):
    code = MoneyErrorCode.FX_RATE_INVALID
    status = 400
    title = "Invalid FX rate"


def _day(on: object) -> date:
    if isinstance(on, datetime) or not isinstance(on, date):
        raise TypeError(f"an FX date is a datetime.date, not {type(on).__name__}")
    return on


def _rate_check(rate: object) -> Decimal:
    try:
        value = amount_check(rate)
    except AmountInvalid:
        raise FxRateInvalid(f"{rate} is not a rate", field="rate") from None
    if value <= 0:
        raise FxRateInvalid(f"a rate is positive, not {value}", field="rate")
    if value.adjusted() >= RATE_INTEGER_DIGITS:
        raise FxRateInvalid(f"{value} is too large for a rate", field="rate")
    if value != value.quantize(Decimal(1).scaleb(-RATE_PLACES), context=_INVERSE):
        raise FxRateInvalid(f"{value} has more than {RATE_PLACES} decimal places", field="rate")
    if len(value.normalize(context=_INVERSE).as_tuple().digits) > RATE_SIGNIFICANT_DIGITS:
        raise FxRateInvalid(
            f"{value} has more than {RATE_SIGNIFICANT_DIGITS} significant digits", field="rate"
        )
    return value


def fx_rate_record(
    *, actor: Actor, base: str, quote: str, on: date, rate: Decimal, source: str = ""
) -> FxRate:
    """Record that on ``on`` 1 ``base`` buys ``rate`` ``quote``; a second call for the same day replaces it.

    Raises CurrencyUnknown, FxRateInvalid (not positive, more than 10 decimals or 15 significant digits,
    base = quote).
    """
    currency_check(base)
    currency_check(quote)
    if base == quote:
        raise FxRateInvalid(f"a rate converts between two currencies, not {base} to itself", field="quote")
    on = _day(on)
    rate = _rate_check(rate)
    if len(source) > SOURCE_MAX:
        raise FxRateInvalid(f"source is longer than {SOURCE_MAX} characters", field="source")
    with transaction.atomic():
        row = _locked(base=base, quote=quote, on=on)
        if row is None:
            try:
                with transaction.atomic():
                    row = FxRate.objects.create(base=base, quote=quote, on=on, rate=rate, source=source)
            except IntegrityError:  # recorded at the same moment by another transaction
                row = _locked(base=base, quote=quote, on=on)
                if row is None:
                    raise
            else:
                audit_record(
                    actor=actor,
                    action="fx_rate.recorded",
                    subject=row,
                    after={"rate": _rate_text(rate), "source": source},
                    summary=f"{base}/{quote} {_rate_text(rate)} on {on.isoformat()}",
                )
                return row
        if row.rate == rate and row.source == source:
            return row
        before = {"rate": _rate_text(row.rate), "source": row.source}
        row.rate, row.source = rate, source
        row.save(update_fields=["rate", "source", "updated_at"])
        audit_record(
            actor=actor,
            action="fx_rate.replaced",
            subject=row,
            before=before,
            after={"rate": _rate_text(rate), "source": source},
            summary=f"{base}/{quote} {before['rate']} → {_rate_text(rate)} on {on.isoformat()}",
        )
        return row


def _rate_text(rate: Decimal) -> str:
    """A rate as plain text without trailing zeros: ``1.1000000000`` → ``1.1``."""
    return f"{Decimal(rate).normalize(context=_INVERSE):f}"


def _locked(*, base: str, quote: str, on: date) -> FxRate | None:
    return FxRate.objects.select_for_update().filter(base=base, quote=quote, on=on).first()


def fx_rate_on(*, base: str, quote: str, on: date) -> Decimal:
    """How many ``quote`` 1 ``base`` buys on ``on``: the latest rate on or before that date.

    Same currency → 1. Raises FxRateMissing (naming the pair and the date) when no rate covers the date.
    """
    currency_check(base)
    currency_check(quote)
    on = _day(on)
    if base == quote:
        return Decimal(1)
    direct = FxRate.objects.filter(base=base, quote=quote, on__lte=on).order_by("-on").first()
    inverse = FxRate.objects.filter(base=quote, quote=base, on__lte=on).order_by("-on").first()
    if direct is not None and (inverse is None or direct.on >= inverse.on):
        return Decimal(direct.rate)
    if inverse is not None:
        return _INVERSE.divide(Decimal(1), Decimal(inverse.rate))
    raise FxRateMissing(
        f"no {base}/{quote} rate on or before {on.isoformat()}",
        field="on",
        base=base,
        quote=quote,
        on=on.isoformat(),
    )


def fx_convert(*, money: Money, to: str, on: date, rounding: str = ROUND_HALF_EVEN) -> Money:
    """``money`` in ``to`` at the rate of ``on``, rounded to ``to``'s minor units (half-even by default)."""
    rate = fx_rate_on(base=money.currency, quote=to, on=on)
    return (Money(money.amount, to) * rate).rounded(rounding)
