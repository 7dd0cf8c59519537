from decimal import Decimal

from haicang.core.money import Money
from haicang.inventory.count_rules import ApprovalReason, Limits, approval_reasons, variance_value

LIMITS = Limits(max_units=10, max_value=Money.of("100.00", "EUR"))


def test_a_variance_of_zero_never_needs_approval_even_unvalued():
    assert approval_reasons(variance=0, value=None, limits=LIMITS) == []


def test_a_variance_within_both_limits_is_applied_at_once():
    assert approval_reasons(variance=-10, value=Money.of("100.00", "EUR"), limits=LIMITS) == []


def test_more_units_than_the_limit_either_way_need_approval():
    assert approval_reasons(variance=11, value=Money.of("1", "EUR"), limits=LIMITS) == [ApprovalReason.UNITS]
    assert approval_reasons(variance=-11, value=Money.of("1", "EUR"), limits=LIMITS) == [ApprovalReason.UNITS]


def test_a_value_above_the_limit_needs_approval_and_both_reasons_are_given():
    reasons = approval_reasons(variance=-20, value=Money.of("100.01", "EUR"), limits=LIMITS)

    assert reasons == [ApprovalReason.UNITS, ApprovalReason.VALUE]


def test_an_unknown_value_or_one_in_another_currency_is_never_taken_to_be_small():
    assert approval_reasons(variance=1, value=None, limits=LIMITS) == [ApprovalReason.VALUE_UNKNOWN]
    assert approval_reasons(variance=1, value=Money.of("1", "USD"), limits=LIMITS) == [
        ApprovalReason.VALUE_UNKNOWN
    ]


def test_the_value_of_a_variance_is_positive_and_exact():
    assert variance_value(-3, Money(Decimal("1.234567"), "USD")) == Money(Decimal("3.703701"), "USD")
    assert variance_value(2, None) is None
