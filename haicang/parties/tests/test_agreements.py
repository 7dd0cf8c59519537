import datetime as dt
from decimal import Decimal

import pytest

from haicang.core.money import Money
from haicang.parties.agreements import (
    BandInput,
    agreement_activate,
    agreement_create,
    agreement_terminate,
    fee_schedule_set,
    fee_table_on,
)
from haicang.parties.errors import AgreementInvalid, FeeScheduleInvalid
from haicang.parties.fee_rules import outbound_cost
from haicang.parties.tests.factories import SYSTEM, make_operator, make_seller, make_warehouse

pytestmark = pytest.mark.django_db


def test_an_agreement_is_numbered_per_seller_and_shares_no_prices_or_contacts_by_default():
    seller, operator = make_seller(), make_operator()
    agreement = agreement_create(
        actor=SYSTEM,
        seller=seller,
        operator=operator,
        warehouses=[make_warehouse(operator)],
        valid_from=dt.date(2026, 3, 1),
    )

    assert agreement.reference == "AGR-2026-000001"
    assert (agreement.share_prices, agreement.share_customer_email, agreement.share_customer_phone) == (
        False,
        False,
        False,
    )
    assert agreement.status == "draft"


def test_an_agreement_only_covers_its_operators_warehouses():
    seller, operator, other = make_seller(), make_operator(), make_operator()

    with pytest.raises(AgreementInvalid) as caught:
        agreement_create(
            actor=SYSTEM,
            seller=seller,
            operator=operator,
            warehouses=[make_warehouse(other)],
            valid_from=dt.date(2026, 1, 1),
        )
    assert caught.value.field == "warehouses"


def test_an_agreement_needs_fees_before_it_becomes_active_and_can_then_be_terminated():
    seller, operator = make_seller(), make_operator()
    agreement = agreement_create(
        actor=SYSTEM,
        seller=seller,
        operator=operator,
        warehouses=[make_warehouse(operator)],
        valid_from=dt.date(2026, 1, 1),
    )
    with pytest.raises(AgreementInvalid):
        agreement_activate(actor=SYSTEM, agreement=agreement)

    fee_schedule_set(
        actor=SYSTEM,
        agreement=agreement,
        effective_from=dt.date(2026, 1, 1),
        lines={"outbound_order": Money.of("1.80", "EUR")},
    )
    agreement_activate(actor=SYSTEM, agreement=agreement)
    agreement_terminate(actor=SYSTEM, agreement=agreement, on=dt.date(2026, 12, 31))

    agreement.refresh_from_db()
    assert (agreement.status, agreement.valid_to) == ("terminated", dt.date(2026, 12, 31))


def test_fees_are_in_the_operators_currency_and_the_schedule_in_force_is_found_by_date():
    seller, operator = make_seller(), make_operator(currency="EUR")
    agreement = agreement_create(
        actor=SYSTEM,
        seller=seller,
        operator=operator,
        warehouses=[make_warehouse(operator)],
        valid_from=dt.date(2026, 1, 1),
    )
    with pytest.raises(FeeScheduleInvalid) as caught:
        fee_schedule_set(
            actor=SYSTEM,
            agreement=agreement,
            effective_from=dt.date(2026, 1, 1),
            lines={"outbound_order": Money.of("1.80", "USD")},
        )
    assert caught.value.field == "lines.outbound_order"

    for start, price in ((dt.date(2026, 1, 1), "1.80"), (dt.date(2026, 7, 1), "2.10")):
        fee_schedule_set(
            actor=SYSTEM,
            agreement=agreement,
            effective_from=start,
            lines={"outbound_order": Money.of(price, "EUR"), "outbound_extra_unit": Money.of("0.30", "EUR")},
            age_bands=[
                BandInput(181, 365, Money.of("0.20", "EUR")),
                BandInput(366, None, Money.of("0.60", "EUR")),
            ],
            peak_factor=Decimal("2.5"),
            peak_months=[11, 12],
        )

    assert fee_table_on(agreement=agreement, on=dt.date(2025, 12, 31)) is None
    spring = fee_table_on(agreement=agreement, on=dt.date(2026, 3, 1))
    summer = fee_table_on(agreement=agreement, on=dt.date(2026, 8, 1))
    assert spring is not None
    assert summer is not None
    assert outbound_cost(spring, units=2, with_packaging=False) == Money.of("2.10", "EUR")
    assert outbound_cost(summer, units=2, with_packaging=False) == Money.of("2.40", "EUR")
    assert [b.from_day for b in summer.bands] == [181, 366]
    assert summer.peak_months == {11, 12}


def test_overlapping_age_bands_are_refused_naming_the_field():
    seller, operator = make_seller(), make_operator()
    agreement = agreement_create(
        actor=SYSTEM,
        seller=seller,
        operator=operator,
        warehouses=[make_warehouse(operator)],
        valid_from=dt.date(2026, 1, 1),
    )

    with pytest.raises(FeeScheduleInvalid) as caught:
        fee_schedule_set(
            actor=SYSTEM,
            agreement=agreement,
            effective_from=dt.date(2026, 1, 1),
            lines={},
            age_bands=[BandInput(0, 100, Money.of("0", "EUR")), BandInput(90, None, Money.of("1", "EUR"))],
        )
    assert caught.value.field == "age_bands"
    assert not agreement.fee_schedules.exists()
