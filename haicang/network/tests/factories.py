"""Plain functions that build the warehouse network through its services, for tests across the apps.

Parties (operators, sellers, members, agreements) come from ``haicang.parties.tests.factories``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping
from typing import Any

from haicang.core.actors import Actor
from haicang.network.models import Holiday, Location, LocationKind, Warehouse
from haicang.network.services import holiday_add, location_create, locations_create_range, warehouse_create
from haicang.network.services.locations import RangeCreated
from haicang.parties.models import Operator

SYSTEM = Actor.system("tests")
_n = itertools.count(1)

# Realistic defaults per country: (city, postcode, time zone, currency).
PLACES: dict[str, tuple[str, str, str, str]] = {
    "DE": ("Frankfurt am Main", "60549", "Europe/Berlin", "EUR"),
    "US": ("Ontario, CA", "91761", "America/Los_Angeles", "USD"),
    "GB": ("Coventry", "CV6 4QJ", "Europe/London", "GBP"),
}


def make_warehouse(
    operator: Operator,
    *,
    code: str | None = None,
    country: str | None = None,
    markets: Iterable[str] | None = None,
    working_hours: Mapping[int, tuple[dt.time, dt.time]] | None = None,
    **overrides: Any,
) -> Warehouse:
    """A warehouse of ``operator`` in its country (DE, US or GB defaults), serving that country."""
    country = country or (operator.country if operator.country in PLACES else "DE")
    city, postcode, time_zone, currency = PLACES.get(country, PLACES["DE"])
    n = next(_n)
    fields: dict[str, Any] = {
        "code": code or f"WH{n}",
        "name": f"Warehouse {n}",
        "address_line1": f"Logistics Park {n}",
        "postcode": postcode,
        "city": city,
        "country": country,
        "time_zone": time_zone,
        "currency": currency,
        "markets": [country] if markets is None else list(markets),
        "working_hours": working_hours,
        **overrides,
    }
    return warehouse_create(actor=SYSTEM, operator=operator, **fields)


def make_location(
    warehouse: Warehouse, *, code: str | None = None, kind: str = LocationKind.PICK, **fields: Any
) -> Location:
    """One real location; by default the next free pick bin of zone T."""
    if code is None:
        n = next(_n)
        code = f"T-{n % 999 + 1:02d}-01-1-1"
    return location_create(actor=SYSTEM, warehouse=warehouse, code=code, kind=kind, **fields)


def make_bins(
    warehouse: Warehouse,
    *,
    zone: str = "A",
    aisles: tuple[int, int] = (1, 2),
    racks: tuple[int, int] = (1, 3),
    levels: tuple[int, int] = (1, 2),
    positions: tuple[int, int] = (1, 2),
    **fields: Any,
) -> RangeCreated:
    """A small block of pick bins (2 aisles × 3 racks × 2 levels × 2 positions = 24 by default)."""
    return locations_create_range(
        actor=SYSTEM,
        warehouse=warehouse,
        zone=zone,
        aisles=aisles,
        racks=racks,
        levels=levels,
        positions=positions,
        **fields,
    )


def make_holiday(warehouse: Warehouse, *, on: dt.date | None = None, name: str = "Holiday") -> Holiday:
    """A holiday on ``on``, or on a date no other call of this factory has used."""
    on = on or dt.date(2027, 1, 1) + dt.timedelta(days=next(_n))
    return holiday_add(actor=SYSTEM, warehouse=warehouse, on=on, name=name)
