"""Writes of the operator's setup for outbound work: the box catalogue and the carriers' pick-up times
(docs/fulfillment.md, "Setup: boxes and pick-up times"). Every write is audited.

**Boxes** (``BoxType``): a carton the packers choose from — inner dimensions (mm), the gross weight it is rated
for and its own weight (tare, g; below the rated weight). The code is the operator's (``S2``, ``MAILER-M``…), unique in its catalogue and never
changed. A box that parcels were packed in keeps its size and tare (``box.in_use``): add a new box and
deactivate the old one, so that every parcel still names the box it left in. Deactivated boxes are no longer
suggested or offered at the pack bench; they can be activated again.

**Pick-up times** (``PickupSchedule``): a carrier of the operator collects at one of its warehouses at a local
time (whole minutes) on some ISO weekdays (1 = Monday … 7 = Sunday). Wave planning plans work for the next
pick-up, the work queues count down to it. One carrier may collect several times a day, never twice at the same
time. A schedule can be paused (``is_active``) or deleted: outbounds keep the pick-up time they were planned for.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction

from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.fulfillment.errors import BoxCodeTaken, BoxInUse, BoxInvalid, PickupInvalid, PickupTaken
from haicang.fulfillment.models import BoxType, Parcel, PickupSchedule
from haicang.network.models import Carrier, Warehouse
from haicang.parties.models import Operator, PartyStatus

_BOX_CODE = re.compile(r"[A-Z0-9][A-Z0-9_-]{0,19}", re.ASCII)
MAX_SIDE_MM = 3_000  # the longest inner side the catalogue accepts (3 m)
MAX_BOX_WEIGHT_G = 1_000_000  # 1 t: pallets and crates are not parcels, but the limit is only a sanity check
DIMENSIONS = ("inner_length_mm", "inner_width_mm", "inner_height_mm")
SIZE_FIELDS = (*DIMENSIONS, "tare_g")  # what a box in use keeps
WEEKDAYS = range(1, 8)


# --- checks ------------------------------------------------------------------------------------------------------
def box_code_check(code: object) -> str:
    value = code.strip().upper() if isinstance(code, str) else ""
    if not _BOX_CODE.fullmatch(value):
        raise BoxInvalid(
            f"code {code!r} is 1–20 letters, digits, dashes or underscores (e.g. S2, MAILER-M)", field="code"
        )
    return value


def _name(value: object) -> str:
    text = " ".join(value.split()) if isinstance(value, str) else ""
    if not text or len(text) > 100:
        raise BoxInvalid("the name is 1–100 characters", field="name")
    return text


def _whole(value: object, *, field: str, minimum: int, maximum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise BoxInvalid(f"{field} is a whole number from {minimum} to {maximum}", field=field)
    return value


def _box_fields(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` checked field by field (only those given)."""
    out: dict[str, Any] = {}
    if "name" in values:
        out["name"] = _name(values["name"])
    for field in DIMENSIONS:
        if field in values:
            out[field] = _whole(values[field], field=field, minimum=1, maximum=MAX_SIDE_MM)
    if "max_weight_g" in values:
        out["max_weight_g"] = _whole(
            values["max_weight_g"], field="max_weight_g", minimum=1, maximum=MAX_BOX_WEIGHT_G
        )
    if "tare_g" in values:
        out["tare_g"] = _whole(values["tare_g"], field="tare_g", minimum=0, maximum=MAX_BOX_WEIGHT_G)
    return out


def _tare_below_max(max_weight_g: int, tare_g: int) -> None:
    if tare_g >= max_weight_g:
        raise BoxInvalid(
            f"the tare ({tare_g} g) is below the box's rated gross weight ({max_weight_g} g)", field="tare_g"
        )


def _active_operator(operator: Operator) -> Operator:
    if operator.status != PartyStatus.ACTIVE:
        raise BoxInvalid(f"operator {operator.code} is {operator.status}", field="operator")
    return operator


def pickup_time_check(value: object) -> dt.time:
    """A local time of day in whole minutes (``16:00``); ``HH:MM`` text is read too."""
    if isinstance(value, str):
        try:
            value = dt.time.fromisoformat(value.strip())
        except ValueError:
            raise PickupInvalid(f"pick-up time {value!r} is HH:MM, e.g. 16:00", field="pickup_time") from None
    if not isinstance(value, dt.time) or value.tzinfo is not None:
        raise PickupInvalid("the pick-up time is a local time of day, e.g. 16:00", field="pickup_time")
    if value.second or value.microsecond:
        raise PickupInvalid("the pick-up time is in whole minutes, e.g. 16:00", field="pickup_time")
    return value


def weekdays_check(value: object) -> list[int]:
    """ISO weekdays (1 = Monday … 7 = Sunday), at least one, each once; returned sorted."""
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise PickupInvalid("weekdays is a list of ISO weekdays, e.g. [1, 2, 3, 4, 5]", field="weekdays")
    days = list(value)
    if not days or any(isinstance(d, bool) or not isinstance(d, int) or d not in WEEKDAYS for d in days):
        raise PickupInvalid(
            "weekdays lists at least one ISO weekday from 1 (Monday) to 7 (Sunday)", field="weekdays"
        )
    if len(set(days)) != len(days):
        raise PickupInvalid("a weekday is listed twice", field="weekdays")
    return sorted(days)


def _audit_value(value: Any) -> Any:
    return value.strftime("%H:%M") if isinstance(value, dt.time) else value


def _changed(actor: Actor, obj: Any, wanted: dict[str, Any], action: str) -> Any:
    """Write the fields of ``wanted`` that differ, audited; nothing when nothing changes."""
    before = {field: getattr(obj, field) for field, value in wanted.items() if getattr(obj, field) != value}
    if not before:
        return obj
    after = {field: wanted[field] for field in before}
    for field, value in after.items():
        setattr(obj, field, value)
    obj.save(update_fields=[*after, "updated_at"])
    audit_record(
        actor=actor,
        action=action,
        subject=obj,
        before={k: _audit_value(v) for k, v in before.items()},
        after={k: _audit_value(v) for k, v in after.items()},
    )
    return obj


# --- boxes -------------------------------------------------------------------------------------------------------
@transaction.atomic
def box_type_create(
    *,
    actor: Actor,
    operator: Operator,
    code: str,
    name: str,
    inner_length_mm: int,
    inner_width_mm: int,
    inner_height_mm: int,
    max_weight_g: int,
    tare_g: int = 0,
) -> BoxType:
    """A new box in ``operator``'s catalogue. Raises BoxInvalid (naming the field), BoxCodeTaken."""
    fields = {
        "code": box_code_check(code),
        **_box_fields(
            {
                "name": name,
                "inner_length_mm": inner_length_mm,
                "inner_width_mm": inner_width_mm,
                "inner_height_mm": inner_height_mm,
                "max_weight_g": max_weight_g,
                "tare_g": tare_g,
            }
        ),
    }
    _tare_below_max(fields["max_weight_g"], fields["tare_g"])
    _active_operator(operator)
    try:
        with transaction.atomic():
            box = BoxType.objects.create(operator=operator, **fields)
    except IntegrityError:
        raise BoxCodeTaken(f"{operator.code} has a box {fields['code']}", field="code") from None
    audit_record(
        actor=actor, action="box_type.created", subject=box, after={**fields, "operator": operator.pk}
    )
    return box


BOX_UPDATABLE = ("name", *SIZE_FIELDS, "max_weight_g")


@transaction.atomic
def box_type_update(*, actor: Actor, box_type: BoxType, **changes: Any) -> BoxType:
    """Change a box's name, inner dimensions, weight limit or tare (the code never changes); unchanged values
    write nothing. A box parcels were packed in keeps its dimensions and tare (BoxInUse)."""
    unknown = sorted(set(changes) - set(BOX_UPDATABLE))
    if unknown:
        raise BoxInvalid(f"{', '.join(unknown)} cannot be changed", field=unknown[0])
    wanted = _box_fields(changes)
    locked = BoxType.objects.select_for_update().get(pk=box_type.pk)
    _tare_below_max(wanted.get("max_weight_g", locked.max_weight_g), wanted.get("tare_g", locked.tare_g))
    resized = sorted(f for f in SIZE_FIELDS if f in wanted and wanted[f] != getattr(locked, f))
    if resized and box_in_use(locked):
        raise BoxInUse(
            f"parcels were packed in {locked.code}: add a new box and deactivate this one", field=resized[0]
        )
    return _changed(actor, locked, wanted, "box_type.updated")


def box_in_use(box_type: BoxType) -> bool:
    """True when a parcel was packed in, or suggested, this box."""
    return Parcel.objects.filter(box_type=box_type).exists() or (
        Parcel.objects.filter(suggested_box=box_type).exists()
    )


@transaction.atomic
def box_type_deactivate(*, actor: Actor, box_type: BoxType) -> BoxType:
    """No longer suggested nor offered at the pack bench; the parcels packed in it keep naming it."""
    locked = BoxType.objects.select_for_update().get(pk=box_type.pk)
    return _changed(actor, locked, {"is_active": False}, "box_type.deactivated")


@transaction.atomic
def box_type_reactivate(*, actor: Actor, box_type: BoxType) -> BoxType:
    locked = BoxType.objects.select_for_update().get(pk=box_type.pk)
    return _changed(actor, locked, {"is_active": True}, "box_type.reactivated")


# --- pick-up times -----------------------------------------------------------------------------------------------
def _pickup_parties(warehouse: Warehouse, carrier: Carrier) -> None:
    if not warehouse.is_active:
        raise PickupInvalid(f"warehouse {warehouse.code} is not active", field="warehouse")
    if carrier.operator_id != warehouse.operator_id:
        raise PickupInvalid(
            f"carrier {carrier.code} is not a carrier of {warehouse.code}'s operator", field="carrier"
        )
    if not carrier.is_active:
        raise PickupInvalid(f"carrier {carrier.code} is archived", field="carrier")


def _taken(warehouse: Warehouse, carrier: Carrier, at: dt.time) -> PickupTaken:
    return PickupTaken(
        f"{carrier.code} already collects at {warehouse.code} at {at:%H:%M}", field="pickup_time"
    )


@transaction.atomic
def pickup_schedule_create(
    *,
    actor: Actor,
    warehouse: Warehouse,
    carrier: Carrier,
    pickup_time: dt.time | str,
    weekdays: Iterable[int] = (1, 2, 3, 4, 5),
) -> PickupSchedule:
    """``carrier`` collects at ``warehouse`` at the local ``pickup_time`` on ``weekdays``. Raises PickupInvalid
    (naming the field), PickupTaken."""
    at = pickup_time_check(pickup_time)
    days = weekdays_check(weekdays)
    _pickup_parties(warehouse, carrier)
    try:
        with transaction.atomic():
            schedule = PickupSchedule.objects.create(
                warehouse=warehouse, carrier=carrier, pickup_time=at, weekdays=days
            )
    except IntegrityError:
        raise _taken(warehouse, carrier, at) from None
    audit_record(
        actor=actor,
        action="pickup_schedule.created",
        subject=schedule,
        after={
            "warehouse": warehouse.code,
            "carrier": carrier.code,
            "pickup_time": at.strftime("%H:%M"),
            "weekdays": days,
        },
    )
    return schedule


@transaction.atomic
def pickup_schedule_update(
    *,
    actor: Actor,
    schedule: PickupSchedule,
    pickup_time: dt.time | str | None = None,
    weekdays: Iterable[int] | None = None,
    is_active: bool | None = None,
) -> PickupSchedule:
    """Move the time, change the weekdays, pause (``is_active=False``) or resume; the carrier and warehouse
    never change (delete and add instead). Unchanged values write nothing."""
    wanted: dict[str, Any] = {}
    if pickup_time is not None:
        wanted["pickup_time"] = pickup_time_check(pickup_time)
    if weekdays is not None:
        wanted["weekdays"] = weekdays_check(weekdays)
    if is_active is not None:
        if not isinstance(is_active, bool):
            raise PickupInvalid("is_active is true or false", field="is_active")
        wanted["is_active"] = is_active
    locked = (
        PickupSchedule.objects.select_for_update().select_related("warehouse", "carrier").get(pk=schedule.pk)
    )
    if "weekdays" in wanted and sorted(locked.weekdays) == wanted["weekdays"]:
        del wanted["weekdays"]
    try:
        with transaction.atomic():
            return _changed(actor, locked, wanted, "pickup_schedule.updated")
    except IntegrityError:
        raise _taken(locked.warehouse, locked.carrier, wanted["pickup_time"]) from None


@transaction.atomic
def pickup_schedule_delete(*, actor: Actor, schedule: PickupSchedule) -> None:
    """Remove a pick-up time. Outbounds already planned for one of its pick-ups keep their pick-up time."""
    locked = (
        PickupSchedule.objects.select_for_update().select_related("warehouse", "carrier").get(pk=schedule.pk)
    )
    audit_record(
        actor=actor,
        action="pickup_schedule.deleted",
        subject=locked,
        before={
            "warehouse": locked.warehouse.code,
            "carrier": locked.carrier.code,
            "pickup_time": locked.pickup_time.strftime("%H:%M"),
            "weekdays": list(locked.weekdays),
            "is_active": locked.is_active,
        },
    )
    locked.delete()
