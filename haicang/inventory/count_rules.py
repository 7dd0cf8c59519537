"""When a count variance needs a manager's approval: a pure rule (no Django).

A variance is the counted quantity minus the quantity the ledger held when the line was counted. It needs
approval when it is larger than ``max_units`` units either way, when its value — the units times the SKU's
purchase cost, in the limit's currency — is larger than ``max_value``, or when it cannot be valued (no
purchase cost, or no FX rate to the limit's currency): an unknown value is never taken to be small.
A variance of zero never needs approval.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from haicang.core.money import Money

DEFAULT_MAX_UNITS = 10
DEFAULT_MAX_VALUE = Decimal("100")  # in the warehouse's currency, when it has no policy of its own
# The largest limits a policy may set (the columns hold far more; beyond these a limit means nothing).
MAX_POLICY_UNITS = 1_000_000_000
MAX_POLICY_VALUE = Decimal("1000000000000")


class ApprovalReason(StrEnum):
    UNITS = "units"
    VALUE = "value"
    VALUE_UNKNOWN = "value_unknown"


@dataclass(frozen=True)
class Limits:
    max_units: int
    max_value: Money


def default_limits(currency: str) -> Limits:
    """The limits of a warehouse without a policy of its own, in its ``currency``."""
    return Limits(DEFAULT_MAX_UNITS, Money(DEFAULT_MAX_VALUE, currency).rounded())


def variance_value(variance: int, unit_cost: Money | None) -> Money | None:
    """What ``variance`` units are worth at ``unit_cost`` (a positive amount whichever the sign), or None."""
    if unit_cost is None:
        return None
    return unit_cost * abs(variance)


def approval_reasons(*, variance: int, value: Money | None, limits: Limits) -> list[ApprovalReason]:
    """Why a variance waits for approval (empty: it may be applied at once). ``value`` is in the limit's
    currency, or None when unknown."""
    if variance == 0:
        return []
    reasons = []
    if abs(variance) > limits.max_units:
        reasons.append(ApprovalReason.UNITS)
    if value is None or value.currency != limits.max_value.currency:
        reasons.append(ApprovalReason.VALUE_UNKNOWN)
    elif value > limits.max_value:
        reasons.append(ApprovalReason.VALUE)
    return reasons
