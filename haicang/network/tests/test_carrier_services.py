"""Carrier, service and rate-card services: validation, audit, dated cards, and quotes from the database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from haicang.core.audit import audit_entries_for
from haicang.core.money import Money
from haicang.network.carrier_selectors import rate_card_in_effect, rate_quotes
from haicang.network.errors import (
    CarrierCodeTaken,
    CarrierInvalid,
    CarrierServiceInvalid,
    RateCardInvalid,
    RateCardOverlap,
)
from haicang.network.models import RateZoneArea, WeightBreak
from haicang.network.rates import Destination, NotServiceable, Parcel, Quote, Unserviceable
from haicang.network.services.carriers import (
    ZoneSpec,
    carrier_archive,
    carrier_service_archive,
    carrier_service_update,
    carrier_update,
    rate_card_archive,
    rate_card_update,
)
from haicang.network.tests.carrier_factories import flat_zone, make_card, make_carrier, make_service
from haicang.network.tests.factories import SYSTEM, make_warehouse
from haicang.parties.tests.factories import make_operator

pytestmark = pytest.mark.django_db

PARCEL = Parcel(800, 300, 200, 100)  # dim 1 200 g at 5000


@pytest.fixture
def operator():
    return make_operator(code="rhein")


@pytest.fixture
def fra1(operator):
    return make_warehouse(operator, code="FRA1", markets=["DE", "FR", "AT"])


def eur(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


def test_a_carrier_has_a_unique_code_per_operator_and_a_tracking_url(operator):
    carrier = make_carrier(
        operator, code="dpx", tracking_url_template="https://dpx.example/t/{tracking_number}"
    )

    assert carrier.code == "DPX"
    assert carrier.tracking_url("0034 5678") == "https://dpx.example/t/0034%205678"
    with pytest.raises(CarrierCodeTaken):
        make_carrier(operator, code="DPX")
    make_carrier(make_operator(), code="DPX")  # another operator's may share it
    with pytest.raises(CarrierInvalid) as error:
        make_carrier(operator, code="X", tracking_url_template="https://x.example/")
    assert error.value.field == "tracking_url_template"


def test_carrier_changes_are_audited_and_unchanged_values_write_nothing(operator):
    carrier = make_carrier(operator, name="Parcel Express")

    carrier_update(actor=SYSTEM, carrier=carrier, name="Parcel Express")
    carrier_update(actor=SYSTEM, carrier=carrier, name="Parcel Express EU")
    carrier_archive(actor=SYSTEM, carrier=carrier)

    actions = [e.action for e in audit_entries_for(subject=carrier)]
    assert sorted(actions) == ["carrier.archived", "carrier.created", "carrier.updated"]


def test_a_service_ships_only_from_its_operators_warehouses(operator, fra1):
    carrier = make_carrier(operator)
    stranger = make_warehouse(make_operator(), code="LHR9")

    with pytest.raises(CarrierServiceInvalid) as error:
        make_service(carrier, warehouses=[stranger])
    assert error.value.field == "warehouses"

    service = make_service(carrier, warehouses=[fra1], countries=["de", "FR"], code="dpx-classic")
    assert service.code == "DPX-CLASSIC"
    assert sorted(service.countries.values_list("country", flat=True)) == ["DE", "FR"]
    carrier_service_update(actor=SYSTEM, service=service, countries=["AT", "DE"], transit_days_default=2)
    service.refresh_from_db()
    assert service.transit_days_default == 2
    assert sorted(service.countries.values_list("country", flat=True)) == ["AT", "DE"]


def test_a_card_is_written_whole_and_its_areas_and_breaks_are_rows(operator, fra1):
    service = make_service(make_carrier(operator), warehouses=[fra1], countries=["DE", "AT"])

    card = make_card(
        service,
        zones=[
            flat_zone("DE", "DE", [(1000, "4.50"), (5000, "6.90")], "EUR", transit_days=1),
            flat_zone(
                "ISLANDS", "DE", [(1000, "9.50"), (5000, "12.90")], "EUR", prefixes=["18565", "25938", "2599"]
            ),
            flat_zone("AT", "AT", [(1000, "7.10"), (5000, "9.40")], "EUR", transit_days=2),
        ],
        fuel_surcharge_pct=Decimal("8.5"),
        remote_surcharge=eur("2.50"),
        remote_areas=[("DE", "18565"), ("DE", "2599")],
    )

    assert RateZoneArea.objects.filter(card=card).count() == 5
    assert WeightBreak.objects.filter(zone__card=card).count() == 6
    entry = audit_entries_for(subject=card)[0]
    assert entry.action == "rate_card.created"


@pytest.mark.parametrize(
    ("zones", "field"),
    [
        ([], "zones"),
        (
            [
                flat_zone("DE", "DE", [(1000, "4.50")], "EUR"),
                flat_zone("DE", "DE", [(2000, "5")], "EUR", prefixes=["1"]),
            ],
            "zone",
        ),
        (
            [flat_zone("A", "DE", [(1000, "4.50")], "EUR"), flat_zone("B", "DE", [(1000, "5")], "EUR")],
            "postcode_prefixes",
        ),
        ([flat_zone("A", "DE", [(1000, "4.50"), (2000, "4.00")], "EUR")], "max_weight_g"),
        ([flat_zone("A", "DE", [(1000, "4.50")], "USD")], "price"),
        ([flat_zone("A", "FR", [(1000, "4.50")], "EUR")], "country"),  # the service does not serve FR
        ([ZoneSpec("A", [], [(1000, eur("1"))])], "country"),
    ],
)
def test_a_wrong_card_is_refused_and_writes_nothing(operator, zones, field):
    service = make_service(make_carrier(operator), countries=["DE"])

    with pytest.raises(RateCardInvalid) as error:
        make_card(service, zones=zones)

    assert error.value.field == field
    assert not service.rate_cards.exists()


def test_a_new_card_closes_the_open_ended_one_and_other_overlaps_are_refused(operator):
    service = make_service(make_carrier(operator), countries=["DE"])
    old = make_card(service, effective_from=dt.date(2026, 1, 1))

    new = make_card(service, effective_from=dt.date(2027, 1, 1))

    old.refresh_from_db()
    assert old.effective_to == dt.date(2026, 12, 31)
    assert rate_card_in_effect(service, dt.date(2026, 12, 31)) == old
    assert rate_card_in_effect(service, dt.date(2027, 1, 1)) == new
    with pytest.raises(RateCardOverlap):
        make_card(service, effective_from=dt.date(2026, 6, 1))
    with pytest.raises(RateCardOverlap):
        rate_card_update(actor=SYSTEM, card=old, effective_to=dt.date(2027, 1, 5))
    rate_card_archive(actor=SYSTEM, card=new)
    rate_card_update(actor=SYSTEM, card=old, effective_to=None)  # the archived card blocks nothing
    assert rate_card_in_effect(service, dt.date(2027, 3, 1)) == old


def test_a_cards_fuel_and_surcharges_change_in_place_and_are_audited(operator):
    card = make_card(make_service(make_carrier(operator), countries=["DE"]))

    rate_card_update(
        actor=SYSTEM, card=card, fuel_surcharge_pct=Decimal("11.25"), residential_surcharge=eur("0.60")
    )

    card.refresh_from_db()
    assert card.fuel_surcharge_pct == Decimal("11.25") and card.residential_surcharge == eur("0.60")
    with pytest.raises(RateCardInvalid):
        rate_card_update(actor=SYSTEM, card=card, residential_surcharge=Money(Decimal(1), "USD"))
    with pytest.raises(RateCardInvalid):
        rate_card_update(actor=SYSTEM, card=card, currency="USD")
    entry = audit_entries_for(subject=card)[0]
    assert entry.action == "rate_card.updated"


def test_a_warehouse_quote_lists_serviceable_services_cheapest_first_then_the_others(operator, fra1):
    dpx, gls = make_carrier(operator, code="DPX"), make_carrier(operator, code="GLX")
    classic = make_service(dpx, warehouses=[fra1], countries=["DE", "AT"], code="DPX-CLASSIC")
    make_card(classic, fuel_surcharge_pct=Decimal("10"))  # DE ≤ 2 kg: 5.20 + 0.52
    cheap = make_service(gls, warehouses=[fra1], countries=["DE"], code="GLX-PARCEL")
    make_card(cheap, zones=[flat_zone("DE", "DE", [(2000, "4.95")], "EUR", transit_days=2)])
    uncarded = make_service(gls, warehouses=[fra1], countries=["DE"], code="GLX-EXPRESS")
    archived = make_service(gls, warehouses=[fra1], countries=["DE"], code="GLX-OLD")
    make_card(archived)
    carrier_service_archive(actor=SYSTEM, service=archived)
    make_service(dpx, countries=["DE"], code="DPX-ELSEWHERE")  # ships from no warehouse of ours

    answers = rate_quotes(
        warehouse=fra1, parcel=PARCEL, destination=Destination("DE", "60311"), on=dt.date(2026, 11, 20)
    )

    assert [a.service.code for a in answers] == ["GLX-PARCEL", "DPX-CLASSIC", "GLX-EXPRESS"]
    first, second, last = answers
    assert isinstance(first.result, Quote) and first.result.total == eur("4.95")
    assert isinstance(second.result, Quote) and second.result.total == eur("5.72")
    assert isinstance(last.result, NotServiceable) and last.result.reason is Unserviceable.NO_RATE_CARD
    assert uncarded.code == "GLX-EXPRESS"


def test_a_quote_before_any_card_starts_has_no_card(operator, fra1):
    service = make_service(make_carrier(operator), warehouses=[fra1], countries=["DE"])
    make_card(service, effective_from=dt.date(2027, 1, 1))

    answer = rate_quotes(
        warehouse=fra1, parcel=PARCEL, destination=Destination("DE", "1"), on=dt.date(2026, 12, 31)
    )

    result = answer[0].result
    assert isinstance(result, NotServiceable) and result.reason is Unserviceable.NO_RATE_CARD
