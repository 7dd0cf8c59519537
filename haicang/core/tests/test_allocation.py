from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haicang.core.allocation import AllocationInvalid, allocate, allocate_units
from haicang.core.money import Money, ScaleExceeded, sum_money

weights_int = st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=40).filter(any)
weights_dec = st.lists(
    st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=40,
).filter(any)


def test_a_hundred_euros_over_three_equal_lines_gives_the_extra_cent_to_the_first():
    parts = allocate(Money.of("100.00", "EUR"), [1, 1, 1])
    assert parts == [Money.of("33.34", "EUR"), Money.of("33.33", "EUR"), Money.of("33.33", "EUR")]


def test_left_over_units_go_to_the_largest_remainders():
    # given shares 1.6, 3.2, 5.2 → floors 1, 3, 5, one unit left for the largest remainder (0.6)
    assert allocate_units(10, [16, 32, 52]) == [2, 3, 5]
    assert allocate_units(10, [Decimal("0.16"), Decimal("0.32"), Decimal("0.52")]) == [2, 3, 5]


def test_ties_are_broken_by_position():
    assert allocate_units(2, [1, 1, 1]) == [1, 1, 0]
    assert allocate_units(1, [1, 1, 1, 1]) == [1, 0, 0, 0]


def test_a_negative_total_splits_into_the_negated_parts_of_the_positive():
    assert allocate_units(-10, [1, 1, 1]) == [-4, -3, -3]
    parts = allocate(Money.of("-0.05", "USD"), [1, 1])
    assert parts == [Money.of("-0.03", "USD"), Money.of("-0.02", "USD")]


def test_a_zero_weight_gets_zero():
    assert allocate_units(7, [0, 1, 0, 1, 0]) == [0, 4, 0, 3, 0]


def test_all_zero_empty_or_negative_weights_are_refused():
    cases: list[list[int | Decimal]] = [[0, 0], [], [1, -1], [Decimal("NaN")]]
    for weights in cases:
        with pytest.raises(AllocationInvalid) as caught:
            allocate_units(10, weights)
        assert caught.value.code == "money.allocation_invalid"


def test_float_weights_or_totals_are_refused():
    with pytest.raises(TypeError):
        allocate_units(10, [0.5, 0.5])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        allocate_units(10.0, [1])  # type: ignore[arg-type]


def test_a_total_finer_than_the_minor_unit_must_be_rounded_first():
    with pytest.raises(ScaleExceeded):
        allocate(Money.of("1.005", "EUR"), [1, 1])
    parts = allocate(Money.of("1.005", "EUR"), [1, 1], places=3)
    assert parts == [Money.of("0.503", "EUR"), Money.of("0.502", "EUR")]


def test_allocation_respects_minor_units_of_zero_and_three_decimal_currencies():
    assert allocate(Money.of("1000", "JPY"), [1, 2]) == [Money.of("333", "JPY"), Money.of("667", "JPY")]
    assert allocate(Money.of("1.000", "KWD"), [1, 1, 1]) == [
        Money.of("0.334", "KWD"),
        Money.of("0.333", "KWD"),
        Money.of("0.333", "KWD"),
    ]


@given(
    units=st.integers(min_value=-(10**15), max_value=10**15),
    currency=st.sampled_from(["JPY", "EUR", "KWD", "CLF"]),
    weights=st.one_of(weights_int, weights_dec),
)
def test_parts_always_sum_exactly_to_the_total_and_zero_weights_get_nothing(units, currency, weights):
    # given
    total = Money.of_minor(units, currency)
    # when
    parts = allocate(total, weights)
    # then
    assert sum_money(parts, currency=currency) == total
    assert all(part.to_minor_units() is not None for part in parts)  # whole minor units
    assert all(part.is_zero() for part, weight in zip(parts, weights, strict=True) if weight == 0)
    assert all(part.currency == currency for part in parts)


@given(total=st.integers(min_value=0, max_value=10**12), weights=weights_int)
def test_each_part_is_within_one_unit_of_its_exact_share(total, weights):
    parts = allocate_units(total, weights)
    weight_sum = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        exact = Fraction(total * weight, weight_sum)
        assert abs(part - exact) < 1
    assert allocate_units(-total, weights) == [-p for p in parts]
