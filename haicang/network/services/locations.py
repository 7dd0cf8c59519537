"""Writes of a warehouse's real locations: one at a time, or thousands from ranges. Each audits."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max

from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.network.errors import LocationExists, LocationInvalid
from haicang.network.layout import BinRange, Layout, plan_range
from haicang.network.location_codes import location_code_normalise
from haicang.network.models import REAL_KINDS, Location, LocationKind, Warehouse

BIGINT_MAX = 2**63 - 1
SEQUENCE_MAX = 2**31 - 1
METRES_MAX = Decimal("999999.99")
BULK_BATCH = 1000
# Storage slots must carry a bin code; staging places may use an area code such as DOCK-01.
BIN_CODE_KINDS = frozenset({LocationKind.PICK, LocationKind.BULK})
UPDATABLE = ("kind", "capacity_volume_mm3", "capacity_weight_g", "pick_sequence", "x_m", "y_m")


def location_kind_check(kind: object) -> LocationKind:
    if kind not in REAL_KINDS:
        choices = ", ".join(sorted(REAL_KINDS))
        raise LocationInvalid(
            f"{kind!r} is not a kind of real location; choose one of {choices}", field="kind"
        )
    return LocationKind(str(kind))


def _whole(field: str, value: object, *, maximum: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= maximum:
        raise LocationInvalid(f"{field} is a whole number from 0 to {maximum}, not {value!r}", field=field)
    return value


def _metres(field: str, value: object) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise LocationInvalid(
            f"{field} is a Decimal number of metres, not {type(value).__name__}", field=field
        )
    number = Decimal(value)
    if not number.is_finite() or abs(number) > METRES_MAX:
        raise LocationInvalid(f"{field} is a number of metres up to {METRES_MAX}", field=field)
    if number != number.quantize(Decimal("0.01")):
        raise LocationInvalid(f"{field} has more than 2 decimal places (centimetres)", field=field)
    return number.quantize(Decimal("0.01"))


def _clean(field: str, value: Any) -> Any:
    if field == "kind":
        return location_kind_check(value)
    if field in ("capacity_volume_mm3", "capacity_weight_g"):
        return _whole(field, value, maximum=BIGINT_MAX)
    if field == "pick_sequence":
        return _whole(field, value, maximum=SEQUENCE_MAX)
    if field in ("x_m", "y_m"):
        return _metres(field, value)
    raise LocationInvalid(f"{field!r} cannot be changed", field=field)


def _snapshot(location: Location, fields: tuple[str, ...] | list[str]) -> dict[str, Any]:
    return {field: getattr(location, field) for field in fields}


@transaction.atomic
def location_create(
    *,
    actor: Actor,
    warehouse: Warehouse,
    code: str,
    kind: str,
    capacity_volume_mm3: int | None = None,
    capacity_weight_g: int | None = None,
    pick_sequence: int | None = None,
    x_m: Decimal | None = None,
    y_m: Decimal | None = None,
) -> Location:
    """One real location. Pick and bulk bins need a bin code (``A-01-03-2-1``); other kinds may use an area
    code (``DOCK-01``). Raises LocationCodeInvalid, LocationInvalid, LocationExists."""
    kind = location_kind_check(kind)
    canonical, parts = location_code_normalise(code)
    if parts is None and kind in BIN_CODE_KINDS:
        raise LocationInvalid(
            f"a {kind} location needs a bin code such as A-01-03-2-1, not {code!r}", field="code"
        )
    values: dict[str, Any] = {
        field: _clean(field, value)
        for field, value in (
            ("capacity_volume_mm3", capacity_volume_mm3),
            ("capacity_weight_g", capacity_weight_g),
            ("pick_sequence", pick_sequence),
            ("x_m", x_m),
            ("y_m", y_m),
        )
    }
    if parts is not None:
        values.update(
            zone=parts.zone, aisle=parts.aisle, rack=parts.rack, level=parts.level, position=parts.position
        )
    try:
        with transaction.atomic():
            location = Location.objects.create(warehouse=warehouse, kind=kind, code=canonical, **values)
    except IntegrityError:
        raise LocationExists(
            f"{canonical} exists in {warehouse.code}", field="code", code=canonical
        ) from None
    audit_record(
        actor=actor,
        action="location.created",
        subject=location,
        after={"kind": kind, "code": canonical, **values},
        summary=f"{kind} location {location}",
    )
    return location


def _real(location: Location) -> Location:
    if location.is_virtual:
        raise LocationInvalid(
            f"{location} is a virtual location of the ledger; it cannot be changed", field=None
        )
    return location


@transaction.atomic
def location_update(*, actor: Actor, location: Location, **changes: Any) -> Location:
    """Change kind, capacity, pick sequence or floor point (see :data:`UPDATABLE`). A code never changes: print
    a new label and create a new location instead."""
    unknown = sorted(set(changes) - set(UPDATABLE))
    if unknown:
        raise LocationInvalid(f"{', '.join(unknown)} cannot be changed", field=unknown[0])
    cleaned = {field: _clean(field, value) for field, value in changes.items()}
    locked = _real(Location.objects.select_for_update().get(pk=location.pk))
    if cleaned.get("kind") in BIN_CODE_KINDS and not locked.zone:
        raise LocationInvalid(f"{locked.code} is an area code; a {cleaned['kind']} location needs a bin code")
    before = {f: getattr(locked, f) for f in cleaned if getattr(locked, f) != cleaned[f]}
    if not before:
        return locked
    after = {f: cleaned[f] for f in before}
    for field, value in after.items():
        setattr(locked, field, value)
    locked.save(update_fields=[*after, "updated_at"])
    audit_record(actor=actor, action="location.updated", subject=locked, before=before, after=after)
    return locked


def _set_active(actor: Actor, location: Location, active: bool) -> Location:
    locked = _real(Location.objects.select_for_update().get(pk=location.pk))
    if locked.is_active == active:
        return locked
    locked.is_active = active
    locked.save(update_fields=["is_active", "updated_at"])
    audit_record(
        actor=actor,
        action="location.activated" if active else "location.deactivated",
        subject=locked,
        before={"is_active": not active},
        after={"is_active": active},
    )
    return locked


@transaction.atomic
def location_deactivate(*, actor: Actor, location: Location) -> Location:
    """Stop using a location (nothing is put away or picked there); the row stays for history."""
    return _set_active(actor, location, False)


@transaction.atomic
def location_activate(*, actor: Actor, location: Location) -> Location:
    return _set_active(actor, location, True)


@dataclass(frozen=True)
class RangeCreated:
    count: int
    first_code: str
    last_code: str
    first_pick_sequence: int
    last_pick_sequence: int


@transaction.atomic
def locations_create_range(
    *,
    actor: Actor,
    warehouse: Warehouse,
    zone: str,
    aisles: tuple[int, int] = (1, 10),
    racks: tuple[int, int] = (1, 20),
    levels: tuple[int, int] = (1, 4),
    positions: tuple[int, int] = (1, 3),
    kind: str = LocationKind.PICK,
    capacity_volume_mm3: int | None = None,
    capacity_weight_g: int | None = None,
    layout: Layout | None = None,
) -> RangeCreated:
    """Every bin of the ranges (first and last included), numbered in serpentine walk order after the
    warehouse's last pick sequence, with floor points from ``layout``. All or nothing: when any code exists,
    raises LocationExists naming the first one in walk order and creates none."""
    kind = location_kind_check(kind)
    bins = BinRange.of(zone=zone, aisles=aisles, racks=racks, levels=levels, positions=positions)
    volume = _whole("capacity_volume_mm3", capacity_volume_mm3, maximum=BIGINT_MAX)
    weight = _whole("capacity_weight_g", capacity_weight_g, maximum=BIGINT_MAX)
    plan = plan_range(bins, layout)
    # One range at a time per warehouse: the row lock orders them, so pick sequences never interleave.
    locked = Warehouse.objects.select_for_update().get(pk=warehouse.pk)
    existing = set(Location.objects.filter(warehouse=locked, zone=bins.zone).values_list("code", flat=True))
    clashes = [str(p.code) for p in plan if str(p.code) in existing]
    if clashes:
        raise LocationExists(
            f"{clashes[0]} exists in {locked.code}"
            + (f" (and {len(clashes) - 1} more of the range)" if len(clashes) > 1 else "")
            + "; nothing was created",
            field="zone",
            code=clashes[0],
            clashes=len(clashes),
        )
    last = Location.objects.filter(warehouse=locked).aggregate(last=Max("pick_sequence"))["last"] or 0
    if last + len(plan) > SEQUENCE_MAX:
        raise LocationInvalid("pick sequences would pass their maximum", field="pick_sequence")
    rows = [
        Location(
            warehouse=locked,
            kind=kind,
            code=str(p.code),
            zone=p.code.zone,
            aisle=p.code.aisle,
            rack=p.code.rack,
            level=p.code.level,
            position=p.code.position,
            capacity_volume_mm3=volume,
            capacity_weight_g=weight,
            pick_sequence=last + 1 + p.walk_index,
            x_m=p.point.x,
            y_m=p.point.y,
        )
        for p in plan
    ]
    try:
        with transaction.atomic():
            Location.objects.bulk_create(rows, batch_size=BULK_BATCH)
    except IntegrityError:  # pragma: no cover - only if a code appeared outside the warehouse lock
        raise LocationExists(f"a code of the range appeared in {locked.code}; nothing was created") from None
    result = RangeCreated(
        count=len(rows),
        first_code=rows[0].code,
        last_code=rows[-1].code,
        first_pick_sequence=last + 1,
        last_pick_sequence=last + len(rows),
    )
    audit_record(
        actor=actor,
        action="locations.range_created",
        subject=locked,
        after={
            "zone": bins.zone,
            "aisles": list(bins.aisles),
            "racks": list(bins.racks),
            "levels": list(bins.levels),
            "positions": list(bins.positions),
            "kind": kind,
            "count": result.count,
            "pick_sequences": [result.first_pick_sequence, result.last_pick_sequence],
        },
        summary=f"{result.count} {kind} bins {result.first_code} … {result.last_code} in {locked.code}",
    )
    return result
