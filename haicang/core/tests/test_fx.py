from datetime import date, datetime
from decimal import ROUND_DOWN, Decimal

import pytest

from haicang.core.audit import audit_entries_for
from haicang.core.fx import FxRateInvalid, FxRateMissing, fx_convert, fx_rate_on, fx_rate_record
from haicang.core.models import FxRate
from haicang.core.money import CurrencyUnknown, Money

pytestmark = pytest.mark.django_db

JAN_1, JAN_10, JAN_20 = date(2026, 1, 1), date(2026, 1, 10), date(2026, 1, 20)


def test_a_conversion_uses_the_latest_rate_on_or_before_its_date(system_actor):
    # given the EUR/USD rate changes over January
    fx_rate_record(actor=system_actor, base="EUR", quote="USD", on=JAN_1, rate=Decimal("1.10"), source="ecb")
    fx_rate_record(actor=system_actor, base="EUR", quote="USD", on=JAN_10, rate=Decimal("1.20"), source="ecb")
    hundred = Money.of("100.00", "EUR")
    # when / then
    assert fx_convert(money=hundred, to="USD", on=JAN_1) == Money.of("110.00", "USD")
    assert fx_convert(money=hundred, to="USD", on=date(2026, 1, 9)) == Money.of("110.00", "USD")
    assert fx_convert(money=hundred, to="USD", on=JAN_10) == Money.of("120.00", "USD")
    assert fx_convert(money=hundred, to="USD", on=JAN_20) == Money.of("120.00", "USD")


def test_before_the_first_rate_the_conversion_fails_naming_pair_and_date(system_actor):
    fx_rate_record(actor=system_actor, base="EUR", quote="USD", on=JAN_10, rate=Decimal("1.2"))
    with pytest.raises(FxRateMissing) as caught:
        fx_convert(money=Money.of("1", "EUR"), to="USD", on=JAN_1)
    assert caught.value.code == "money.fx_rate_missing"
    assert "EUR/USD" in caught.value.detail and "2026-01-01" in caught.value.detail
    assert caught.value.context == {"base": "EUR", "quote": "USD", "on": "2026-01-01"}
    with pytest.raises(FxRateMissing):
        fx_rate_on(base="GBP", quote="JPY", on=JAN_20)


def test_the_inverse_of_a_stored_rate_converts_the_other_way(system_actor):
    # given only USD/CNY is stored
    fx_rate_record(actor=system_actor, base="USD", quote="CNY", on=JAN_1, rate=Decimal("7.25"))
    # when
    rate = fx_rate_on(base="CNY", quote="USD", on=JAN_10)
    converted = fx_convert(money=Money.of("725.00", "CNY"), to="USD", on=JAN_10)
    # then
    assert rate * Decimal("7.25") == Decimal(1)
    assert converted == Money.of("100.00", "USD")


def test_the_most_recent_rate_wins_whichever_direction_it_was_stored_in(system_actor):
    fx_rate_record(actor=system_actor, base="EUR", quote="GBP", on=JAN_1, rate=Decimal("0.80"))
    fx_rate_record(actor=system_actor, base="GBP", quote="EUR", on=JAN_10, rate=Decimal("1.25"))
    fx_rate_record(actor=system_actor, base="EUR", quote="GBP", on=JAN_20, rate=Decimal("0.90"))
    assert fx_rate_on(base="EUR", quote="GBP", on=JAN_1) == Decimal("0.80")
    assert fx_rate_on(base="EUR", quote="GBP", on=JAN_10) == Decimal("0.8")  # 1 / 1.25
    assert fx_rate_on(base="EUR", quote="GBP", on=JAN_20) == Decimal("0.90")


def test_converting_to_the_same_currency_needs_no_rate_and_rounds_to_minor_units(db):
    assert fx_rate_on(base="EUR", quote="EUR", on=JAN_1) == 1
    assert fx_convert(money=Money.of("1.005", "EUR"), to="EUR", on=JAN_1) == Money.of("1.00", "EUR")


def test_a_conversion_rounds_to_the_target_minor_units_half_even_or_as_told(system_actor):
    fx_rate_record(actor=system_actor, base="USD", quote="JPY", on=JAN_1, rate=Decimal("150.5"))
    fx_rate_record(actor=system_actor, base="USD", quote="KWD", on=JAN_1, rate=Decimal("0.3075"))
    assert fx_convert(money=Money.of("1.00", "USD"), to="JPY", on=JAN_1) == Money.of("150", "JPY")
    assert fx_convert(money=Money.of("3.00", "USD"), to="JPY", on=JAN_1) == Money.of("452", "JPY")
    assert fx_convert(money=Money.of("1.00", "USD"), to="KWD", on=JAN_1) == Money.of("0.308", "KWD")
    assert fx_convert(money=Money.of("1.00", "USD"), to="KWD", on=JAN_1, rounding=ROUND_DOWN) == Money.of(
        "0.307", "KWD"
    )


def test_recording_writes_an_audit_entry_and_re_recording_the_day_replaces_the_rate(system_actor):
    # given
    first = fx_rate_record(
        actor=system_actor, base="EUR", quote="USD", on=JAN_1, rate=Decimal("1.1"), source="a"
    )
    # when
    again = fx_rate_record(
        actor=system_actor, base="EUR", quote="USD", on=JAN_1, rate=Decimal("1.2"), source="b"
    )
    same = fx_rate_record(
        actor=system_actor, base="EUR", quote="USD", on=JAN_1, rate=Decimal("1.2"), source="b"
    )
    # then
    assert first.pk == again.pk == same.pk
    assert FxRate.objects.count() == 1
    assert FxRate.objects.get().rate == Decimal("1.2")
    entries = list(audit_entries_for(subject=first))
    assert [e.action for e in entries] == ["fx_rate.replaced", "fx_rate.recorded"]
    assert entries[0].changes == {
        "before": {"rate": "1.1", "source": "a"},
        "after": {"rate": "1.2", "source": "b"},
    }
    assert entries[1].actor_label == "system:tests"


def test_a_rate_comes_back_from_the_database_exactly(system_actor):
    for rate in ["0.0000393012", "12345.1234567891", "7.1234"]:
        fx_rate_record(actor=system_actor, base="USD", quote="VND", on=JAN_1, rate=Decimal(rate))
        assert FxRate.objects.get(base="USD", quote="VND").rate == Decimal(rate)
        assert fx_rate_on(base="USD", quote="VND", on=JAN_1) == Decimal(rate)


@pytest.mark.parametrize(
    ("base", "quote", "rate", "error"),
    [
        ("EUR", "USD", Decimal("0"), FxRateInvalid),
        ("EUR", "USD", Decimal("-1.1"), FxRateInvalid),
        ("EUR", "USD", Decimal("NaN"), FxRateInvalid),
        ("EUR", "USD", Decimal("1.12345678901"), FxRateInvalid),  # 11 decimal places
        ("EUR", "USD", Decimal("123456.1234567891"), FxRateInvalid),  # 16 significant digits
        ("EUR", "USD", Decimal("1E+15"), FxRateInvalid),
        ("EUR", "EUR", Decimal("1"), FxRateInvalid),
        ("EUR", "XXQ", Decimal("1"), CurrencyUnknown),
        ("usd", "EUR", Decimal("1"), CurrencyUnknown),
    ],
)
def test_an_invalid_rate_is_refused_and_nothing_is_written(system_actor, base, quote, rate, error):
    with pytest.raises(error):
        fx_rate_record(actor=system_actor, base=base, quote=quote, on=JAN_1, rate=rate)
    assert not FxRate.objects.exists()


def test_a_float_rate_or_a_datetime_is_a_programming_error(system_actor):
    with pytest.raises(TypeError):
        fx_rate_record(actor=system_actor, base="EUR", quote="USD", on=JAN_1, rate=1.1)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        fx_rate_on(base="EUR", quote="USD", on=datetime(2026, 1, 1))  # noqa: DTZ001
