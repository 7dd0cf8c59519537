"""Reads of the warehouse network: calendars, virtual locations, service areas, locations in walk order."""

from __future__ import annotations

from django.db.models import F, QuerySet

from haicang.core.errors import NotFound
from haicang.network.calendar import WorkingCalendar
from haicang.network.errors import VirtualLocationMissing
from haicang.network.location_codes import location_code_normalise
from haicang.network.models import GLOBAL_VIRTUAL_KINDS, Location, LocationKind, Warehouse


def warehouse_calendar(warehouse: Warehouse) -> WorkingCalendar:
    """The warehouse's working calendar (time zone, weekly hours, holidays, cut-off) for the pure maths."""
    return WorkingCalendar(
        time_zone=warehouse.time_zone,
        hours={row.weekday: (row.opens, row.closes) for row in warehouse.working_hours.all()},
        holidays=frozenset(warehouse.holidays.values_list("on", flat=True)),
        cutoff=warehouse.cutoff_time,
    )


def warehouse_markets(warehouse: Warehouse) -> list[str]:
    return list(warehouse.markets.order_by("country").values_list("country", flat=True))


def warehouses_serving(market: str) -> QuerySet[Warehouse]:
    """The active warehouses whose service area includes ``market`` (a country code)."""
    return Warehouse.objects.filter(is_active=True, markets__country=market.upper()).distinct()


def virtual_location(kind: str) -> Location:
    """The global virtual location of ``kind`` (supplier, customer, inventory_loss, scrap)."""
    if kind not in GLOBAL_VIRTUAL_KINDS:
        raise ValueError(f"{kind!r} is not a global virtual kind; in-transit locations belong to a warehouse")
    location = Location.objects.filter(warehouse__isnull=True, kind=kind).first()
    if location is None:
        raise VirtualLocationMissing(f"no {kind} location yet: run virtual_locations_ensure()", kind=kind)
    return location


def in_transit_location(warehouse: Warehouse) -> Location:
    """The virtual location of stock on its way to ``warehouse``."""
    location = Location.objects.filter(warehouse=warehouse, kind=LocationKind.IN_TRANSIT).first()
    if location is None:
        raise VirtualLocationMissing(
            f"{warehouse.code} has no in-transit location: run virtual_locations_ensure()", kind="in_transit"
        )
    return location


def location_by_code(warehouse: Warehouse, code: str) -> Location:
    """A warehouse's location by its code, in any spelling that normalises to it (``a-1-3-2-1``)."""
    canonical, _parts = location_code_normalise(code)
    location = Location.objects.filter(warehouse=warehouse, code=canonical).first()
    if location is None:
        raise NotFound(f"no location {canonical} in {warehouse.code}", field="code")
    return location


def locations_in_walk_order(
    warehouse: Warehouse, *, kinds: frozenset[str] | None = None
) -> QuerySet[Location]:
    """The warehouse's active real locations by pick sequence (unsequenced ones last, by code)."""
    queryset = Location.objects.filter(warehouse=warehouse, is_active=True).exclude(
        kind=LocationKind.IN_TRANSIT
    )
    if kinds is not None:
        queryset = queryset.filter(kind__in=sorted(kinds))
    return queryset.order_by(F("pick_sequence").asc(nulls_last=True), "code")
