"""The demo operators' named carriers and rate cards: seeded once, served by the sandbox adapter, and they quote
realistic parcels at the sandbox's prices in the nearest zone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from haicang.core.actors import Actor
from haicang.core.money import Money
from haicang.demo.carriers import demo_carriers_build
from haicang.demo.world import demo_world_build
from haicang.fulfillment.carrier_ledger import adapter_code, sandbox_service_code
from haicang.fulfillment.carriers.sandbox_services import CARRIERS
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


def test_every_demo_warehouse_has_the_named_carriers_carded_and_seeding_again_adds_nothing(demo):
    by_warehouse = {
        code: sorted(
            set(CarrierService.objects.filter(warehouses__code=code).values_list("carrier__code", flat=True))
        )
        for code in ("LAX1", "FRA1", "BHX1")
    }

    assert by_warehouse == {
        "LAX1": ["FEDEX", "UPS", "USPS"],
        "FRA1": ["DHL", "GLS", "HERMES"],
        "BHX1": ["DPD", "EVRI", "ROYAL-MAIL"],
    }
    services = CarrierService.objects.count()
    assert services == RateCard.objects.count() == 26
    assert set(CarrierService.objects.values_list("service_level", flat=True)) == {
        "ground",
        "expedited",
        "express",
    }
    assert demo_carriers_build(actor=ACTOR) is False
    assert RateCard.objects.count() == 26


def test_every_demo_carrier_and_service_is_served_by_its_sandbox_adapter(demo):
    for service in CarrierService.objects.select_related("carrier"):
        adapter = adapter_code(service.carrier.code)
        international = service.countries.exclude(country__in=("US", "GB", "DE")).exists()

        assert adapter != "sandbox", service.carrier.code
        sandbox = sandbox_service_code(service.carrier.code, service, international=international)
        found = CARRIERS[adapter].service(sandbox)
        assert found is not None and found.name == service.name


def test_the_nearest_zone_quotes_the_sandbox_price_and_farther_zones_more(demo):
    near = _quotes("LAX1", Parcel(1800, 250, 180, 100), Destination("US", "90012", residential=True))
    far = _quotes("LAX1", Parcel(1800, 250, 180, 100), Destination("US", "10001", residential=True))

    # USPS Ground Advantage: 5.40 + 0.90 per started kg (2 kg); zone 2 at the sandbox price, no surcharges.
    assert near["USPS-GROUND-ADVANTAGE"].total == Money(Decimal("7.20"), "USD")
    assert (near["USPS-GROUND-ADVANTAGE"].zone, far["USPS-GROUND-ADVANTAGE"].zone) == ("2", "8")
    assert far["USPS-GROUND-ADVANTAGE"].total > near["USPS-GROUND-ADVANTAGE"].total
    assert far["USPS-GROUND-ADVANTAGE"].transit_days == 5 and far["UPS-NEXT-DAY-AIR"].transit_days == 1
    # UPS Ground to a home: residential surcharge, fuel on base and surcharges.
    kinds = [line.kind for line in near["UPS-GROUND"].lines]
    assert kinds[:3] == ["base", "residential", "fuel"]
    # FedEx Ground delivers to businesses only; homes get Home Delivery.
    assert "FEDEX-GROUND" not in near and "FEDEX-HOME-DELIVERY" in near
    assert next(iter(near)) == "USPS-GROUND-ADVANTAGE"  # the cheapest


def test_fra1_prices_a_german_island_and_corsica_as_their_own_zones(demo):
    sylt = _quotes("FRA1", Parcel(900, 300, 200, 100), Destination("DE", "25980"))
    corsica = _quotes("FRA1", Parcel(900, 300, 200, 100), Destination("FR", "20000"))
    paris = _quotes("FRA1", Parcel(900, 300, 200, 100), Destination("FR", "75001"))

    assert sylt["DHL-PAKET"].zone == "DE-ISLANDS" and sylt["DHL-PAKET"].total == Money(Decimal("5.29"), "EUR")
    assert "remote" in [line.kind for line in sylt["HERMES-PAKET"].lines]
    assert corsica["GLS-EUROBUSINESSPARCEL"].zone == "FR-CORSE"
    assert corsica["GLS-EUROBUSINESSPARCEL"].total > paris["GLS-EUROBUSINESSPARCEL"].total
    assert set(paris) == {"DHL-PAKET-INTERNATIONAL", "HERMES-PAKET-INTERNATIONAL", "GLS-EUROBUSINESSPARCEL"}


def test_bhx1_zones_the_highlands_apart_where_the_carrier_charges_them(demo):
    inverness = _quotes("BHX1", Parcel(1500, 300, 200, 150), Destination("GB", "IV2 3AB"))
    coventry = _quotes("BHX1", Parcel(1500, 300, 200, 150), Destination("GB", "CV1 2GT"))

    assert inverness["DPD-NEXT-DAY"].zone == "HIGHLANDS" and coventry["DPD-NEXT-DAY"].zone == "MAINLAND"
    assert inverness["RM-TRACKED-48"].total == coventry["RM-TRACKED-48"].total  # one price UK-wide
    assert inverness["EVRI-STANDARD"].total > coventry["EVRI-STANDARD"].total  # a remote surcharge
    assert min(coventry.values(), key=lambda q: q.total.amount) == coventry["EVRI-STANDARD"]
