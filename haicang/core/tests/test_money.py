from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haicang.core.errors import CoreErrorCode, DomainError
from haicang.core.money import (
    CURRENCIES,
    AmountInvalid,
    CurrencyMismatch,
    CurrencyUnknown,
    Money,
    ScaleExceeded,
    minor_units,
    sum_money,
)

amounts = st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**15), max_value=10**15, places=6)
currencies = st.sampled_from(sorted(CURRENCIES))


def test_the_currency_table_gives_each_currency_its_minor_units():
    expected = {
        "USD": 2, "EUR": 2, "GBP": 2, "CNY": 2, "HKD": 2, "AUD": 2, "CAD": 2, "NZD": 2, "SGD": 2, "MXN": 2,
        "BRL": 2, "PLN": 2, "CZK": 2, "HUF": 2, "SEK": 2, "DKK": 2, "NOK": 2, "CHF": 2, "TRY": 2, "AED": 2,
        "SAR": 2, "ILS": 2, "INR": 2, "IDR": 2, "THB": 2, "MYR": 2, "PHP": 2, "ZAR": 2, "UYU": 2,
        "JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0,
        "BHD": 3, "KWD": 3, "OMR": 3, "JOD": 3, "TND": 3,
        "CLF": 4,
    }  # fmt: skip
    assert {code: minor_units(code) for code in expected} == expected


def test_an_unknown_or_lower_case_currency_is_a_domain_error_with_a_stable_code():
    for code in ["XYZ", "eur", "EURO", "", "XAU"]:
        with pytest.raises(CurrencyUnknown) as caught:
            Money(Decimal("1"), code)
        assert caught.value.code == CoreErrorCode.CURRENCY_UNKNOWN
        assert str(caught.value).startswith("money.currency_unknown: ")
        assert isinstance(caught.value, DomainError)


def test_a_float_is_refused_everywhere_money_is_built_or_multiplied():
    with pytest.raises(TypeError):
        Money(0.1, "EUR")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money.of(0.1, "EUR")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money.of("1", "EUR") * 1.5  # type: ignore[operator]
    with pytest.raises(TypeError):
        1.5 * Money.of("1", "EUR")  # type: ignore[operator]
    with pytest.raises(TypeError):
        Money(True, "EUR")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "value", [Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"), Decimal("-Infinity")]
)
def test_nan_and_infinity_are_not_amounts(value):
    with pytest.raises(AmountInvalid) as caught:
        Money(value, "EUR")
    assert caught.value.code == "money.amount_invalid"


@pytest.mark.parametrize(
    "text",
    [
        "",
        " 1",
        "1 ",
        "+1",
        "1e3",
        "1E3",
        "1,000",
        ".5",
        "5.",
        "NaN",
        "Infinity",
        "--1",
        "１２",
        "0x10",
        "1_0",
    ],
)
def test_parsing_refuses_anything_but_plain_decimal_text(text):
    with pytest.raises(AmountInvalid):
        Money.of(text, "EUR")


def test_parsing_keeps_every_digit_written():
    assert Money.of("12.34", "EUR").amount == Decimal("12.34")
    assert Money.of("-0.000001", "USD").amount == Decimal("-0.000001")
    assert Money.of(7, "JPY") == Money(Decimal(7), "JPY")


@given(amount=amounts, currency=currencies)
def test_parsing_the_text_of_an_amount_or_of_money_round_trips(amount, currency):
    money = Money(amount, currency)
    assert Money.of(f"{amount:f}", currency) == money
    assert Money.parse(str(money)) == money


@given(value=st.floats())
def test_no_float_is_ever_accepted(value):
    with pytest.raises(TypeError):
        Money(value, "EUR")


def test_money_prints_as_currency_then_amount_in_minor_units():
    assert str(Money.of("12.34", "EUR")) == "EUR 12.34"
    assert str(Money.of("12.3400", "EUR")) == "EUR 12.34"
    assert str(Money.of("12", "EUR")) == "EUR 12.00"
    assert str(Money.of("1200", "JPY")) == "JPY 1200"
    assert str(Money.of("-0.5", "KWD")) == "KWD -0.500"
    assert str(Money.of("1.234500", "EUR")) == "EUR 1.2345"  # a unit cost keeps its decimals
    assert str(-Money.zero("EUR")) == "EUR 0.00"
    assert str(Money(Decimal("1E+3"), "USD")) == "USD 1000.00"


def test_adding_and_subtracting_is_exact_where_float_is_not():
    # given
    tenth = Money.of("0.1", "EUR")
    # when
    total = sum_money([tenth] * 10, currency="EUR")
    # then
    assert total == Money.of("1", "EUR")
    assert Money.of("0.1", "EUR") + Money.of("0.2", "EUR") == Money.of("0.3", "EUR")
    assert Money.of("0.3", "EUR") - Money.of("0.1", "EUR") == Money.of("0.2", "EUR")
    assert -Money.of("2", "USD") == Money.of("-2", "USD")
    assert abs(Money.of("-2", "USD")) == Money.of("2", "USD")


def test_arithmetic_and_ordering_across_currencies_is_refused():
    eur, usd = Money.of("1", "EUR"), Money.of("1", "USD")
    for operation in [lambda: eur + usd, lambda: eur - usd, lambda: eur < usd, lambda: eur >= usd]:
        with pytest.raises(CurrencyMismatch) as caught:
            operation()
        assert caught.value.code == "money.currency_mismatch"
    with pytest.raises(CurrencyMismatch):
        sum_money([eur, usd], currency="EUR")
    assert eur != usd  # equality between currencies is simply false


def test_money_does_not_mix_with_bare_numbers():
    with pytest.raises(TypeError):
        Money.of("1", "EUR") + 1  # type: ignore[operator]
    with pytest.raises(TypeError):
        Money.of("1", "EUR") < 1  # type: ignore[operator]  # noqa: B015
    with pytest.raises(TypeError):
        Money.of("1", "EUR") * Money.of("1", "EUR")  # type: ignore[operator]


def test_ordering_within_one_currency_compares_amounts():
    assert Money.of("1.00", "EUR") < Money.of("1.01", "EUR") <= Money.of("1.01", "EUR")
    assert Money.of("1.0", "EUR") == Money.of("1.00", "EUR")
    assert hash(Money.of("1.0", "EUR")) == hash(Money.of("1.00", "EUR"))
    assert max([Money.of("3", "GBP"), Money.of("7", "GBP"), Money.of("5", "GBP")]) == Money.of("7", "GBP")


def test_multiplying_by_decimal_or_int_keeps_every_digit():
    assert Money.of("19.99", "EUR") * 3 == Money.of("59.97", "EUR")
    assert Decimal("0.075") * Money.of("19.99", "EUR") == Money.of("1.49925", "EUR")


def test_rounding_is_half_to_even_to_minor_units_unless_told_otherwise():
    assert Money.of("0.125", "EUR").rounded() == Money.of("0.12", "EUR")
    assert Money.of("0.135", "EUR").rounded() == Money.of("0.14", "EUR")
    assert Money.of("0.125", "EUR").rounded(ROUND_HALF_UP) == Money.of("0.13", "EUR")
    assert Money.of("0.121", "EUR").rounded(ROUND_CEILING) == Money.of("0.13", "EUR")
    assert Money.of("-0.129", "EUR").rounded(ROUND_DOWN) == Money.of("-0.12", "EUR")
    assert Money.of("1234.5", "JPY").rounded() == Money.of("1234", "JPY")
    assert Money.of("1.23456", "KWD").rounded() == Money.of("1.235", "KWD")
    assert Money.of("1.2345678", "EUR").rounded(places=4) == Money.of("1.2346", "EUR")
    assert str(Money.of("3", "CLF").rounded()) == "CLF 3.0000"


def test_zero_and_minor_units_constructors():
    assert Money.zero("JPY") == Money.of("0", "JPY")
    assert Money.zero("KWD").is_zero()
    assert Money.of_minor(1234, "EUR") == Money.of("12.34", "EUR")
    assert Money.of_minor(-5, "BHD") == Money.of("-0.005", "BHD")
    assert Money.of("12.34", "EUR").to_minor_units() == 1234
    assert Money.of("1.5", "EUR").to_minor_units(places=4) == 15000


def test_minor_units_of_an_amount_finer_than_the_currency_is_refused_not_rounded():
    with pytest.raises(ScaleExceeded):
        Money.of("0.001", "EUR").to_minor_units()


def test_an_empty_sum_is_zero_in_the_named_currency():
    assert sum_money([], currency="KRW") == Money.zero("KRW")


def test_money_is_immutable():
    money = Money.of("1", "EUR")
    with pytest.raises(AttributeError):
        money.amount = Decimal(2)  # type: ignore[misc]
