"""The pure rate calculator: zones by longest prefix, billable weight, breaks, surcharges, fuel, rounding."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haicang.core.money import Money
from haicang.network.rates import (
    Destination,
    LineKind,
    NotServiceable,
    Parcel,
    Quote,
    RateCardRules,
    RemoteArea,
    Unserviceable,
    WeightBreak,
    ZoneArea,
    ZoneRates,
    breaks_problem,
    dimensional_weight_g,
    postcode_key,
    rate_quote,
)


def usd(amount: str) -> Money:
    return Money(Decimal(amount), "USD")


def eur(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


LB = 454  # a pound, rounded up to whole grams as US cards write their breaks

# A generic US ground card from Ontario, CA: zones by ZIP3 prefix, 1–5 lb breaks.
US_GROUND = RateCardRules(
    currency="USD",
    dim_divisor=5000,
    zones=(
        ZoneRates(
            "2",
            (
                WeightBreak(LB, usd("8.50")),
                WeightBreak(2 * LB, usd("9.10")),
                WeightBreak(5 * LB, usd("11.40")),
            ),
            1,
        ),
        ZoneRates(
            "5",
            (
                WeightBreak(LB, usd("10.20")),
                WeightBreak(2 * LB, usd("11.35")),
                WeightBreak(5 * LB, usd("15.80")),
            ),
            3,
        ),
        ZoneRates(
            "8",
            (
                WeightBreak(LB, usd("12.95")),
                WeightBreak(2 * LB, usd("14.70")),
                WeightBreak(5 * LB, usd("21.25")),
            ),
        ),
    ),
    areas=(
        ZoneArea("US", "", "8"),
        ZoneArea("US", "9", "5"),
        ZoneArea("US", "917", "2"),
        ZoneArea("US", "900", "2"),
    ),
    fuel_pct=Decimal("15.5"),
    residential_surcharge=usd("5.55"),
    remote_surcharge=usd("3.95"),
    remote_areas=(RemoteArea("US", "995"), RemoteArea("US", "967")),
    countries=frozenset({"US"}),
    default_transit_days=5,
)

SMALL = Parcel(weight_g=300, length_mm=200, width_mm=150, height_mm=100)  # dim 600 g


@pytest.mark.parametrize(
    ("postcode", "zone", "transit"),
    [
        ("91761", "2", 1),  # 917 beats 9
        ("90001-1234", "2", 1),
        ("94105", "5", 3),  # 9 only
        ("10001", "8", 5),  # the whole-country fallback; transit from the service default
        ("", "8", 5),
    ],
)
def test_the_zone_is_the_longest_matching_postcode_prefix(postcode, zone, transit):
    quote = rate_quote(US_GROUND, SMALL, Destination("US", postcode))

    assert isinstance(quote, Quote)
    assert (quote.zone, quote.transit_days) == (zone, transit)


@pytest.mark.parametrize(
    ("parcel", "actual", "dimensional", "billable", "break_g"),
    [
        (Parcel(300, 200, 150, 100), 300, 600, 600, 2 * LB),  # 3 000 000 mm³ / 5000 = 600 g
        (Parcel(1200, 200, 150, 100), 1200, 600, 1200, 5 * LB),  # actual heavier
        (Parcel(100, 101, 99, 50), 100, 100, 100, LB),  # 499 950 / 5000 = 99.99 → 100 g (rounded up)
        (Parcel(454, 10, 10, 10), 454, 1, 454, LB),  # exactly on a break: that break
        (Parcel(455, 10, 10, 10), 455, 1, 455, 2 * LB),  # one gram over: the next
    ],
)
def test_billable_weight_is_the_larger_of_actual_and_dimensional_rounded_up(
    parcel, actual, dimensional, billable, break_g
):
    quote = rate_quote(US_GROUND, parcel, Destination("US", "91761"))

    assert isinstance(quote, Quote)
    assert (quote.dimensional_weight_g, quote.billable_weight_g, quote.weight_break_g) == (
        dimensional,
        billable,
        break_g,
    )
    assert parcel.weight_g == actual


def test_a_full_quote_lists_base_surcharges_fuel_on_the_base_only_and_rounds_once_half_up():
    # given a residential address in a remote ZIP (995 Alaska: zone 5 by its prefix 9)
    destination = Destination("US", "99501", residential=True)

    quote = rate_quote(US_GROUND, SMALL, destination)

    assert isinstance(quote, Quote)
    lines = {line.kind: line.amount for line in quote.lines}
    assert quote.zone == "5"
    assert lines[LineKind.BASE] == usd("11.35")  # ≤ 2 lb (billable 600 g)
    assert lines[LineKind.RESIDENTIAL] == usd("5.55")
    assert lines[LineKind.REMOTE] == usd("3.95")
    assert lines[LineKind.FUEL] == usd("1.75925")  # 15.5 % of 11.35, exact
    assert lines[LineKind.ROUNDING] == usd("0.00075")
    assert quote.total == usd("22.61")  # 22.60925 → 22.61
    assert sum((line.amount for line in quote.lines), usd("0")) == quote.total


def test_fuel_applies_to_the_surcharges_when_the_card_says_so():
    card = _replace(US_GROUND, fuel_on_surcharges=True)

    quote = rate_quote(card, SMALL, Destination("US", "99501", residential=True))

    assert isinstance(quote, Quote)
    fuel = next(line.amount for line in quote.lines if line.kind is LineKind.FUEL)
    assert fuel == usd("3.23175")  # (11.35 + 5.55 + 3.95) × 15.5 %
    assert quote.total == usd("24.08")  # 20.85 + 3.23175 = 24.08175


def test_a_total_that_needs_no_rounding_has_no_rounding_line():
    card = _replace(US_GROUND, fuel_pct=Decimal(10))

    quote = rate_quote(card, SMALL, Destination("US", "91761"))

    assert isinstance(quote, Quote)
    assert quote.total == usd("10.01")  # 9.10 + 0.91
    assert [line.kind for line in quote.lines] == [LineKind.BASE, LineKind.FUEL]


def test_an_exact_half_cent_rounds_up_not_to_even():
    card = _replace(US_GROUND, fuel_pct=Decimal(10))

    quote = rate_quote(card, SMALL, Destination("US", "94105"))  # 11.35 + 1.135 = 12.485

    assert isinstance(quote, Quote)
    assert quote.total == usd("12.49")


def test_a_zero_decimal_currency_rounds_to_whole_units():
    card = RateCardRules(
        currency="JPY",
        dim_divisor=6000,
        zones=(ZoneRates("1", (WeightBreak(2000, Money(Decimal(850), "JPY")),)),),
        areas=(ZoneArea("JP", "", "1"),),
        fuel_pct=Decimal("7.25"),
    )

    quote = rate_quote(card, SMALL, Destination("JP", "100-0001"))

    assert isinstance(quote, Quote)
    assert quote.total == Money(Decimal(912), "JPY")  # 850 × 1.0725 = 911.625 → 912


@pytest.mark.parametrize(
    ("card", "parcel", "destination", "reason"),
    [
        (US_GROUND, SMALL, Destination("CA", "M5V"), Unserviceable.COUNTRY_NOT_SERVED),
        (
            RateCardRules(
                currency="USD",
                dim_divisor=5000,
                zones=(ZoneRates("1", (WeightBreak(LB, usd("1")),)),),
                areas=(ZoneArea("US", "9", "1"),),
            ),
            SMALL,
            Destination("US", "10001"),
            Unserviceable.NO_ZONE,
        ),
        (
            RateCardRules(
                currency="USD",
                dim_divisor=5000,
                zones=(ZoneRates("1", (WeightBreak(5 * LB, usd("1")),)),),
                areas=(ZoneArea("US", "", "1"),),
                residential_allowed=False,
            ),
            SMALL,
            Destination("US", "10001", residential=True),
            Unserviceable.RESIDENTIAL_NOT_ALLOWED,
        ),
        (US_GROUND, Parcel(2271, 100, 100, 100), Destination("US", "91761"), Unserviceable.TOO_HEAVY),
        (
            US_GROUND,
            Parcel(100, 600, 400, 100),
            Destination("US", "91761"),
            Unserviceable.TOO_HEAVY,
        ),  # dim 4.8 kg
    ],
)
def test_a_parcel_the_service_cannot_carry_gets_the_reason(card, parcel, destination, reason):
    result = rate_quote(card, parcel, destination)

    assert isinstance(result, NotServiceable)
    assert result.reason is reason
    assert result.detail


def test_dimensional_weight_applies_only_above_the_cards_volume_threshold():
    cubic_foot = 28_316_847  # mm³
    parcel = Parcel(500, 300, 300, 300)  # 27 000 000 mm³ < 1 ft³

    assert dimensional_weight_g(parcel, divisor=5000, threshold_mm3=cubic_foot) == 0
    assert dimensional_weight_g(parcel, divisor=5000) == 5400
    assert dimensional_weight_g(Parcel(500, 310, 310, 310), divisor=5000, threshold_mm3=cubic_foot) == 5959


def test_postcodes_compare_without_case_spaces_or_dashes():
    uk = RateCardRules(
        currency="GBP",
        dim_divisor=5000,
        zones=(
            ZoneRates("MAINLAND", (WeightBreak(2000, Money(Decimal("3.95"), "GBP")),)),
            ZoneRates("HIGHLANDS", (WeightBreak(2000, Money(Decimal("7.95"), "GBP")),)),
        ),
        areas=(
            ZoneArea("GB", "", "MAINLAND"),
            ZoneArea("GB", "IV", "HIGHLANDS"),
            ZoneArea("GB", "HS", "HIGHLANDS"),
        ),
    )

    assert postcode_key(" iv2-3 ab ") == "IV23AB"
    for spelling in ("IV2 3AB", "iv23ab", "Iv2-3ab"):
        result = rate_quote(uk, SMALL, Destination("gb", spelling))
        assert isinstance(result, Quote) and result.zone == "HIGHLANDS"


def test_a_card_refuses_prices_in_another_currency_and_areas_of_unknown_zones():
    with pytest.raises(ValueError, match="currency"):
        RateCardRules(
            currency="EUR", dim_divisor=5000, zones=(ZoneRates("1", (WeightBreak(1, usd("1")),)),), areas=()
        )
    with pytest.raises(ValueError, match="zones the card does not have"):
        RateCardRules(currency="EUR", dim_divisor=5000, zones=(), areas=(ZoneArea("DE", "", "1"),))


@pytest.mark.parametrize(
    ("breaks", "problem"),
    [
        ([], "at least one"),
        ([(500, eur("4")), (500, eur("5"))], "twice"),
        ([(500, eur("4")), (1000, eur("3.99"))], "below"),
        ([(0, eur("4"))], "positive"),
        ([(500, eur("-1"))], "negative"),
        ([(1000, eur("5")), (500, eur("4"))], None),  # order does not matter
    ],
)
def test_a_zones_breaks_must_be_a_rising_table(breaks, problem):
    found = breaks_problem(breaks)

    assert (found is None) if problem is None else (problem in (found or ""))


def test_a_parcel_is_whole_positive_grams_and_millimetres():
    with pytest.raises(ValueError):
        Parcel(0, 1, 1, 1)
    with pytest.raises(ValueError):
        Parcel(1, 1, 1, True)


# --- properties ---------------------------------------------------------------------------------------------
weights = st.integers(min_value=1, max_value=5 * LB)
sides = st.integers(min_value=1, max_value=400)
postcodes = st.sampled_from(["91761", "90210", "94105", "10001", "99501", "96701", "33101"])
flags = st.booleans()


@given(w1=weights, w2=weights, length=sides, w=sides, h=sides, postcode=postcodes, residential=flags)
def test_a_heavier_parcel_never_costs_less_to_the_same_address(w1, w2, length, w, h, postcode, residential):
    light, heavy = sorted((w1, w2))
    destination = Destination("US", postcode, residential)

    a = rate_quote(US_GROUND, Parcel(light, length, w, h), destination)
    b = rate_quote(US_GROUND, Parcel(heavy, length, w, h), destination)

    if isinstance(b, Quote):
        assert isinstance(a, Quote)
        assert a.zone == b.zone and a.total <= b.total
    else:
        assert b.reason is Unserviceable.TOO_HEAVY


@given(
    weight=weights,
    length=sides,
    w=sides,
    h=sides,
    postcode=postcodes,
    residential=flags,
    fuel=st.decimals(0, 40, places=3),
)
def test_the_lines_add_up_to_the_total_which_has_the_currencys_minor_units(
    weight, length, w, h, postcode, residential, fuel
):
    card = _replace(US_GROUND, fuel_pct=fuel)

    quote = rate_quote(card, Parcel(weight, length, w, h), Destination("US", postcode, residential))

    if isinstance(quote, Quote):
        assert sum((line.amount for line in quote.lines), usd("0")) == quote.total
        assert quote.total.rounded() == quote.total
        assert quote.billable_weight_g == max(weight, quote.dimensional_weight_g)
        assert abs(next((ln.amount for ln in quote.lines if ln.kind is LineKind.ROUNDING), usd("0"))) <= usd(
            "0.005"
        )


@given(weight=weights, postcode=postcodes, residential=flags)
def test_a_residential_address_never_costs_less_than_a_business_one(weight, postcode, residential):
    parcel = Parcel(weight, 100, 100, 100)

    business = rate_quote(US_GROUND, parcel, Destination("US", postcode, False))
    home = rate_quote(US_GROUND, parcel, Destination("US", postcode, True))

    assert isinstance(business, Quote) and isinstance(home, Quote)
    assert home.total >= business.total


@given(length=sides, w=sides, h=sides)
def test_dimensional_weight_is_the_volume_over_the_divisor_rounded_up(length, w, h):
    dim = dimensional_weight_g(Parcel(1, length, w, h), divisor=5000)

    assert (dim - 1) * 5000 < length * w * h <= dim * 5000


def _replace(card: RateCardRules, **changes: object) -> RateCardRules:
    fields = {name: getattr(card, name) for name in card.__dataclass_fields__ if name != "_zones"}
    return RateCardRules(**{**fields, **changes})
