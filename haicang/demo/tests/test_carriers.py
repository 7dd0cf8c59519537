"""The demo operators' carriers and rate cards: seeded once, and they quote realistic parcels."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from haicang.core.actors import Actor
from haicang.core.money import Money
from haicang.demo.carriers import demo_carriers_build
from haicang.demo.world import demo_world_build
from haicang.network.carrier_selectors import rate_quotes
from haicang.network.models import CarrierService, RateCard, Warehouse
from haicang.network.rates import Destination, Parcel, Quote

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("demo")
ON = dt.date(2026, 11, 20)


@pytest.fixture
def demo():
    demo_world_build(actor=ACTOR)
    assert demo_carriers_build(actor=ACTOR) is True


def _quotes(code: str, parcel: Parcel, destination: Destination) -> dict[str, Quote]:
    answers = rate_quotes(
        warehouse=Warehouse.objects.get(code=code), parcel=parcel, destination=destination, on=ON
    )
    return {a.service.code: a.result for a in answers if isinstance(a.result, Quote)}


def test_every_demo_warehouse_has_carded_services_and_seeding_again_adds_nothing(demo):
    by_warehouse = {
        code: sorted(CarrierService.objects.filter(warehouses__code=code).values_list("code", flat=True))
        for code in ("LAX1", "FRA1", "BHX1")
    }

    assert by_warehouse == {
        "LAX1": ["CPX-2DAY", "CPX-GROUND", "SPS-GROUND"],
        "FRA1": ["DPE-CLASSIC", "DPE-EXPRESS12", "EPP-PAKET"],
        "BHX1": ["ABP-TRACKED48", "DPE-UK-NEXTDAY"],
    }
    assert RateCard.objects.count() == 8
    assert demo_carriers_build(actor=ACTOR) is False
    assert RateCard.objects.count() == 8


def test_a_small_parcel_from_lax1_to_new_york_is_cheapest_by_postal_ground(demo):
    quotes = _quotes("LAX1", Parcel(680, 250, 180, 100), Destination("US", "10001", residential=True))

    assert list(quotes) == ["SPS-GROUND", "CPX-GROUND", "CPX-2DAY"]
    assert quotes["SPS-GROUND"].zone == "8" and quotes["SPS-GROUND"].total == Money(Decimal("9.06"), "USD")
    assert quotes["CPX-2DAY"].transit_days == 2


def test_fra1_prices_a_german_island_and_corsica_as_their_own_zones(demo):
    sylt = _quotes("FRA1", Parcel(900, 300, 200, 100), Destination("DE", "25980"))
    corsica = _quotes("FRA1", Parcel(900, 300, 200, 100), Destination("FR", "20000"))

    assert sylt["EPP-PAKET"].zone == "DE-ISLANDS"
    assert corsica["DPE-CLASSIC"].zone == "FR-CORSE" and corsica["DPE-CLASSIC"].transit_days == 5


def test_bhx1_zones_the_highlands_apart(demo):
    quotes = _quotes("BHX1", Parcel(1500, 300, 200, 150), Destination("GB", "IV2 3AB"))

    assert quotes["DPE-UK-NEXTDAY"].zone == "HIGHLANDS"
    assert quotes["ABP-TRACKED48"].zone == "UK"
