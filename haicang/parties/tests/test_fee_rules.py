import datetime as dt
from decimal import Decimal

import pytest

from haicang.core.money import Money
from haicang.parties.fee_rules import (
    AgeBand,
    FeeTable,
    bands_check,
    inbound_cost,
    outbound_cost,
    storage_cost,
    storage_day_rate,
)

TABLE = FeeTable(
    currency="EUR",
    lines={
        "storage_m3_day": Decimal("0.50"),
        "outbound_order": Decimal("1.80"),
        "outbound_extra_unit": Decimal("0.35"),
        "packaging": Decimal("0.20"),
        "inbound_carton": Decimal("1.10"),
        "inbound_unit": Decimal("0.05"),
    },
    free_days=30,
    bands=(AgeBand(181, 365, Decimal("0.25")), AgeBand(366, None, Decimal("1.00"))),
    peak_factor=Decimal(3),
    peak_months=frozenset({10, 11, 12}),
)


def test_storage_is_free_in_the_free_days_then_charged_with_age_surcharges():
    day = dt.date(2026, 6, 1)
    assert storage_day_rate(TABLE, age_days=30, on=day) == 0
    assert storage_day_rate(TABLE, age_days=31, on=day) == Decimal("0.50")
    assert storage_day_rate(TABLE, age_days=181, on=day) == Decimal("0.75")
    assert storage_day_rate(TABLE, age_days=400, on=day) == Decimal("1.50")


def test_peak_months_multiply_the_storage_rate():
    assert storage_day_rate(TABLE, age_days=31, on=dt.date(2026, 11, 2)) == Decimal("1.50")


def test_storage_over_a_period_counts_each_day_of_the_units_age():
    # 0.1 m³ received on 1 May; June has 30 days, ages 32..61 — all charged at 0.50
    cost = storage_cost(
        TABLE,
        volume_mm3=100_000_000,
        received_on=dt.date(2026, 5, 1),
        start=dt.date(2026, 6, 1),
        end=dt.date(2026, 6, 30),
    )
    assert cost == Money(Decimal("1.50"), "EUR")


def test_an_order_costs_per_order_per_extra_unit_and_packaging():
    assert outbound_cost(TABLE, units=3) == Money(Decimal("2.70"), "EUR")
    assert outbound_cost(TABLE, units=1, with_packaging=False) == Money(Decimal("1.80"), "EUR")


def test_inbound_counts_cartons_and_units():
    assert inbound_cost(TABLE, cartons=4, units=200) == Money(Decimal("14.40"), "EUR")


def test_overlapping_age_bands_are_refused():
    with pytest.raises(ValueError, match="overlaps"):
        bands_check([AgeBand(0, 90, Decimal(0)), AgeBand(90, 180, Decimal(1))])
    with pytest.raises(ValueError, match="overlaps"):
        bands_check([AgeBand(91, None, Decimal(0)), AgeBand(181, 365, Decimal(1))])
    bands_check([AgeBand(0, 90, Decimal(0)), AgeBand(91, 180, Decimal(1)), AgeBand(181, None, Decimal(2))])
