"""The demo operators' carriers, services and rate cards: the named carriers of the sandbox adapter.

Pacific Gate ships from LAX1 with **USPS**, **UPS** and **FedEx** (US), zoned by ZIP prefix from Ontario, CA
(zones 2–8, and 9 for Alaska, Hawaii and Puerto Rico); EuroHub ships from BHX1 with **Royal Mail**, **Evri** and
**DPD** (GB: the Highlands and Islands apart where the carrier charges them apart) and from FRA1 with **DHL**,
**Hermes** and **GLS** (DE with the North Sea islands apart, and AT/BE/NL, FR with Corsica apart for the
European services).

The prices are the sandbox carrier's (``haicang.fulfillment.carriers.sandbox_services``: base + price per started
kilogram) — one set of demo figures, so that a label bought from the sandbox and the card's quote agree in the
nearest zone; farther zones scale them (:data:`US_ZONE_FACTORS`, :data:`EU_ZONE_FACTORS`). The transit days,
weight limits and dimensional-weight divisors are the sandbox service's too (no divisor: dimensional weight never
applies below the carrier's size limit); fuel, residential and remote surcharges are shaped like the carriers'
public lists. The network codes (``UPS``, ``ROYAL-MAIL``…) are the ones ``carriers.base.adapter_for`` accepts, and
each service code ends with its sandbox service's code (``UPS-NEXT-DAY-AIR`` → ``next_day_air``), so labels come
from the right service. Written through the services; idempotent: nothing happens when the carriers are there.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from haicang.core.actors import Actor
from haicang.core.money import Money
from haicang.fulfillment.carriers.sandbox_services import CARRIERS, SandboxService
from haicang.network.models import Carrier, CarrierService, Warehouse
from haicang.network.services.carriers import (
    ZoneSpec,
    carrier_create,
    carrier_service_create,
    rate_card_create,
)
from haicang.parties.models import Operator

FROM = dt.date(2026, 1, 1)
LB_G = Decimal("453.59237")
CENT = Decimal("0.01")
# Zones from ZIP 917 (Ontario, CA): prefixes, ground transit days. Zone 8 is the rest of the country.
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
DE_ISLANDS = ("18565", "25849", "25859", "25863", "25869", "25938", "25946", "25980", "25992", "25996", "25997",
              "25999", "26465", "26474", "26486", "26548", "26571", "26579", "26757", "27498", "83256")  # fmt: skip
# Whole postcode areas only: a district prefix such as PH17 would also catch PH1 7xx (docs/network.md).
GB_HIGHLANDS = ("HS", "ZE", "KW", "IV", "BT", "IM", "JE", "GY")


# How much farther zones cost than the nearest one (whose price is the sandbox's).
US_ZONE_FACTORS = {"2": "1.00", "3": "1.05", "4": "1.12", "5": "1.20", "6": "1.29", "7": "1.38", "8": "1.47", "9": "2.35"}  # fmt: skip
EU_ZONE_FACTORS = {"DE": "1.00", "DE-ISLANDS": "1.00", "EU1": "1.00", "EU2": "1.12", "FR-CORSE": "1.65"}
US_POUNDS = (*range(1, 21), 25, 30, 35, 40, 50, 60, 70)
KILOS = (Decimal("0.5"), 1, 2, 3, 5, 10, 15, 20, 25, Decimal("31.5"), 40, 50, 70)
EU_COUNTRIES = ("AT", "BE", "FR", "NL")
ONE_CUBIC_FOOT_MM3 = 28_316_847


@dataclass(frozen=True)
class CardSpec:
    """What a service's card adds to the sandbox's figures: its zones, surcharges and fuel."""

    zones: str  # "us", "uk", "uk-highlands", "de", "eu"
    fuel_pct: str = "0"
    fuel_on_surcharges: bool = False
    residential: str = "0"
    remote: str = "0"
    remote_areas: tuple[tuple[str, str], ...] = ()
    dim_threshold_mm3: int | None = None  # None: the sandbox's divisor applies from the first mm³
    highlands_extra: str = "0"  # added to every break of the HIGHLANDS zone


@dataclass(frozen=True)
class ServiceSpec:
    sandbox: str  # the sandbox service's code
    code: str  # the network service code (ends with the sandbox code where that is unambiguous)
    level: str
    countries: tuple[str, ...]
    card: CardSpec
    residential_allowed: bool = True


@dataclass(frozen=True)
class CarrierSpec:
    sandbox: str  # the adapter's carrier code
    code: str
    name: str
    warehouse: str
    tracking_url_template: str
    services: tuple[ServiceSpec, ...] = field(default_factory=tuple)


US_REMOTE_AREAS = tuple(("US", p) for p in US_REMOTE)
UK_REMOTE_AREAS = tuple(("GB", p) for p in GB_HIGHLANDS)
DE_REMOTE_AREAS = tuple(("DE", p) for p in DE_ISLANDS)
UPS_GROUND = CardSpec("us", fuel_pct="19.25", fuel_on_surcharges=True, residential="5.95", remote="4.45",
                      remote_areas=US_REMOTE_AREAS)  # fmt: skip
UPS_AIR = CardSpec("us", fuel_pct="22.75", fuel_on_surcharges=True, residential="6.40", remote="4.45",
                   remote_areas=US_REMOTE_AREAS)  # fmt: skip
FEDEX_GROUND = CardSpec(
    "us", fuel_pct="18.75", fuel_on_surcharges=True, remote="4.30", remote_areas=US_REMOTE_AREAS
)
FEDEX_HOME = CardSpec("us", fuel_pct="18.75", fuel_on_surcharges=True, residential="5.80", remote="4.30",
                      remote_areas=US_REMOTE_AREAS)  # fmt: skip
FEDEX_AIR = CardSpec("us", fuel_pct="22.25", fuel_on_surcharges=True, residential="6.30", remote="4.30",
                     remote_areas=US_REMOTE_AREAS)  # fmt: skip
USPS = CardSpec("us", dim_threshold_mm3=ONE_CUBIC_FOOT_MM3)  # postal: no fuel, no residential surcharge

CARRIER_SPECS: tuple[CarrierSpec, ...] = (
    CarrierSpec("usps", "USPS", "USPS", "LAX1", "https://tools.usps.com/go/TrackConfirmAction?tLabels={tracking_number}", (
        ServiceSpec("ground_advantage", "USPS-GROUND-ADVANTAGE", "ground", ("US",), USPS),
        ServiceSpec("priority_mail", "USPS-PRIORITY-MAIL", "expedited", ("US",), USPS),
        ServiceSpec("priority_mail_express", "USPS-PRIORITY-MAIL-EXPRESS", "express", ("US",), USPS),
    )),
    CarrierSpec("ups", "UPS", "UPS", "LAX1", "https://www.ups.com/track?tracknum={tracking_number}", (
        ServiceSpec("ground", "UPS-GROUND", "ground", ("US",), UPS_GROUND),
        ServiceSpec("three_day_select", "UPS-THREE-DAY-SELECT", "expedited", ("US",), UPS_AIR),
        ServiceSpec("second_day_air", "UPS-SECOND-DAY-AIR", "expedited", ("US",), UPS_AIR),
        ServiceSpec("next_day_air", "UPS-NEXT-DAY-AIR", "express", ("US",), UPS_AIR),
    )),
    CarrierSpec("fedex", "FEDEX", "FedEx", "LAX1", "https://www.fedex.com/fedextrack/?trknbr={tracking_number}", (
        # FedEx Ground delivers to businesses; homes get FedEx Home Delivery.
        ServiceSpec("ground", "FEDEX-GROUND", "ground", ("US",), FEDEX_GROUND, residential_allowed=False),
        ServiceSpec("home_delivery", "FEDEX-HOME-DELIVERY", "ground", ("US",), FEDEX_HOME),
        ServiceSpec("two_day", "FEDEX-TWO-DAY", "expedited", ("US",), FEDEX_AIR),
        ServiceSpec("priority_overnight", "FEDEX-PRIORITY-OVERNIGHT", "express", ("US",), FEDEX_AIR),
    )),
    CarrierSpec("royal_mail", "ROYAL-MAIL", "Royal Mail", "BHX1",
                "https://www.royalmail.com/track-your-item#/tracking-results/{tracking_number}", (
        # One price to every UK address (the Universal Service), no fuel surcharge.
        ServiceSpec("tracked_48", "RM-TRACKED-48", "ground", ("GB",), CardSpec("uk")),
        ServiceSpec("tracked_24", "RM-TRACKED-24", "expedited", ("GB",), CardSpec("uk")),
        ServiceSpec("special_delivery", "RM-SPECIAL-DELIVERY", "express", ("GB",), CardSpec("uk")),
    )),
    CarrierSpec("evri", "EVRI", "Evri", "BHX1", "https://www.evri.com/track/parcel/{tracking_number}", (
        ServiceSpec("standard", "EVRI-STANDARD", "ground", ("GB",),
                    CardSpec("uk", remote="2.50", remote_areas=UK_REMOTE_AREAS)),
        ServiceSpec("next_day", "EVRI-NEXT-DAY", "expedited", ("GB",),
                    CardSpec("uk", remote="2.50", remote_areas=UK_REMOTE_AREAS)),
    )),
    CarrierSpec("dpd", "DPD", "DPD", "BHX1", "https://track.dpd.co.uk/parcels/{tracking_number}", (
        ServiceSpec("two_day", "DPD-TWO-DAY", "ground", ("GB",), CardSpec("uk-highlands", fuel_pct="6.5", highlands_extra="9.00")),
        ServiceSpec("next_day", "DPD-NEXT-DAY", "expedited", ("GB",), CardSpec("uk-highlands", fuel_pct="6.5", highlands_extra="9.00")),
    )),
    CarrierSpec("dhl", "DHL", "DHL", "FRA1",
                "https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode={tracking_number}", (
        ServiceSpec("paket", "DHL-PAKET", "ground", ("DE",), CardSpec("de")),
        ServiceSpec("express_domestic", "DHL-EXPRESS-DOMESTIC", "express", ("DE",),
                    CardSpec("de", fuel_pct="18.5", remote="2.50", remote_areas=DE_REMOTE_AREAS)),
        ServiceSpec("paket_international", "DHL-PAKET-INTERNATIONAL", "ground", EU_COUNTRIES, CardSpec("eu")),
    )),
    CarrierSpec("hermes", "HERMES", "Hermes", "FRA1", "https://www.myhermes.de/empfangen/sendungsverfolgung/sendungsinformation/#{tracking_number}", (
        ServiceSpec("paket", "HERMES-PAKET", "ground", ("DE",),
                    CardSpec("de", fuel_pct="4.5", remote="1.90", remote_areas=DE_REMOTE_AREAS)),
        ServiceSpec("paket_international", "HERMES-PAKET-INTERNATIONAL", "ground", EU_COUNTRIES,
                    CardSpec("eu", fuel_pct="4.5")),
    )),
    CarrierSpec("gls", "GLS", "GLS", "FRA1", "https://gls-group.com/DE/de/paketverfolgung?match={tracking_number}", (
        ServiceSpec("business_parcel", "GLS-BUSINESS-PARCEL", "ground", ("DE",),
                    CardSpec("de", fuel_pct="7.5", remote="2.20", remote_areas=DE_REMOTE_AREAS)),
        ServiceSpec("express_parcel", "GLS-EXPRESS-PARCEL", "express", ("DE",),
                    CardSpec("de", fuel_pct="7.5", remote="2.20", remote_areas=DE_REMOTE_AREAS)),
        # Not "…-EURO-BUSINESS-PARCEL": that would also end with the domestic "business_parcel".
        ServiceSpec("euro_business_parcel", "GLS-EUROBUSINESSPARCEL", "ground", EU_COUNTRIES,
                    CardSpec("eu", fuel_pct="7.5")),
    )),
)  # fmt: skip


def _price(service: SandboxService, weight_g: int, factor: Decimal, extra: Decimal = Decimal(0)) -> Decimal:
    """The sandbox's price for ``weight_g`` (base + per started kilogram), scaled for the zone."""
    started_kg = math.ceil(weight_g / 1000)
    return ((service.base + service.per_kg * started_kg) * factor + extra).quantize(CENT, ROUND_HALF_UP)


def _breaks(service: SandboxService, weights: Sequence[int], currency: str, factor: Decimal,
            extra: Decimal = Decimal(0)) -> list[tuple[int, Money]]:  # fmt: skip
    return [
        (w, Money(_price(service, w, factor, extra), currency)) for w in weights if w <= service.max_weight_g
    ]


def _us_weights(service: SandboxService) -> list[int]:
    pounds = [int(lb * LB_G) for lb in US_POUNDS]
    heaviest = service.max_weight_g
    return [*(w for w in pounds if w < heaviest), heaviest]


def _kilo_weights(service: SandboxService) -> list[int]:
    grams = [int(Decimal(kg) * 1000) for kg in KILOS]
    return [*(w for w in grams if w < service.max_weight_g), service.max_weight_g]


def _zones(spec: ServiceSpec, service: SandboxService, currency: str) -> list[ZoneSpec]:
    card, days = spec.card, service.transit_days
    if card.zones == "us":
        weights = _us_weights(service)
        zones = []
        for zone, (prefixes, ground_days) in US_ZONES.items():
            # Ground and economy take the zone's days; air services their own (a day more to zone 9).
            zone_days = ground_days if days >= 3 else days + (1 if zone == "9" else 0)
            factor = Decimal(US_ZONE_FACTORS[zone])
            zones.append(
                ZoneSpec(
                    zone,
                    [("US", p) for p in prefixes],
                    _breaks(service, weights, currency, factor),
                    zone_days,
                )
            )
        return zones
    weights = _kilo_weights(service)
    one = Decimal(1)
    if card.zones == "uk":
        return [ZoneSpec("UK", [("GB", "")], _breaks(service, weights, currency, one), days)]
    if card.zones == "uk-highlands":
        return [
            ZoneSpec("MAINLAND", [("GB", "")], _breaks(service, weights, currency, one), days),
            ZoneSpec("HIGHLANDS", list(UK_REMOTE_AREAS),
                     _breaks(service, weights, currency, one, Decimal(card.highlands_extra)), days + 1),
        ]  # fmt: skip
    if card.zones == "de":
        return [
            ZoneSpec("DE", [("DE", "")], _breaks(service, weights, currency, one), days),
            ZoneSpec("DE-ISLANDS", list(DE_REMOTE_AREAS), _breaks(service, weights, currency, one), days + 1),
        ]
    factors = {name: Decimal(f) for name, f in EU_ZONE_FACTORS.items()}
    return [
        ZoneSpec("EU1", [("AT", ""), ("BE", ""), ("NL", "")], _breaks(service, weights, currency, factors["EU1"]), days),
        ZoneSpec("EU2", [("FR", "")], _breaks(service, weights, currency, factors["EU2"]), days + 1),
        ZoneSpec("FR-CORSE", [("FR", "20")], _breaks(service, weights, currency, factors["FR-CORSE"]), days + 3),
    ]  # fmt: skip


def _money(amount: str, currency: str) -> Money | None:
    value = Decimal(amount)
    return Money(value, currency) if value else None


def _card(
    actor: Actor, service: CarrierService, spec: ServiceSpec, sandbox: SandboxService, currency: str
) -> None:
    card = spec.card
    if sandbox.dim_divisor:
        divisor, threshold = sandbox.dim_divisor, card.dim_threshold_mm3 or 0
    else:  # no dimensional weight: a divisor that only applies above the largest parcel the service takes
        divisor, threshold = 5000, sandbox.max_weight_g * 5000
    rate_card_create(
        actor=actor, service=service, currency=currency, effective_from=FROM, dim_divisor=divisor,
        dim_threshold_mm3=threshold, fuel_surcharge_pct=Decimal(card.fuel_pct),
        fuel_on_surcharges=card.fuel_on_surcharges, residential_surcharge=_money(card.residential, currency),
        remote_surcharge=_money(card.remote, currency), remote_areas=list(card.remote_areas),
        zones=_zones(spec, sandbox, currency), source=f"demo: {sandbox.name} 2026 (sandbox prices)",
    )  # fmt: skip


def _carrier(actor: Actor, operator: Operator, warehouse: Warehouse, spec: CarrierSpec) -> Carrier:
    sandbox = CARRIERS[spec.sandbox]
    carrier = carrier_create(
        actor=actor, operator=operator, code=spec.code, name=spec.name,
        tracking_url_template=spec.tracking_url_template,
    )  # fmt: skip
    for service_spec in spec.services:
        found = sandbox.service(service_spec.sandbox)
        if found is None:  # pragma: no cover - the specs name the sandbox's services
            raise LookupError(f"the sandbox {spec.sandbox} carrier has no service {service_spec.sandbox}")
        service = carrier_service_create(
            actor=actor, carrier=carrier, code=service_spec.code, name=found.name,
            service_level=service_spec.level, transit_days_default=found.transit_days,
            countries=service_spec.countries, warehouses=[warehouse],
            residential_allowed=service_spec.residential_allowed,
        )  # fmt: skip
        _card(actor, service, service_spec, found, sandbox.currency)
    return carrier


OPERATOR_OF = {"LAX1": "pacific", "BHX1": "eurohub", "FRA1": "eurohub"}


def demo_carriers_build(*, actor: Actor) -> bool:
    """Seed the demo operators' carriers and cards unless there are some; True when seeded now."""
    operators = {o.code: o for o in Operator.objects.filter(code__in=set(OPERATOR_OF.values()))}
    warehouses = {w.code: w for w in Warehouse.objects.filter(code__in=list(OPERATOR_OF))}
    if (
        len(operators) != 2
        or len(warehouses) != 3
        or Carrier.objects.filter(operator__in=operators.values()).exists()
    ):
        return False
    for spec in CARRIER_SPECS:
        _carrier(actor, operators[OPERATOR_OF[spec.warehouse]], warehouses[spec.warehouse], spec)
    return True
