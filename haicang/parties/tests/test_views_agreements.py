"""The service agreements pages: list and detail, for the seller and the operator alike."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from haicang.core.money import Money
from haicang.parties.agreements import BandInput, agreement_create, fee_schedule_set
from haicang.parties.tests.factories import (
    SYSTEM,
    make_agreement,
    make_member,
    make_operator,
    make_seller,
    make_warehouse,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller():
    return make_seller(code="lumen", currency="USD")


@pytest.fixture
def operator():
    return make_operator(code="rhein", currency="EUR")


@pytest.fixture
def agreement(seller, operator):
    warehouse = make_warehouse(operator, code="FRA1")
    agreement = agreement_create(
        actor=SYSTEM,
        seller=seller,
        operator=operator,
        warehouses=[warehouse],
        valid_from=dt.date(2026, 1, 1),
        valid_to=dt.date(2027, 12, 31),
        sla_ship_within_working_hours=16,
        share_prices=True,
    )
    eur = "EUR"
    fee_schedule_set(
        actor=SYSTEM,
        agreement=agreement,
        effective_from=dt.date(2026, 1, 1),
        lines={
            "outbound_order": Money(Decimal("1.80"), eur),
            "storage_m3_day": Money(Decimal("0.4525"), eur),
            "inbound_pallet": Money(Decimal("1234.5"), eur),
            "postage_markup_pct": Money(Decimal("7.5"), eur),
        },
        storage_free_days=30,
        age_bands=[
            BandInput(0, 90, Money(Decimal("0"), eur)),
            BandInput(91, 180, Money(Decimal("0.25"), eur)),
            BandInput(181, None, Money(Decimal("0.75"), eur)),
        ],
        peak_factor=Decimal("1.5"),
        peak_months=[11, 12],
    )
    return agreement


def _client_of(client, party, role):
    client.force_login(make_member(party, role).user)
    return client


def test_the_seller_lists_its_agreements_with_the_operator_warehouses_and_validity(client, seller, agreement):
    make_agreement(make_seller(), make_operator(code="other-op"))

    html = _client_of(client, seller, "planner").get("/parties/agreements/").content.decode()

    assert agreement.reference in html and "FRA1" in html
    assert agreement.operator.name in html
    assert "2026-01-01" in html and "2027-12-31" in html and "16 working hours" in html
    assert html.count("AGR-") == 1


def test_the_detail_shows_sla_data_sharing_fees_with_currency_and_age_bands(client, seller, agreement):
    html = _client_of(client, seller, "finance").get(f"/parties/agreements/{agreement.pk}/").content.decode()

    assert "FRA1" in html and "16 working hours after release" in html
    assert "Order prices" in html and "Shared" in html and "Not shared" in html
    assert "Outbound, per order" in html and "EUR 1.80" in html
    assert "EUR 0.4525" in html and "EUR 1,234.50" in html and "7.5 %" in html
    assert "0–90 days" in html and "181 days and more" in html and "EUR 0.75" in html
    assert "× 1.5 (November, December)" in html and "In force" in html


def test_the_operator_sees_the_same_agreement_from_its_side(client, operator, agreement):
    operator_client = _client_of(client, operator, "billing")

    listing = operator_client.get("/parties/agreements/").content.decode()
    detail = operator_client.get(f"/parties/agreements/{agreement.pk}/")

    assert agreement.seller.name in listing
    assert detail.status_code == 200 and "Outbound, per order" in detail.content.decode()


def test_another_partys_agreement_is_not_found(client, agreement):
    stranger = _client_of(client, make_seller(), "owner")

    assert stranger.get(f"/parties/agreements/{agreement.pk}/").status_code == 404


def test_a_role_without_agreements_read_gets_403(client, operator, agreement):
    staff_client = _client_of(client, operator, "warehouse_staff")

    assert staff_client.get("/parties/agreements/").status_code == 403
    assert staff_client.get(f"/parties/agreements/{agreement.pk}/").status_code == 403


def test_the_agreement_page_speaks_chinese(client, seller, agreement):
    html = (
        _client_of(client, seller, "owner")
        .get(f"/parties/agreements/{agreement.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
        .content.decode()
    )

    assert "收费标准" in html and "数据共享范围" in html
