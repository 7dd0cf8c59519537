"""The landed-cost rules (pure): allocation by volume, weight and value, FX, import VAT, rounding."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haicang.core.money import Money
from haicang.inbound.landed_cost import (
    UNITS,
    CartonMeasure,
    CostLine,
    GoodsLine,
    LandedCostUnavailable,
    landed_cost,
    weighted_average,
)


def _eur(text: str) -> Money:
    return Money.of(text, "EUR")


def test_freight_by_volume_follows_the_cartons_and_duty_by_value_follows_the_goods():
    # given two SKUs: A fills one carton of 2 m³... B one carton of 1 m³ (scaled); A is worth 3× B
    lines = [GoodsLine("A", 10, _eur("3.00")), GoodsLine("B", 10, _eur("1.00"))]
    cartons = [CartonMeasure(2_000_000, 5_000, (("A", 10),)), CartonMeasure(1_000_000, 15_000, (("B", 10),))]
    costs = [
        CostLine("freight", _eur("90.00"), "volume"),
        CostLine("duty", _eur("8.00"), "value"),
        CostLine("insurance", _eur("20.00"), "weight"),
    ]
    # when
    result = landed_cost(
        lines=lines, costs=costs, cartons=cartons, currency="EUR", rates={}, import_vat_recoverable=False
    )
    # then freight splits 2:1, duty 3:1, insurance by gross weight 1:3
    freight, duty, insurance = result.costs
    assert [str(p) for p in freight.parts] == ["EUR 60.00", "EUR 30.00"]
    assert [str(p) for p in duty.parts] == ["EUR 6.00", "EUR 2.00"]
    assert [str(p) for p in insurance.parts] == ["EUR 5.00", "EUR 15.00"]
    a, b = result.lines
    assert a.total == _eur("101.00") and a.unit_cost == Money.of("10.100000", "EUR")
    assert b.total == _eur("57.00") and b.unit_cost == Money.of("5.700000", "EUR")
    assert result.total == _eur("158.00") == result.goods_total + result.costs_total


def test_a_cost_that_does_not_divide_evenly_gives_the_leftover_cents_to_the_largest_remainders():
    # given three equal lines and EUR 100 of freight
    lines = [GoodsLine(k, 1, _eur("1.00"), unit_volume_mm3=1000) for k in "ABC"]
    # when
    result = landed_cost(
        lines=lines,
        costs=[CostLine("freight", _eur("100.00"), "volume")],
        currency="EUR",
        rates={},
        import_vat_recoverable=False,
    )
    # then the parts add up exactly; the first line takes the extra cent
    assert [str(p) for p in result.costs[0].parts] == ["EUR 33.34", "EUR 33.33", "EUR 33.33"]
    assert result.lines[0].unit_cost == Money.of("34.340000", "EUR")


def test_costs_in_other_currencies_are_converted_at_the_rates_given_and_rounded_once():
    # given goods in USD, freight in CNY, the seller keeps its books in EUR
    lines = [GoodsLine("A", 3, Money.of("1.111", "USD"), unit_volume_mm3=10)]
    costs = [CostLine("freight", Money.of("100.00", "CNY"), "volume")]
    rates = {"USD": Decimal("0.9"), "CNY": Decimal("0.128")}
    # when
    result = landed_cost(lines=lines, costs=costs, currency="EUR", rates=rates, import_vat_recoverable=False)
    # then goods = 3.333 USD × 0.9 = 2.9997 → 3.00; freight = 12.80
    assert result.lines[0].goods == _eur("3.00")
    assert result.costs[0].converted == _eur("12.80")
    assert result.total == _eur("15.80")
    assert result.lines[0].unit_cost == Money.of("5.266667", "EUR")


def test_every_missing_rate_is_named():
    lines = [GoodsLine("A", 1, Money.of("1", "USD"))]
    costs = [CostLine("freight", Money.of("1", "CNY"), "volume")]
    with pytest.raises(LandedCostUnavailable) as caught:
        landed_cost(lines=lines, costs=costs, currency="EUR", rates={}, import_vat_recoverable=False)
    assert caught.value.context["missing"] == ["CNY", "USD"]


def test_recoverable_import_vat_is_listed_but_not_a_cost():
    lines = [GoodsLine("A", 2, _eur("5.00"))]
    costs = [CostLine("import_vat", _eur("1.90"), "value")]
    recoverable = landed_cost(lines=lines, costs=costs, currency="EUR", rates={}, import_vat_recoverable=True)
    not_recoverable = landed_cost(
        lines=lines, costs=costs, currency="EUR", rates={}, import_vat_recoverable=False
    )
    assert recoverable.costs[0].counted is False and recoverable.total == _eur("10.00")
    assert not_recoverable.costs[0].counted is True and not_recoverable.total == _eur("11.90")


def test_a_basis_that_cannot_be_measured_falls_back_to_units_and_says_so():
    # given no carton dimensions and a SKU without dimensions
    lines = [GoodsLine("A", 1, _eur("1.00"), unit_volume_mm3=500), GoodsLine("B", 3, _eur("1.00"))]
    cartons = [CartonMeasure(None, None, (("A", 1), ("B", 3)))]
    result = landed_cost(
        lines=lines,
        costs=[CostLine("freight", _eur("8.00"), "volume")],
        cartons=cartons,
        currency="EUR",
        rates={},
        import_vat_recoverable=False,
    )
    assert result.costs[0].basis_used == UNITS
    assert [str(p) for p in result.costs[0].parts] == ["EUR 2.00", "EUR 6.00"]


def test_a_mixed_carton_splits_its_volume_over_its_contents_by_units():
    lines = [GoodsLine("A", 1, _eur("0")), GoodsLine("B", 3, _eur("0"))]
    cartons = [CartonMeasure(1000, 100, (("A", 1), ("B", 3)))]
    result = landed_cost(
        lines=lines,
        costs=[CostLine("freight", _eur("4.00"), "volume")],
        cartons=cartons,
        currency="EUR",
        rates={},
        import_vat_recoverable=False,
    )
    assert [str(p) for p in result.costs[0].parts] == ["EUR 1.00", "EUR 3.00"]


def test_the_weighted_average_weighs_stock_on_hand_against_the_receipt():
    assert weighted_average(
        current=_eur("10"), on_hand=30, received_cost=_eur("12"), received=10
    ) == Money.of("10.500000", "EUR")
    assert weighted_average(
        current=None, on_hand=30, received_cost=_eur("12.1234567"), received=1
    ) == Money.of("12.123457", "EUR")
    assert weighted_average(current=_eur("10"), on_hand=0, received_cost=_eur("12"), received=5) == _eur("12")


_currency = st.sampled_from(["EUR", "USD", "CNY", "JPY"])
_money = st.builds(lambda units, currency: Money.of_minor(units, currency), st.integers(0, 10**9), _currency)
_line = st.builds(
    lambda quantity, cost, volume, weight: (quantity, cost, volume, weight),
    st.integers(1, 10_000),
    _money,
    st.one_of(st.none(), st.integers(0, 10**8)),
    st.one_of(st.none(), st.integers(0, 10**6)),
)
_cost = st.builds(
    lambda kind, amount, basis: CostLine(kind, amount, basis),
    st.sampled_from(["freight", "insurance", "duty", "import_vat", "broker", "other"]),
    _money,
    st.sampled_from(["volume", "weight", "value"]),
)
_rates = st.fixed_dictionaries(
    {
        "USD": st.decimals("0.5", "2", places=6),
        "CNY": st.decimals("0.05", "0.2", places=6),
        "JPY": st.decimals("0.004", "0.01", places=6),
    }
)


@given(
    raw=st.lists(_line, min_size=1, max_size=8),
    costs=st.lists(_cost, max_size=6),
    rates=_rates,
    recoverable=st.booleans(),
)
def test_allocated_parts_always_add_up_to_each_cost_and_lines_to_the_total(raw, costs, rates, recoverable):
    lines = [
        GoodsLine(f"S{i}", quantity, cost, unit_volume_mm3=volume, unit_weight_g=weight)
        for i, (quantity, cost, volume, weight) in enumerate(raw)
    ]
    result = landed_cost(
        lines=lines, costs=costs, currency="EUR", rates=rates, import_vat_recoverable=recoverable
    )
    for allocation in result.costs:
        parts_total = sum((p.amount for p in allocation.parts), Decimal(0))
        assert parts_total == (allocation.converted.amount if allocation.counted else 0)
        assert all(not p.is_negative() for p in allocation.parts)
        assert all(p.amount == p.rounded().amount for p in allocation.parts)  # whole cents
    assert sum((line.total.amount for line in result.lines), Decimal(0)) == result.total.amount
    assert result.total == result.goods_total + result.costs_total
    for line in result.lines:
        # the unit cost × quantity is the line total to within half a millionth per unit
        assert (
            abs(line.unit_cost.amount * line.quantity - line.total.amount)
            <= Decimal("0.0000005") * line.quantity
        )
