"""Plain functions that build carriers, services and rate cards through the services, for tests."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from haicang.core.money import Money
from haicang.network.models import Carrier, CarrierService, RateCard, Warehouse
from haicang.network.services.carriers import (
    ZoneSpec,
    carrier_create,
    carrier_service_create,
    rate_card_create,
)
from haicang.network.tests.factories import SYSTEM
from haicang.parties.models import Operator

_n = itertools.count(1)


def make_carrier(operator: Operator, *, code: str | None = None, **fields: Any) -> Carrier:
    n = next(_n)
    return carrier_create(
        actor=SYSTEM,
        operator=operator,
        code=code or f"CR{n}",
        name=fields.pop("name", f"Carrier {n}"),
        tracking_url_template=fields.pop("tracking_url_template", "https://track.example/{tracking_number}"),
    )


def make_service(
    carrier: Carrier,
    *,
    warehouses: Iterable[Warehouse] = (),
    countries: Iterable[str] = ("DE",),
    code: str | None = None,
    service_level: str = "ground",
    transit_days_default: int = 3,
    **fields: Any,
) -> CarrierService:
    n = next(_n)
    return carrier_service_create(
        actor=SYSTEM,
        carrier=carrier,
        code=code or f"{carrier.code}-S{n}",
        name=fields.pop("name", f"Service {n}"),
        service_level=service_level,
        transit_days_default=transit_days_default,
        countries=countries,
        warehouses=warehouses,
        **fields,
    )


def flat_zone(
    name: str,
    country: str,
    prices: Sequence[tuple[int, str]],
    currency: str,
    *,
    prefixes: Sequence[str] = ("",),
    transit_days: int | None = None,
) -> ZoneSpec:
    return ZoneSpec(
        name=name,
        areas=[(country, prefix) for prefix in prefixes],
        breaks=[(weight, Money(Decimal(price), currency)) for weight, price in prices],
        transit_days=transit_days,
    )


def make_card(
    service: CarrierService,
    *,
    currency: str = "EUR",
    effective_from: dt.date = dt.date(2026, 1, 1),
    zones: Sequence[ZoneSpec] | None = None,
    **fields: Any,
) -> RateCard:
    """A card: by default one whole-country zone per service country with breaks at 1, 2 and 5 kg."""
    if zones is None:
        countries = list(service.countries.values_list("country", flat=True))
        zones = [
            flat_zone(
                country, country, [(1000, "4.50"), (2000, "5.20"), (5000, "7.90")], currency, transit_days=2
            )
            for country in countries
        ]
    return rate_card_create(
        actor=SYSTEM,
        service=service,
        currency=currency,
        effective_from=effective_from,
        dim_divisor=fields.pop("dim_divisor", 5000),
        zones=zones,
        **fields,
    )
