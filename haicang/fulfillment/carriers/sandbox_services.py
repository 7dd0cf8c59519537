"""The sandbox carrier's services: per carrier its home country, currency and services with demo prices, transit
days, weight limits, dimensional-weight divisor and how their tracking numbers are made. Pure: no Django.

Prices are demo values (base + price per started kilogram of the billable weight); rate shopping proper uses the
operator's rate cards. The account parts inside the sandbox's numbers (UPS shipper, USPS mailer ID, depots) are
the sandbox's own (:data:`SANDBOX_ACCOUNT`); service-type codes and S10 service-indicator letters are examples.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from haicang.fulfillment.carriers.base import ServiceKind

EXPRESS, POSTAL = ServiceKind.EXPRESS, ServiceKind.POSTAL

# The sandbox's own account parts inside the real formats.
SANDBOX_ACCOUNT: Mapping[str, str] = MappingProxyType(
    {
        "ups_shipper": "HC58X1",  # 6 characters
        "usps_mailer_id": "881234",  # 6 digits
        "gls_depot": "60",
        "dpd_depot": "0995",
        "evri_client": "01",
    }
)


@dataclass(frozen=True)
class SandboxService:
    code: str
    name: str
    kind: ServiceKind
    international: bool
    transit_days: int
    base: Decimal
    per_kg: Decimal
    max_weight_g: int
    dim_divisor: int  # cm³ per kg (= mm³ per g); 0: no dimensional weight
    number: str  # how its tracking numbers are made: "<format>" or "<format>:<part>"


@dataclass(frozen=True)
class SandboxCarrierSpec:
    code: str
    home_country: str  # "" : every country is home (the generic sandbox carrier)
    currency: str
    services: tuple[SandboxService, ...]

    def service(self, code: str) -> SandboxService | None:
        return next((s for s in self.services if s.code == code), None)


def _svc(
    code: str,
    name: str,
    kind: ServiceKind,
    days: int,
    base: str,
    per_kg: str,
    max_kg: Decimal | int,
    number: str,
    *,
    international: bool = False,
    dim_divisor: int = 5000,
) -> SandboxService:
    max_g = int(Decimal(max_kg) * 1000)
    return SandboxService(
        code, name, kind, international, days, Decimal(base), Decimal(per_kg), max_g, dim_divisor, number
    )


CARRIERS: Mapping[str, SandboxCarrierSpec] = MappingProxyType(
    {
        spec.code: spec
        for spec in (
            SandboxCarrierSpec(
                "ups",
                "US",
                "USD",
                (
                    _svc("ground", "UPS Ground", EXPRESS, 4, "9.50", "1.10", 68, "ups:03"),
                    _svc("three_day_select", "UPS 3 Day Select", EXPRESS, 3, "14.80", "1.90", 68, "ups:12"),
                    _svc("second_day_air", "UPS 2nd Day Air", EXPRESS, 2, "21.40", "2.80", 68, "ups:02"),
                    _svc("next_day_air", "UPS Next Day Air", EXPRESS, 1, "36.90", "4.10", 68, "ups:01"),
                    _svc(
                        "worldwide_express",
                        "UPS Worldwide Express",
                        EXPRESS,
                        3,
                        "68.00",
                        "9.50",
                        68,
                        "ups:66",
                        international=True,
                    ),
                ),
            ),
            SandboxCarrierSpec(
                "usps",
                "US",
                "USD",
                (
                    _svc(
                        "ground_advantage", "USPS Ground Advantage", POSTAL, 4, "5.40", "0.90", 31, "impb:001"
                    ),
                    _svc("priority_mail", "USPS Priority Mail", POSTAL, 2, "9.35", "1.60", 31, "impb:055"),
                    _svc(
                        "priority_mail_express",
                        "USPS Priority Mail Express",
                        POSTAL,
                        1,
                        "30.45",
                        "3.10",
                        31,
                        "impb:701",
                    ),
                    _svc(
                        "priority_mail_international",
                        "USPS Priority Mail International",
                        POSTAL,
                        8,
                        "48.00",
                        "6.50",
                        20,
                        "s10:CP",
                        international=True,
                    ),
                    _svc(
                        "first_class_international",
                        "USPS First-Class Package International",
                        POSTAL,
                        10,
                        "16.50",
                        "12.00",
                        Decimal("1.8"),
                        "s10:LX",
                        international=True,
                    ),
                ),
            ),
            SandboxCarrierSpec(
                "fedex",
                "US",
                "USD",
                (
                    _svc("ground", "FedEx Ground", EXPRESS, 4, "9.80", "1.05", 68, "fedex"),
                    _svc("home_delivery", "FedEx Home Delivery", EXPRESS, 4, "10.40", "1.05", 68, "fedex"),
                    _svc("two_day", "FedEx 2Day", EXPRESS, 2, "22.10", "2.90", 68, "fedex"),
                    _svc(
                        "priority_overnight",
                        "FedEx Priority Overnight",
                        EXPRESS,
                        1,
                        "41.50",
                        "4.60",
                        68,
                        "fedex",
                    ),
                    _svc(
                        "international_priority",
                        "FedEx International Priority",
                        EXPRESS,
                        3,
                        "72.00",
                        "10.20",
                        68,
                        "fedex",
                        international=True,
                    ),
                ),
            ),
            SandboxCarrierSpec(
                "dhl",
                "DE",
                "EUR",
                (
                    _svc(
                        "paket",
                        "DHL Paket",
                        EXPRESS,
                        2,
                        "4.99",
                        "0.30",
                        Decimal("31.5"),
                        "dhl_paket",
                        dim_divisor=0,
                    ),
                    _svc(
                        "express_domestic",
                        "DHL Express Domestic",
                        EXPRESS,
                        1,
                        "19.90",
                        "1.50",
                        70,
                        "dhl_express",
                    ),
                    _svc(
                        "paket_international",
                        "DHL Paket International",
                        EXPRESS,
                        5,
                        "15.99",
                        "1.20",
                        Decimal("31.5"),
                        "dhl_paket",
                        international=True,
                        dim_divisor=0,
                    ),
                    _svc(
                        "express_worldwide",
                        "DHL Express Worldwide",
                        EXPRESS,
                        2,
                        "59.00",
                        "8.50",
                        70,
                        "dhl_express",
                        international=True,
                    ),
                ),
            ),
            SandboxCarrierSpec(
                "royal_mail",
                "GB",
                "GBP",
                (
                    _svc(
                        "tracked_48",
                        "Royal Mail Tracked 48",
                        POSTAL,
                        2,
                        "3.35",
                        "0.35",
                        20,
                        "s10:TB",
                        dim_divisor=0,
                    ),
                    _svc(
                        "tracked_24",
                        "Royal Mail Tracked 24",
                        POSTAL,
                        1,
                        "4.05",
                        "0.40",
                        20,
                        "s10:TA",
                        dim_divisor=0,
                    ),
                    _svc(
                        "special_delivery",
                        "Royal Mail Special Delivery Guaranteed",
                        POSTAL,
                        1,
                        "8.45",
                        "0.60",
                        20,
                        "s10:FQ",
                        dim_divisor=0,
                    ),
                    _svc(
                        "international_tracked",
                        "Royal Mail International Tracked",
                        POSTAL,
                        6,
                        "11.50",
                        "6.00",
                        2,
                        "s10:LX",
                        international=True,
                        dim_divisor=0,
                    ),
                ),
            ),
            SandboxCarrierSpec(
                "evri",
                "GB",
                "GBP",
                (
                    _svc("standard", "Evri Standard", EXPRESS, 3, "2.89", "0.30", 15, "evri", dim_divisor=0),
                    _svc("next_day", "Evri Next Day", EXPRESS, 1, "4.49", "0.40", 15, "evri", dim_divisor=0),
                ),
            ),
            SandboxCarrierSpec(
                "hermes",
                "DE",
                "EUR",
                (
                    _svc("paket", "Hermes Paket", EXPRESS, 3, "4.30", "0.25", 25, "hermes", dim_divisor=0),
                    _svc(
                        "paket_international",
                        "Hermes Paket International",
                        EXPRESS,
                        5,
                        "13.90",
                        "0.90",
                        25,
                        "hermes",
                        international=True,
                        dim_divisor=0,
                    ),
                ),
            ),
            SandboxCarrierSpec(
                "dpd",
                "GB",
                "GBP",
                (
                    _svc("next_day", "DPD Next Day", EXPRESS, 1, "6.50", "0.45", 30, "dpd"),
                    _svc("two_day", "DPD Two Day", EXPRESS, 2, "5.60", "0.40", 30, "dpd"),
                    _svc(
                        "classic_europe",
                        "DPD Classic Europe",
                        EXPRESS,
                        4,
                        "14.90",
                        "1.10",
                        31,
                        "dpd",
                        international=True,
                    ),
                ),
            ),
            SandboxCarrierSpec(
                "gls",
                "DE",
                "EUR",
                (
                    _svc("business_parcel", "GLS BusinessParcel", EXPRESS, 2, "4.60", "0.28", 40, "gls:10"),
                    _svc("express_parcel", "GLS ExpressParcel", EXPRESS, 1, "14.90", "0.90", 40, "gls:85"),
                    _svc(
                        "euro_business_parcel",
                        "GLS EuroBusinessParcel",
                        EXPRESS,
                        4,
                        "11.90",
                        "0.95",
                        40,
                        "gls:10",
                        international=True,
                    ),
                ),
            ),
            SandboxCarrierSpec(
                "sandbox",
                "",
                "EUR",
                (
                    _svc("standard", "Sandbox Standard", EXPRESS, 3, "5.00", "0.50", 30, "sandbox"),
                    _svc("express", "Sandbox Express", EXPRESS, 1, "12.00", "1.20", 30, "sandbox"),
                    _svc("postal", "Sandbox Postal", POSTAL, 5, "3.00", "0.40", 20, "sandbox", dim_divisor=0),
                ),
            ),
        )
    }
)
