"""The carrier pages through Django's test client: list, add, card matrix, archive, quote form."""

from __future__ import annotations

from decimal import Decimal

import pytest

from haicang.network.models import Carrier, CarrierService, RateCard
from haicang.network.tests.carrier_factories import flat_zone, make_card, make_carrier, make_service
from haicang.network.tests.factories import make_warehouse
from haicang.parties.tests.factories import make_agreement, make_member, make_operator, make_seller

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    operator = make_operator(code="rhein")
    fra1 = make_warehouse(operator, code="FRA1", markets=["DE", "AT"])
    dpx = make_carrier(operator, code="DPX", name="Parcel Express")
    classic = make_service(dpx, code="DPX-CLASSIC", name="Classic", warehouses=[fra1], countries=["DE", "AT"])
    card = make_card(
        classic,
        zones=[
            flat_zone("DE", "DE", [(1000, "4.50"), (2000, "5.20")], "EUR", transit_days=1),
            flat_zone("AT", "AT", [(2000, "8.10")], "EUR", transit_days=2),
        ],
        fuel_surcharge_pct=Decimal("8.5"),
    )
    return {"operator": operator, "fra1": fra1, "dpx": dpx, "classic": classic, "card": card}


def _login(client, party, role):
    client.force_login(make_member(party, role).user)
    return client


def test_an_operator_sees_its_carriers_services_and_cards_and_the_navigation_entry(client, world):
    make_carrier(make_operator(), code="NOT-OURS")

    html = _login(client, world["operator"], "manager").get("/network/carriers/").content.decode()

    assert "DPX-CLASSIC" in html and "Parcel Express" in html and "FRA1" in html
    assert f'href="/network/rate-cards/{world["card"].pk}/"' in html
    assert "NOT-OURS" not in html
    assert 'href="/network/carriers/"' in html
    assert "Add a carrier" in html and "?kind=rate_card" in html


def test_a_seller_sees_the_services_of_its_warehouses_but_no_forms(client, world):
    seller = make_seller()
    make_agreement(seller, world["operator"], warehouses=[world["fra1"]])
    make_service(make_carrier(world["operator"], code="ELSE"), code="ELSEWHERE", countries=["DE"])

    html = _login(client, seller, "viewer").get("/network/carriers/").content.decode()

    assert "DPX-CLASSIC" in html and "ELSEWHERE" not in html
    assert "Add a carrier" not in html


def test_an_operator_adds_a_carrier_and_a_service_from_the_page(client, world):
    client = _login(client, world["operator"], "owner")

    added = client.post(
        "/network/carriers/new/",
        {
            "carrier-code": "glx",
            "carrier-name": "Global Logistics Express",
            "carrier-tracking_url_template": "",
        },
    )
    carrier = Carrier.objects.get(operator=world["operator"], code="GLX")
    service = client.post(
        "/network/carrier-services/new/",
        {
            "service-carrier": str(carrier.pk),
            "service-code": "GLX-PARCEL",
            "service-name": "Parcel",
            "service-service_level": "ground",
            "service-warehouses": [str(world["fra1"].pk)],
            "service-countries": "de, at",
            "service-transit_days_default": "2",
            "service-residential_allowed": "on",
        },
    )
    taken = client.post("/network/carriers/new/", {"carrier-code": "GLX", "carrier-name": "Again"})

    assert added.status_code == 302 and service.status_code == 302
    created = CarrierService.objects.get(code="GLX-PARCEL")
    assert sorted(created.countries.values_list("country", flat=True)) == ["AT", "DE"]
    assert taken.status_code == 400 and "GLX" in taken.content.decode()


def test_a_warehouse_staff_member_cannot_add_carriers(client, world):
    response = _login(client, world["operator"], "warehouse_staff").post(
        "/network/carriers/new/", {"carrier-code": "X", "carrier-name": "X"}
    )

    assert response.status_code == 403


def test_a_card_shows_its_zones_and_a_weight_by_zone_price_table_and_can_be_archived(client, world):
    client = _login(client, world["operator"], "manager")
    url = f"/network/rate-cards/{world['card'].pk}/"

    html = client.get(url).content.decode()
    archived = client.post(url)

    assert "8.5 %" in html and "5000 cm³/kg" in html
    assert '<th scope="row" class="num">2000</th><td class="num">8.10</td><td class="num">5.20</td>' in html
    assert '<th scope="row" class="num">1000</th><td class="num">—</td><td class="num">4.50</td>' in html
    assert archived.status_code == 302
    assert not RateCard.objects.get(pk=world["card"].pk).is_active


def test_another_operators_card_is_not_found(client, world):
    response = _login(client, make_operator(), "owner").get(f"/network/rate-cards/{world['card'].pk}/")

    assert response.status_code == 404


def test_the_quote_form_prices_every_service_cheapest_first_with_reasons_for_the_rest(client, world):
    cheap = make_service(
        make_carrier(world["operator"], code="GLX"),
        code="GLX-HOME",
        warehouses=[world["fra1"]],
        countries=["DE"],
    )
    make_card(cheap, zones=[flat_zone("DE", "DE", [(1000, "3.90")], "EUR")])
    query = {
        "warehouse": str(world["fra1"].pk),
        "weight_g": "1500",
        "length_mm": "200",
        "width_mm": "150",
        "height_mm": "100",
        "country": "de",
        "postcode": "60311",
        "on": "2026-11-20",
    }

    html = (
        _login(client, world["operator"], "warehouse_staff")
        .get("/network/rate-quote/", query)
        .content.decode()
    )

    assert html.index("DPX-CLASSIC") < html.index("GLX-HOME")  # GLX cannot carry 1.5 kg
    assert "EUR 5.64" in html  # 5.20 + 8.5 %
    assert "Too heavy for the rate card" in html
    assert "Fuel surcharge" in html
