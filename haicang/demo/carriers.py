"""The demo operators' carriers, services and rate cards (generic carrier names, realistic shapes).

Pacific Gate ships from LAX1 with a postal-like ground service (dimensional weight only above one cubic foot,
no residential surcharge) and an integrator-like ground and two-day service (fuel on the surcharges,
residential and delivery-area surcharges), zoned by ZIP prefix from Ontario, CA. EuroHub ships from FRA1 with
a national parcel service and a European road service zoned by country, an express service, and from BHX1
with a UK next-day and a 48-hour economy service (Highlands and Islands as their own zone). Prices are demo
values. Written through the services; idempotent: nothing happens when the carriers are there already.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from haicang.core.actors import Actor
from haicang.core.money import Money
from haicang.network.models import Carrier, CarrierService, Warehouse
from haicang.network.services.carriers import (
    ZoneSpec,
    carrier_create,
    carrier_service_create,
    rate_card_create,
)
from haicang.parties.models import Operator

FROM = dt.date(2026, 1, 1)
LB = 454  # grams, rounded up
US_LIGHT = [113, 227, 340]  # 4, 8, 12 oz
# Zones from ZIP 917 (Ontario, CA): prefixes, transit days. Zone 8 is the rest of the country.
US_ZONES: dict[str, tuple[tuple[str, ...], int]] = {
    "2": (("900", "901", "902", "903", "904", "905", "906", "907", "908", "910", "911", "912", "913", "914",
           "915", "916", "917", "918", "919", "920", "921", "922", "923", "924", "925", "926", "927", "928"), 1),
    "3": (("930", "931", "932", "933", "934", "935", "936", "937", "889", "890", "891", "893"), 2),
    "4": (("850", "852", "853", "855", "856", "857", "859", "860", "863", "864", "865", "938", "939", "940",
           "941", "942", "943", "944", "945", "946", "947", "948", "949", "950", "951", "952", "953", "954",
           "955", "956", "957", "958", "959", "960", "961", "840", "841", "842", "843", "844", "845", "846",
           "847"), 3),
    "5": (("970", "971", "972", "973", "974", "975", "976", "977", "978", "979", "980", "981", "982", "983",
           "984", "985", "986", "988", "989", "990", "991", "992", "993", "994", "800", "801", "802", "803",
           "804", "805", "806", "807", "808", "809", "810", "811", "812", "813", "814", "815", "816", "832",
           "833", "834", "835", "836", "837", "838", "870", "871", "873", "874", "875", "877", "878", "879",
           "880", "881", "882", "883", "884", "590", "591", "592", "593", "594", "595", "596", "597", "598",
           "599"), 4),
    "6": (("750", "751", "752", "753", "754", "755", "756", "757", "758", "759", "760", "761", "762", "763",
           "764", "765", "766", "767", "768", "769", "770", "772", "773", "774", "775", "776", "777", "778",
           "779", "780", "781", "782", "783", "784", "785", "786", "787", "788", "789", "790", "791", "792",
           "793", "794", "795", "796", "797", "798", "799", "660", "661", "662", "664", "665", "666", "667",
           "668", "669", "670", "671", "672", "673", "674", "675", "676", "677", "678", "679", "680", "681",
           "683", "684", "685", "686", "687", "688", "689", "690", "691", "692", "693", "730", "731", "734",
           "735", "736", "737", "738", "739", "740", "741", "743", "744", "745", "746", "747", "748", "749",
           "570", "571", "572", "573", "574", "575", "576", "577", "580", "581", "582", "583", "584", "585",
           "586", "587", "588"), 4),
    "7": (("600", "601", "602", "603", "604", "605", "606", "607", "608", "609", "610", "611", "612", "613",
           "614", "615", "616", "617", "618", "619", "620", "622", "623", "624", "625", "626", "627", "628",
           "629", "630", "631", "633", "634", "635", "636", "637", "638", "639", "640", "641", "644", "645",
           "646", "647", "648", "649", "650", "651", "652", "653", "654", "655", "656", "657", "658", "700",
           "701", "703", "704", "705", "706", "707", "708", "710", "711", "712", "713", "714", "716", "717",
           "718", "719", "720", "721", "722", "723", "724", "725", "726", "727", "728", "729", "530", "531",
           "532", "534", "535", "537", "538", "539", "540", "541", "542", "543", "544", "545", "546", "547",
           "548", "549", "550", "551", "553", "554", "555", "556", "557", "558", "559", "560", "561", "562",
           "563", "564", "565", "566", "567", "500", "501", "502", "503", "504", "505", "506", "507", "508",
           "509", "510", "511", "512", "513", "514", "515", "516", "520", "521", "522", "523", "524", "525",
           "526", "527", "528"), 5),
    "8": (("",), 5),
    "9": (("967", "968", "995", "996", "997", "998", "999"), 7),
}  # fmt: skip
US_REMOTE = ("995", "996", "997", "998", "999", "967", "968", "006", "007", "009")  # AK, HI, PR
# (zone → first-pound price, price per further pound)
SPS_GROUND = {"2": ("5.40", "0.42"), "3": ("5.65", "0.55"), "4": ("5.95", "0.71"), "5": ("6.30", "0.93"),
              "6": ("6.70", "1.14"), "7": ("7.05", "1.36"), "8": ("7.45", "1.61"), "9": ("14.90", "3.85")}  # fmt: skip
CPX_GROUND = {"2": ("10.15", "0.36"), "3": ("10.65", "0.49"), "4": ("11.40", "0.68"), "5": ("11.95", "0.91"),
              "6": ("12.55", "1.12"), "7": ("13.10", "1.37"), "8": ("13.70", "1.62"), "9": ("38.40", "4.25")}  # fmt: skip
CPX_2DAY = {"2": ("21.90", "1.45"), "3": ("23.60", "1.80"), "4": ("26.10", "2.35"), "5": ("28.75", "2.90"),
            "6": ("31.20", "3.40"), "7": ("33.80", "3.95"), "8": ("36.45", "4.50"), "9": ("52.90", "6.80")}  # fmt: skip

DE_ISLANDS = ("18565", "25849", "25859", "25863", "25869", "25938", "25946", "25980", "25992", "25996", "25997",
              "25999", "26465", "26474", "26486", "26548", "26571", "26579", "26757", "27498", "83256")  # fmt: skip
# Whole postcode areas only: a district prefix such as PH17 would also catch PH1 7xx (docs/network.md).
GB_HIGHLANDS = ("HS", "ZE", "KW", "IV", "BT", "IM", "JE", "GY")


def _money(amount: Decimal | str, currency: str) -> Money:
    return Money(Decimal(amount), currency)


def _us_zones(table: dict[str, tuple[str, str]], weights: Sequence[int], *, light: bool) -> list[ZoneSpec]:
    zones = []
    for zone, (prefixes, days) in US_ZONES.items():
        first, step = (Decimal(v) for v in table[zone])
        breaks = [
            (w, _money(first * Decimal("0.80") + Decimal("0.05") * i, "USD")) for i, w in enumerate(US_LIGHT)
        ]
        breaks = breaks if light else []
        breaks += [(pounds * LB, _money(first + step * (pounds - 1), "USD")) for pounds in weights]
        zones.append(ZoneSpec(zone, [("US", p) for p in prefixes], breaks, days))
    return zones


def _kg_zones(
    rows: Sequence[tuple[str, Sequence[tuple[str, str]], int, Sequence[str]]],
    currency: str,
    kilos: Sequence[int],
) -> list[ZoneSpec]:
    """Zones priced per weight step: (name, areas, transit days, prices per step in ``kilos``)."""
    return [
        ZoneSpec(
            name,
            list(areas),
            [(kg * 1000, _money(price, currency)) for kg, price in zip(kilos, prices, strict=True)],
            days,
        )
        for name, areas, days, prices in rows
    ]


def _service(
    actor: Actor, carrier: Carrier, warehouse: Warehouse, code: str, name: str, level: str, days: int,
    countries: Sequence[str], *, residential: bool = True,
) -> CarrierService:  # fmt: skip
    return carrier_service_create(
        actor=actor, carrier=carrier, code=code, name=name, service_level=level, transit_days_default=days,
        countries=countries, warehouses=[warehouse], residential_allowed=residential,
    )  # fmt: skip


def _pacific(actor: Actor, operator: Operator, lax1: Warehouse) -> None:
    postal = carrier_create(
        actor=actor, operator=operator, code="SPS", name="Stateside Postal Service",
        tracking_url_template="https://track.stateside-postal.example/?n={tracking_number}",
    )  # fmt: skip
    parcel = carrier_create(
        actor=actor, operator=operator, code="CPX", name="Continental Parcel Express",
        tracking_url_template="https://www.cpx.example/track/{tracking_number}",
    )  # fmt: skip
    ground = _service(actor, postal, lax1, "SPS-GROUND", "Ground Advantage", "ground", 5, ["US"])
    rate_card_create(
        actor=actor, service=ground, currency="USD", effective_from=FROM, dim_divisor=6000,
        dim_threshold_mm3=28_316_847, zones=_us_zones(SPS_GROUND, range(1, 21), light=True),
        source="demo: SPS retail ground 2026",
    )  # fmt: skip
    for service, table, fuel, two_day in (
        (
            _service(actor, parcel, lax1, "CPX-GROUND", "CPX Ground", "ground", 5, ["US"]),
            CPX_GROUND,
            "16.25",
            False,
        ),
        (
            _service(actor, parcel, lax1, "CPX-2DAY", "CPX 2nd Day Air", "expedited", 2, ["US"]),
            CPX_2DAY,
            "19.75",
            True,
        ),
    ):
        zones = _us_zones(table, range(1, 51), light=False)
        if two_day:  # every zone in two days
            zones = [ZoneSpec(z.name, z.areas, z.breaks, 2) for z in zones]
        rate_card_create(
            actor=actor, service=service, currency="USD", effective_from=FROM, dim_divisor=5000,
            fuel_surcharge_pct=Decimal(fuel), fuel_on_surcharges=True,
            residential_surcharge=_money("5.55", "USD"), remote_surcharge=_money("3.95", "USD"),
            remote_areas=[("US", p) for p in US_REMOTE], zones=zones, source=f"demo: {service.code} 2026",
        )  # fmt: skip


def _eurohub(actor: Actor, operator: Operator, fra1: Warehouse, bhx1: Warehouse) -> None:
    post = carrier_create(
        actor=actor, operator=operator, code="EPP", name="EuroPost Paket",
        tracking_url_template="https://www.europost.example/sendung/{tracking_number}",
    )  # fmt: skip
    direct = carrier_create(
        actor=actor, operator=operator, code="DPE", name="Direct Parcel Europe",
        tracking_url_template="https://tracking.dpe.example/parcel/{tracking_number}",
    )  # fmt: skip
    albion = carrier_create(
        actor=actor, operator=operator, code="ABP", name="Albion Post",
        tracking_url_template="https://www.albion-post.example/track?ref={tracking_number}",
    )  # fmt: skip
    kilos = (1, 2, 5, 10, 20, 31)
    paket = _service(actor, post, fra1, "EPP-PAKET", "Paket National", "ground", 2, ["DE"])
    rate_card_create(
        actor=actor, service=paket, currency="EUR", effective_from=FROM, dim_divisor=5000,
        fuel_surcharge_pct=Decimal("4.5"), remote_surcharge=_money("1.90", "EUR"),
        remote_areas=[("DE", p) for p in DE_ISLANDS], source="demo: EPP Paket 2026",
        zones=_kg_zones(
            [("DE", [("DE", "")], 1, ("3.89", "4.29", "5.19", "7.49", "11.90", "15.90")),
             ("DE-ISLANDS", [("DE", p) for p in DE_ISLANDS], 3, ("6.40", "6.80", "7.70", "10.00", "14.40", "18.40"))],
            "EUR", kilos,
        ),
    )  # fmt: skip
    road = _service(
        actor, direct, fra1, "DPE-CLASSIC", "Classic (road)", "ground", 3, ["DE", "AT", "BE", "FR", "NL"]
    )
    rate_card_create(
        actor=actor, service=road, currency="EUR", effective_from=FROM, dim_divisor=6000,
        fuel_surcharge_pct=Decimal("7.5"), residential_surcharge=_money("0.45", "EUR"), source="demo: DPE Classic",
        zones=_kg_zones(
            [("DE", [("DE", "")], 1, ("4.35", "4.75", "5.60", "7.80", "11.20", "14.90")),
             ("EU1", [("AT", ""), ("BE", ""), ("NL", "")], 2, ("8.90", "9.60", "11.40", "14.80", "21.50", "27.90")),
             ("EU2", [("FR", "")], 3, ("9.80", "10.70", "12.90", "16.90", "24.60", "31.80")),
             ("FR-CORSE", [("FR", "20")], 5, ("17.80", "18.70", "20.90", "24.90", "32.60", "39.80"))],
            "EUR", kilos,
        ),
    )  # fmt: skip
    express = _service(
        actor, direct, fra1, "DPE-EXPRESS12", "Express 12:00", "express", 1, ["DE", "AT", "BE", "NL"]
    )
    rate_card_create(
        actor=actor, service=express, currency="EUR", effective_from=FROM, dim_divisor=5000,
        fuel_surcharge_pct=Decimal("18.5"), fuel_on_surcharges=True, residential_surcharge=_money("1.20", "EUR"),
        source="demo: DPE Express 12",
        zones=_kg_zones(
            [("DE", [("DE", "")], 1, ("12.90", "13.80", "16.40", "20.90", "29.80", "38.50")),
             ("EU1", [("AT", ""), ("BE", ""), ("NL", "")], 1, ("24.50", "26.10", "30.80", "38.90", "54.20", "69.90"))],
            "EUR", kilos,
        ),
    )  # fmt: skip
    next_day = _service(actor, direct, bhx1, "DPE-UK-NEXTDAY", "UK Next Day", "expedited", 1, ["GB"])
    rate_card_create(
        actor=actor, service=next_day, currency="GBP", effective_from=FROM, dim_divisor=5000,
        fuel_surcharge_pct=Decimal("6.0"), source="demo: DPE UK",
        zones=_kg_zones(
            [("MAINLAND", [("GB", "")], 1, ("5.95", "6.35", "7.20", "9.10", "12.80", "16.40")),
             ("HIGHLANDS", [("GB", p) for p in GB_HIGHLANDS], 2, ("14.95", "15.35", "16.20", "18.10", "21.80", "25.40"))],
            "GBP", kilos,
        ),
    )  # fmt: skip
    tracked = _service(actor, albion, bhx1, "ABP-TRACKED48", "Tracked 48", "economy", 3, ["GB"])
    rate_card_create(
        actor=actor, service=tracked, currency="GBP", effective_from=FROM, dim_divisor=5000,
        source="demo: Albion Tracked 48",
        zones=_kg_zones(
            [("UK", [("GB", "")], 2, ("3.35", "3.95", "5.45", "8.25", "13.95", "19.95"))], "GBP", kilos,
        ),
    )  # fmt: skip


def demo_carriers_build(*, actor: Actor) -> bool:
    """Seed the demo operators' carriers and cards unless there are some; True when seeded now."""
    operators = {o.code: o for o in Operator.objects.filter(code__in=["pacific", "eurohub"])}
    warehouses = {w.code: w for w in Warehouse.objects.filter(code__in=["LAX1", "FRA1", "BHX1"])}
    if (
        len(operators) != 2
        or len(warehouses) != 3
        or Carrier.objects.filter(operator__in=operators.values()).exists()
    ):
        return False
    _pacific(actor, operators["pacific"], warehouses["LAX1"])
    _eurohub(actor, operators["eurohub"], warehouses["FRA1"], warehouses["BHX1"])
    return True
