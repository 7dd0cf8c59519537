"""The ``rate_card`` import kind: a realistic card in, all or nothing, every problem with row and column."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from haicang.core.money import Money
from haicang.exchange.registry import ImportContext, importers
from haicang.exchange.running import import_run
from haicang.network.carrier_selectors import rate_card_in_effect, rate_quotes
from haicang.network.models import RateCard, RateCardRemoteArea, RateZone, RateZoneArea, WeightBreak
from haicang.network.rates import Destination, Parcel, Quote
from haicang.network.tests.carrier_factories import make_card, make_carrier, make_service
from haicang.network.tests.factories import SYSTEM, make_warehouse
from haicang.parties.tests.factories import make_operator

pytestmark = pytest.mark.django_db

LB = 454
# A generic US ground card from Ontario, CA (ZIP 917): zones by ZIP prefix, transit days, 1–10 lb.
ZONES = {
    "2": ("90|91|92|930|931|932|933|934|935", 1),
    "3": ("936|937|938|939|889|890|891", 2),
    "4": ("85|86|94|95|960|961", 3),
    "5": ("97|98|80|81|83|84", 4),
    "6": ("75|76|77|78|79|66|67|68|69", 4),
    "7": ("60|61|62|63|64|65|70|71|72|73|74|53|54|55|56|57|58|59", 5),
    "8": ("", 5),  # the rest of the country
    "9": ("967|968|995|996|997|998|999", 7),
}
BASE = {
    "2": "9.05",
    "3": "9.45",
    "4": "10.10",
    "5": "10.60",
    "6": "11.15",
    "7": "11.70",
    "8": "12.25",
    "9": "31.80",
}
STEP = {
    "2": "0.38",
    "3": "0.52",
    "4": "0.71",
    "5": "0.95",
    "6": "1.18",
    "7": "1.42",
    "8": "1.66",
    "9": "4.10",
}
HEADER = (
    "service_code,currency,effective_from,dim_divisor,fuel_surcharge_pct,fuel_on_surcharges,"
    "residential_surcharge,remote_surcharge,zone,country,postcode_prefixes,transit_days,max_weight_g,price,"
    "remote_postcode_prefixes"
)


def us_ground_csv(*, effective_from: str = "2027-01-05") -> str:
    lines = [HEADER]
    card = f"UPX-GROUND,USD,{effective_from},5000,15.75,yes,5.55,3.95"
    for zone, (prefixes, days) in ZONES.items():
        for pounds in range(1, 11):
            price = Decimal(BASE[zone]) + Decimal(STEP[zone]) * (pounds - 1)
            remote = "995|996|997|998|999|967|968" if zone == "8" and pounds == 1 else ""
            head = card if not lines[1:] else ",,,,,,,"  # the card's values on the first row only
            lines.append(f"{head},{zone},US,{prefixes},{days},{pounds * LB},{price},{remote}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def operator():
    return make_operator(code="pacific", country="US", currency="USD")


@pytest.fixture
def lax1(operator):
    return make_warehouse(operator, code="LAX1", country="US")


@pytest.fixture
def ground(operator, lax1):
    carrier = make_carrier(operator, code="UPX")
    return make_service(
        carrier, code="UPX-GROUND", warehouses=[lax1], countries=["US"], transit_days_default=5
    )


def run(operator, text: str, **kwargs):
    return import_run(
        importer=importers.get("rate_card"),
        context=ImportContext(actor=SYSTEM, owner=operator, filename="upx-ground-2027.csv"),
        data=text.encode(),
        fmt="csv",
        **kwargs,
    )


def test_the_rate_card_kind_is_registered_for_operators_with_network_write():
    importer = importers.get("rate_card")

    assert importer.party_kinds == ("operator",) and importer.permission == "network:write"
    assert {"service_code", "zone", "max_weight_g", "price"} <= {c.name for c in importer.columns}


def test_a_realistic_us_ground_card_imports_whole_and_quotes(operator, lax1, ground):
    outcome = run(operator, us_ground_csv())

    assert outcome.problems == []
    assert outcome.counts == {
        "cards": 1,
        "zones": 8,
        "zone_areas": 63,
        "weight_breaks": 80,
        "remote_areas": 7,
    }
    card = RateCard.objects.get(service=ground)
    assert (card.currency, card.effective_from, card.dim_divisor) == ("USD", dt.date(2027, 1, 5), 5000)
    assert card.fuel_surcharge_pct == Decimal("15.75") and card.fuel_on_surcharges
    assert (
        card.residential_surcharge == Money(Decimal("5.55"), "USD") and card.source == "upx-ground-2027.csv"
    )
    assert RateZone.objects.get(card=card, name="9").transit_days == 7
    assert RateZoneArea.objects.filter(card=card, zone__name="8", prefix="").count() == 1
    assert RateCardRemoteArea.objects.filter(card=card).count() == 7
    assert WeightBreak.objects.get(zone__card=card, zone__name="2", max_weight_g=3 * LB).price == Money(
        Decimal("9.81"), "USD"
    )

    # when a 2.2 lb parcel goes to a home in Anchorage (zone 9, remote)
    [answer] = rate_quotes(
        warehouse=lax1,
        parcel=Parcel(1000, 300, 200, 150),  # dim 1 800 g: billable 1 800 g → ≤ 4 lb
        destination=Destination("US", "99501", residential=True),
        on=dt.date(2027, 2, 1),
    )
    quote = answer.result
    assert isinstance(quote, Quote) and quote.zone == "9" and quote.transit_days == 7
    # (31.80 + 3 × 4.10 + 5.55 + 3.95) × 1.1575 = 53.60 × 1.1575 = 62.042
    assert quote.total == Money(Decimal("62.04"), "USD")


def test_a_second_card_from_a_later_date_ends_the_first(operator, ground):
    assert run(operator, us_ground_csv(effective_from="2027-01-05")).problems == []

    assert run(operator, us_ground_csv(effective_from="2027-07-01")).problems == []

    first = RateCard.objects.get(service=ground, effective_from=dt.date(2027, 1, 5))
    assert first.effective_to == dt.date(2027, 6, 30)
    second = rate_card_in_effect(ground, dt.date(2027, 7, 1))
    assert second is not None and second.effective_from == dt.date(2027, 7, 1)


def test_every_problem_is_listed_with_row_and_column_and_nothing_is_written(operator, ground):
    rows = [
        HEADER,
        "UPX-GROUND,USD,2027-01-05,5000,15.75,yes,5.55,3.95,2,US,90|91,1,454,9.05,",
        ",,,,,,,,2,US,,1,908,9.43,",  # row 3: zone 2 again (its prefixes are on row 2)
        ",,,,,,,,8,US,91,5,454,12.25,",  # row 4: 91 is zone 2's already
        ",EUR,,,,,,,8,US,,5,908,12.00,",  # row 5: another currency; price below the lighter break
        ",,,,,,,,8,US,,6,1362,13.00,",  # row 6: other transit days for zone 8
        ",,,,,,,,8,US,,,1362,13.50,",  # row 7: the break twice
        ",,,,,,,,9,,967,7,454,heavy,",  # row 8: prefixes without a country; a price that is no amount
        ",,,,,,,,9,XX,,7,0,31.80,",  # row 9: no such country; zero grams
        ",,,,,,,,,US,,,,,",  # row 10: no zone
        ",,,,,,,,7,US,,,454,,",  # row 11: a break without a price
    ]

    outcome = run(operator, "\n".join(rows) + "\n")

    found = {(p.row, p.column, p.code.rsplit(".", 1)[1]) for p in outcome.problems}
    assert found == {
        (4, "postcode_prefixes", "area_duplicate"),
        (5, "currency", "card_value_conflict"),
        (5, "price", "value_invalid"),
        (6, "transit_days", "transit_conflict"),
        (7, "max_weight_g", "break_duplicate"),
        (8, "postcode_prefixes", "country_missing"),
        (8, "price", "value_invalid"),
        (9, "country", "value_invalid"),
        (9, "max_weight_g", "value_invalid"),
        (10, "zone", "value_invalid"),
        (11, "price", "break_incomplete"),
    }
    assert not RateCard.objects.exists()


def test_an_unknown_service_and_a_missing_card_value_are_problems(operator, ground):
    text = "service_code,currency,effective_from,dim_divisor,zone,country,max_weight_g,price\n"
    text += "UPX-NOPE,USD,,5000,2,US,454,9.05\n"

    outcome = run(operator, text)

    found = {(p.row, p.column, p.code.rsplit(".", 1)[1]) for p in outcome.problems}
    assert found == {(2, "service_code", "service_unknown"), (None, "effective_from", "card_value_missing")}


def test_another_operators_service_is_unknown(operator, ground):
    outcome = run(make_operator(), us_ground_csv())

    assert [p.code for p in outcome.problems] == ["network.rate_import.service_unknown"]


def test_a_card_overlapping_a_later_one_is_refused_at_validation(operator, ground):
    make_card(ground, currency="USD", effective_from=dt.date(2027, 3, 1), zones=None)

    outcome = run(operator, us_ground_csv(effective_from="2027-01-05"))
    # an open-ended card from 2027-01-05 would run into the card from 2027-03-01
    assert [p.code for p in outcome.problems] == ["network.rate_import.card_overlap"]
    assert RateCard.objects.count() == 1


def test_a_profile_default_can_give_the_card_values_and_headers_map_by_synonym(operator, ground):
    text = "Service,Zone,Country,Postcodes,Transit,Max weight,Rate\n"
    text += "UPX-GROUND,2,US,90|91,1,454,9.05\n,2,US,,1,908,9.43\n,8,US,,5,908,13.91\n"

    outcome = run(
        operator,
        text,
        defaults={"currency": "USD", "effective_from": "2027-01-05", "dim_divisor": "5000"},
    )

    assert outcome.problems == []
    assert outcome.counts["weight_breaks"] == 3
