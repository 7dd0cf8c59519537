"""Split an amount over lines by the largest-remainder rule, so the parts add up exactly. Pure: no Django.

Each part first gets the whole units of its exact share ``total * weight / sum(weights)``; the units left
over go, one each, to the parts with the largest remainders, ties broken by position (earlier first). The
sign of the total is applied after splitting its magnitude, so splitting ``-T`` gives exactly the negated
parts of ``T``.
A zero weight always gets zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from haicang.core.errors import DomainError
from haicang.core.money import Money, MoneyErrorCode


class AllocationInvalid(DomainError):
    code = MoneyErrorCode.ALLOCATION_INVALID
    status = 400
    title = "Cannot allocate over these weights"


def _weight(value: object, position: int) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise TypeError(
            f"weight {position} is a {type(value).__name__}; weights are int or Decimal, never float"
        )
    if isinstance(value, Decimal) and not value.is_finite():
        raise AllocationInvalid(f"weight {position} is {value}", field="weights")
    if value < 0:
        raise AllocationInvalid(f"weight {position} is negative ({value})", field="weights")
    return Fraction(value)


def allocate_units(total: int, weights: Sequence[int | Decimal]) -> list[int]:
    """Split the integer ``total`` in proportion to ``weights``; the parts sum to ``total`` exactly."""
    if isinstance(total, bool) or not isinstance(total, int):
        raise TypeError(f"total is an int, not {type(total).__name__}")
    exact = [_weight(w, i) for i, w in enumerate(weights)]
    if not exact:
        raise AllocationInvalid("there are no weights to allocate over", field="weights")
    weight_sum = sum(exact, Fraction(0))
    if weight_sum == 0:
        raise AllocationInvalid("every weight is zero", field="weights")
    magnitude = abs(total)
    shares = [magnitude * w / weight_sum for w in exact]
    parts = [share.numerator // share.denominator for share in shares]
    left = magnitude - sum(parts)
    # The remainders sum to `left`, each below 1, so the `left` largest are all > 0: zero weights stay 0.
    order = sorted(range(len(shares)), key=lambda i: (-(shares[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return parts if total >= 0 else [-p for p in parts]


def allocate(total: Money, weights: Sequence[int | Decimal], *, places: int | None = None) -> list[Money]:
    """Split ``total`` over ``weights`` in the currency's minor units (or in units of ``10**-places``).

    ``total`` must be exact at that scale (round it first); raises :class:`~haicang.core.money.ScaleExceeded`
    otherwise, :class:`AllocationInvalid` for no weights, all-zero or negative weights.
    """
    if not isinstance(total, Money):
        raise TypeError(f"total is Money, not {type(total).__name__}")
    digits = total.minor_units if places is None else places
    units = total.to_minor_units(places=digits)
    return [Money(Decimal(part).scaleb(-digits), total.currency) for part in allocate_units(units, weights)]
