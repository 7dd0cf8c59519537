"""The virtual locations of the stock ledger: one global row per kind, and one in-transit row per warehouse."""

from __future__ import annotations

from django.db import transaction

from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.network.models import GLOBAL_VIRTUAL_KINDS, Location, LocationKind, Warehouse

VIRTUAL_CODES: dict[str, str] = {
    LocationKind.SUPPLIER: "SUPPLIER",
    LocationKind.CUSTOMER: "CUSTOMER",
    LocationKind.INVENTORY_LOSS: "INVENTORY-LOSS",
    LocationKind.SCRAP: "SCRAP",
    LocationKind.IN_TRANSIT: "IN-TRANSIT",
}


def _created(actor: Actor, location: Location) -> None:
    audit_record(
        actor=actor,
        action="location.created",
        subject=location,
        after={"kind": location.kind, "code": location.code, "warehouse": location.warehouse_id},
        summary=f"virtual location {location}",
    )


@transaction.atomic
def in_transit_ensure(*, actor: Actor, warehouse: Warehouse) -> Location:
    """The warehouse's in-transit location, created if missing (idempotent)."""
    location, created = Location.objects.get_or_create(
        warehouse=warehouse,
        kind=LocationKind.IN_TRANSIT,
        defaults={"code": VIRTUAL_CODES[LocationKind.IN_TRANSIT]},
    )
    if created:
        _created(actor, location)
    return location


@transaction.atomic
def global_virtual_locations_ensure(*, actor: Actor) -> dict[str, Location]:
    """The global virtual locations (supplier, customer, inventory loss, scrap) by kind, each created if
    missing. Idempotent; safe to run concurrently (a unique constraint per kind decides)."""
    out: dict[str, Location] = {}
    for kind in sorted(GLOBAL_VIRTUAL_KINDS):
        location, created = Location.objects.get_or_create(
            warehouse=None, kind=kind, defaults={"code": VIRTUAL_CODES[kind]}
        )
        if created:
            _created(actor, location)
        out[kind] = location
    return out


@transaction.atomic
def virtual_locations_ensure(*, actor: Actor) -> dict[str, Location]:
    """Every virtual location: the global ones (returned by kind) and each warehouse's in-transit one."""
    out = global_virtual_locations_ensure(actor=actor)
    missing = Warehouse.objects.exclude(locations__kind=LocationKind.IN_TRANSIT)
    for warehouse in missing:
        in_transit_ensure(actor=actor, warehouse=warehouse)
    return out
