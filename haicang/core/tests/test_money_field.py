from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader
from django.db.models import BigIntegerField, CharField

from haicang.core.fields import MoneyField, money_field_of, money_total, money_totals
from haicang.core.money import AmountInvalid, Money, ScaleExceeded
from haicang.core.tests.moneyapp.models import Charge, Ledger

pytestmark = pytest.mark.django_db


def _saved_and_reloaded(**values: Money | None) -> Ledger:
    line = Ledger.objects.create(**values)
    return Ledger.objects.get(pk=line.pk)


@pytest.mark.parametrize(
    "text",
    ["0.1", "0.2", "0.30", "0.01", "-0.07", "9999999999.9999", "-9999999999.9999", "0", "123456789012.34"],
)
def test_an_amount_comes_back_from_the_database_exactly(text):
    line = _saved_and_reloaded(amount=Money.of(text, "EUR"))
    assert line.amount == Money.of(text, "EUR")
    assert line.amount is not None and line.amount.currency == "EUR"


def test_amounts_in_zero_three_and_four_decimal_currencies_round_trip():
    for text, currency in [("1200", "JPY"), ("-1.234", "KWD"), ("0.0001", "CLF"), ("87000000", "VND")]:
        assert _saved_and_reloaded(amount=Money.of(text, currency)).amount == Money.of(text, currency)


def test_read_money_is_written_in_the_currency_minor_units():
    assert str(_saved_and_reloaded(amount=Money.of("12.3", "EUR")).amount) == "EUR 12.30"
    assert str(_saved_and_reloaded(amount=Money.of("1200", "JPY")).amount) == "JPY 1200"


def test_a_unit_cost_keeps_six_decimals():
    line = _saved_and_reloaded(amount=Money.of("1", "USD"), unit_cost=Money.of("0.123456", "USD"))
    assert line.unit_cost == Money.of("0.123456", "USD")
    assert Ledger.objects.values_list("unit_cost_amount", flat=True).get(pk=line.pk) == 123456


def test_the_amount_is_stored_as_a_scaled_integer_next_to_its_currency():
    line = _saved_and_reloaded(amount=Money.of("12.34", "EUR"))
    stored = Ledger.objects.values_list("amount_amount", "amount_currency").get(pk=line.pk)
    assert stored == (123400, "EUR")


def test_more_decimals_than_the_field_keeps_are_refused_not_rounded():
    with pytest.raises(ScaleExceeded) as caught:
        Ledger(amount=Money.of("0.00001", "EUR"))
    assert caught.value.code == "money.scale_exceeded"
    assert caught.value.field == "amount"
    line = Ledger(amount=Money.of("1", "EUR"))
    with pytest.raises(ScaleExceeded):
        line.unit_cost = Money.of("0.0000001", "EUR")
    with pytest.raises(ScaleExceeded):  # a field with fewer places than a currency's minor units
        MoneyField(places=2).to_units(Money.of("1.000", "KWD"))


def test_an_amount_too_large_for_64_bits_is_refused():
    with pytest.raises(AmountInvalid):
        Ledger(amount=Money.of("922337203685478", "USD"))
    Ledger(amount=Money.of("922337203685477", "USD"))


def test_a_nullable_money_reads_none_and_a_required_one_cannot_be_emptied():
    line = _saved_and_reloaded(amount=Money.of("1", "EUR"))
    assert line.unit_cost is None
    line.unit_cost = Money.of("2", "EUR")
    line.unit_cost = None
    line.save()
    stored = Ledger.objects.values_list("unit_cost_amount", "unit_cost_currency").get(pk=line.pk)
    assert stored == (None, None)
    with pytest.raises(ValueError, match="cannot be empty"):
        line.amount = None
    with pytest.raises(TypeError):
        line.amount = Decimal("1")  # type: ignore[assignment]


def test_an_amount_changed_on_an_object_is_saved_and_reloaded():
    line = _saved_and_reloaded(amount=Money.of("1", "EUR"))
    line.amount = Money.of("-3.5", "GBP")
    line.save()
    line.refresh_from_db()
    assert line.amount == Money.of("-3.5", "GBP")


def test_rows_are_filtered_on_the_stored_integer():
    field = money_field_of(Ledger, "amount")
    Ledger.objects.create(amount=Money.of("5", "EUR"))
    Ledger.objects.create(amount=Money.of("15", "EUR"))
    limit = field.to_units(Money.of("10", "EUR"))
    assert Ledger.objects.filter(amount_currency="EUR", amount_amount__gt=limit).count() == 1


def test_the_database_sums_a_thousand_small_amounts_exactly_per_currency():
    # given 1,000 lines of EUR 0.01, 1,000 of USD 0.10 and one JPY line, where a float sum would drift
    drifting = 0.0
    for _ in range(1000):
        drifting += 0.1
    assert drifting != 100  # what adding these as floats gives
    lines = [Ledger(amount=Money.of("0.01", "EUR")) for _ in range(1000)]
    lines += [
        Ledger(amount=Money.of("0.1", "USD"), unit_cost=Money.of("0.000001", "USD")) for _ in range(1000)
    ]
    lines.append(Ledger(amount=Money.of("7", "JPY")))
    Ledger.objects.bulk_create(lines)
    # when
    totals = money_totals(Ledger.objects.all(), "amount")
    unit_costs = money_totals(Ledger.objects.all(), "unit_cost")
    # then
    assert totals == {
        "EUR": Money.of("10", "EUR"),
        "USD": Money.of("100", "USD"),
        "JPY": Money.of("7", "JPY"),
    }
    assert str(totals["EUR"]) == "EUR 10.00"
    assert unit_costs == {"USD": Money.of("0.001", "USD")}


def test_a_total_in_one_currency_respects_the_queryset_filter_and_is_zero_when_empty():
    Ledger.objects.create(label="a", amount=Money.of("0.10", "EUR"))
    Ledger.objects.create(label="a", amount=Money.of("0.20", "EUR"))
    Ledger.objects.create(label="b", amount=Money.of("100", "EUR"))
    Ledger.objects.create(label="a", amount=Money.of("1", "USD"))
    assert money_total(Ledger.objects.filter(label="a"), "amount", currency="EUR") == Money.of("0.30", "EUR")
    assert money_total(Ledger.objects.filter(label="a"), "amount", currency="KRW") == Money.zero("KRW")


def test_large_negative_and_positive_amounts_sum_exactly():
    for text in ["9999999999.9999", "9999999999.9999", "-0.0003", "0.0001"]:
        Ledger.objects.create(amount=Money.of(text, "CLF"))
    assert money_totals(Ledger.objects.all(), "amount") == {"CLF": Money.of("19999999999.9996", "CLF")}


def test_only_a_money_field_can_be_summed():
    with pytest.raises(ValueError, match="not a MoneyField"):
        money_totals(Ledger.objects.all(), "label")


def test_migrations_see_two_plain_columns_and_never_the_money_field():
    # given the test app's migration, written by makemigrations
    state = MigrationLoader(None, ignore_no_migrations=True).project_state(("moneyapp", "0001_initial"))
    fields = state.models["moneyapp", "ledger"].fields
    # then it holds the two columns as ordinary fields, and the models have no change it lacks
    assert type(fields["amount_amount"]) is BigIntegerField
    assert fields["amount_amount"].help_text == "amount in units of 10^-4"
    assert fields["unit_cost_amount"].help_text == "amount in units of 10^-6"
    assert type(fields["amount_currency"]) is CharField
    assert "amount" not in fields and "unit_cost" not in fields
    call_command("makemigrations", "moneyapp", check=True, dry_run=True, verbosity=0)


def test_an_abstract_base_hands_its_money_field_and_columns_to_the_model():
    # when
    charge = Charge.objects.create(price=Money.of("9.99", "EUR"), fee=Money.of("0.50", "EUR"))
    # then
    assert Charge.objects.get(pk=charge.pk).price == Money.of("9.99", "EUR")
    columns = [field.column for field in Charge._meta.concrete_fields]
    assert columns == ["id", "price_amount", "price_currency", "fee_amount", "fee_currency"]
    assert money_totals(Charge.objects.all(), "price") == {"EUR": Money.of("9.99", "EUR")}


def test_update_or_create_and_full_clean_take_money():
    line, _ = Ledger.objects.update_or_create(label="x", defaults={"amount": Money.of("1", "USD")})
    line, created = Ledger.objects.update_or_create(label="x", defaults={"amount": Money.of("2", "USD")})
    line.full_clean()
    assert not created
    assert Ledger.objects.get(pk=line.pk).amount == Money.of("2", "USD")


def test_the_money_field_is_a_model_field_without_a_column_of_its_own():
    field = Ledger._meta.get_field("amount")
    assert isinstance(field, MoneyField)
    assert field.column is None and not field.concrete
    assert field is money_field_of(Ledger, "amount")
    assert [f.name for f in Ledger._meta.concrete_fields] == [
        "id", "label", "amount_amount", "amount_currency", "unit_cost_amount", "unit_cost_currency"
    ]  # fmt: skip
