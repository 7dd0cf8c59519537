"""Writes of warehouses: create, update, service area, weekly calendar and holidays. Each audits."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction

from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.core.countries import country_check
from haicang.core.money import currency_check
from haicang.network.calendar import opening_hours_check, time_zone_check
from haicang.network.errors import CalendarInvalid, HolidayExists, WarehouseCodeTaken, WarehouseInvalid
from haicang.network.models import Holiday, Warehouse, WarehouseMarket, WorkingHours
from haicang.network.models.warehouses import DEFAULT_CUTOFF
from haicang.network.services.virtual import global_virtual_locations_ensure, in_transit_ensure
from haicang.parties.models import Operator, PartyStatus

_CODE_RE = re.compile(r"[A-Z0-9][A-Z0-9-]{0,19}", re.ASCII)
DEFAULT_WORKING_HOURS: dict[int, tuple[dt.time, dt.time]] = {
    weekday: (dt.time(8, 0), dt.time(17, 0)) for weekday in range(5)
}
# The fields warehouse_update may change (code and operator never change: documents and labels carry them).
UPDATABLE = (
    "name",
    "address_line1",
    "address_line2",
    "postcode",
    "city",
    "country",
    "time_zone",
    "currency",
    "cutoff_time",
    "is_active",
)
_TEXT_LIMITS = {"name": 200, "address_line1": 200, "address_line2": 200, "postcode": 20, "city": 100}
_REQUIRED_TEXT = frozenset({"name", "address_line1", "city"})


def warehouse_code_check(code: object) -> str:
    value = code.strip().upper() if isinstance(code, str) else ""
    if not _CODE_RE.fullmatch(value):
        raise WarehouseInvalid(
            f"code {code!r} is 1–20 letters, digits or dashes, starting with a letter or digit (e.g. FRA1)",
            field="code",
        )
    return value


def _text(field: str, value: object) -> str:
    if not isinstance(value, str):
        raise WarehouseInvalid(f"{field} is text", field=field)
    text = " ".join(value.split())
    if field in _REQUIRED_TEXT and not text:
        raise WarehouseInvalid(f"{field} is required", field=field)
    if len(text) > _TEXT_LIMITS[field]:
        raise WarehouseInvalid(f"{field} is longer than {_TEXT_LIMITS[field]} characters", field=field)
    return text


def _clean(field: str, value: Any) -> Any:
    """One warehouse field's value, validated and normalised."""
    if field in _TEXT_LIMITS:
        return _text(field, value)
    if field == "country":
        return country_check(value, field="country")
    if field == "time_zone":
        return time_zone_check(value)
    if field == "currency":
        return currency_check(value.strip().upper() if isinstance(value, str) else value)
    if field == "cutoff_time":
        if not isinstance(value, dt.time) or value.tzinfo is not None:
            raise WarehouseInvalid("the cut-off is a local time of day", field="cutoff_time")
        return value
    if field == "is_active":
        if not isinstance(value, bool):
            raise WarehouseInvalid("is_active is true or false", field="is_active")
        return value
    raise WarehouseInvalid(f"{field!r} cannot be changed", field=field)


def markets_check(markets: Iterable[str]) -> list[str]:
    """The markets as sorted, distinct ISO country codes."""
    if isinstance(markets, str):
        raise WarehouseInvalid("markets are a list of country codes", field="markets")
    return sorted({country_check(market, field="markets") for market in markets})


def _hours_check(hours: Mapping[int, tuple[dt.time, dt.time]]) -> dict[int, tuple[dt.time, dt.time]]:
    checked = opening_hours_check(hours)
    if not checked:
        raise CalendarInvalid("a warehouse works on at least one weekday", field="working_hours")
    return checked


def _hours_text(hours: Mapping[int, tuple[dt.time, dt.time]]) -> dict[str, str]:
    return {str(day): f"{opens:%H:%M}–{closes:%H:%M}" for day, (opens, closes) in sorted(hours.items())}


@transaction.atomic
def warehouse_create(
    *,
    actor: Actor,
    operator: Operator,
    code: str,
    name: str,
    address_line1: str,
    city: str,
    country: str,
    time_zone: str,
    currency: str,
    address_line2: str = "",
    postcode: str = "",
    cutoff_time: dt.time = DEFAULT_CUTOFF,
    markets: Iterable[str] = (),
    working_hours: Mapping[int, tuple[dt.time, dt.time]] | None = None,
) -> Warehouse:
    """A new warehouse of ``operator`` with its service area, weekly hours (default Mon–Fri 08:00–17:00)
    and its in-transit location. Raises WarehouseInvalid, WarehouseCodeTaken, TimeZoneUnknown, CalendarInvalid.
    """
    if operator.status != PartyStatus.ACTIVE:
        raise WarehouseInvalid(f"operator {operator.code} is {operator.status}", field="operator")
    fields: dict[str, Any] = {
        "code": warehouse_code_check(code),
        "name": name,
        "address_line1": address_line1,
        "address_line2": address_line2,
        "postcode": postcode,
        "city": city,
        "country": country,
        "time_zone": time_zone,
        "currency": currency,
        "cutoff_time": cutoff_time,
    }
    for field in UPDATABLE:
        if field in fields:
            fields[field] = _clean(field, fields[field])
    service_area = markets_check(markets)
    hours = _hours_check(DEFAULT_WORKING_HOURS if working_hours is None else working_hours)
    try:
        with transaction.atomic():
            warehouse = Warehouse.objects.create(operator=operator, **fields)
    except IntegrityError:
        raise WarehouseCodeTaken(f"a warehouse with code {fields['code']} exists", field="code") from None
    WarehouseMarket.objects.bulk_create(WarehouseMarket(warehouse=warehouse, country=c) for c in service_area)
    WorkingHours.objects.bulk_create(
        WorkingHours(warehouse=warehouse, weekday=day, opens=opens, closes=closes)
        for day, (opens, closes) in hours.items()
    )
    audit_record(
        actor=actor,
        action="warehouse.created",
        subject=warehouse,
        after={
            **fields,
            "operator": operator.pk,
            "markets": service_area,
            "working_hours": _hours_text(hours),
        },
        summary=f"warehouse {warehouse.code} of {operator.code}",
    )
    global_virtual_locations_ensure(actor=actor)
    in_transit_ensure(actor=actor, warehouse=warehouse)
    return warehouse


@transaction.atomic
def warehouse_update(*, actor: Actor, warehouse: Warehouse, **changes: Any) -> Warehouse:
    """Change the named fields (see :data:`UPDATABLE`); unchanged values write nothing."""
    unknown = sorted(set(changes) - set(UPDATABLE))
    if unknown:
        raise WarehouseInvalid(f"{', '.join(unknown)} cannot be changed", field=unknown[0])
    cleaned = {field: _clean(field, value) for field, value in changes.items()}
    locked = Warehouse.objects.select_for_update().get(pk=warehouse.pk)
    before = {field: getattr(locked, field) for field in cleaned if getattr(locked, field) != cleaned[field]}
    if not before:
        return locked
    after = {field: cleaned[field] for field in before}
    for field, value in after.items():
        setattr(locked, field, value)
    locked.save(update_fields=[*after, "updated_at"])
    audit_record(actor=actor, action="warehouse.updated", subject=locked, before=before, after=after)
    return locked


@transaction.atomic
def warehouse_service_area_set(*, actor: Actor, warehouse: Warehouse, markets: Iterable[str]) -> list[str]:
    """Replace the markets the warehouse ships to; returns them sorted."""
    wanted = markets_check(markets)
    Warehouse.objects.select_for_update().filter(pk=warehouse.pk).first()
    current = sorted(WarehouseMarket.objects.filter(warehouse=warehouse).values_list("country", flat=True))
    if current == wanted:
        return wanted
    WarehouseMarket.objects.filter(warehouse=warehouse).exclude(country__in=wanted).delete()
    WarehouseMarket.objects.bulk_create(
        WarehouseMarket(warehouse=warehouse, country=c) for c in sorted(set(wanted) - set(current))
    )
    audit_record(
        actor=actor,
        action="warehouse.service_area_set",
        subject=warehouse,
        before={"markets": current},
        after={"markets": wanted},
    )
    return wanted


@transaction.atomic
def warehouse_calendar_set(
    *, actor: Actor, warehouse: Warehouse, working_hours: Mapping[int, tuple[dt.time, dt.time]]
) -> dict[int, tuple[dt.time, dt.time]]:
    """Replace the weekly opening hours (weekday 0 = Monday → local opens, closes; 00:00 closes at midnight)."""
    hours = _hours_check(working_hours)
    Warehouse.objects.select_for_update().filter(pk=warehouse.pk).first()
    rows = WorkingHours.objects.filter(warehouse=warehouse)
    current = {row.weekday: (row.opens, row.closes) for row in rows}
    if current == hours:
        return hours
    rows.delete()
    WorkingHours.objects.bulk_create(
        WorkingHours(warehouse=warehouse, weekday=day, opens=opens, closes=closes)
        for day, (opens, closes) in hours.items()
    )
    audit_record(
        actor=actor,
        action="warehouse.calendar_set",
        subject=warehouse,
        before={"working_hours": _hours_text(current)},
        after={"working_hours": _hours_text(hours)},
    )
    return hours


@transaction.atomic
def holiday_add(*, actor: Actor, warehouse: Warehouse, on: dt.date, name: str) -> Holiday:
    """A day off on local date ``on``. Raises HolidayExists when the date already is one."""
    if isinstance(on, dt.datetime) or not isinstance(on, dt.date):
        raise CalendarInvalid("a holiday is a date", field="on")
    label = " ".join(name.split()) if isinstance(name, str) else ""
    if not label or len(label) > 100:
        raise CalendarInvalid("a holiday has a name of 1–100 characters", field="name")
    try:
        with transaction.atomic():
            holiday = Holiday.objects.create(warehouse=warehouse, on=on, name=label)
    except IntegrityError:
        raise HolidayExists(
            f"{on.isoformat()} is already a holiday at {warehouse.code}", field="on"
        ) from None
    audit_record(
        actor=actor,
        action="holiday.added",
        subject=holiday,
        after={"warehouse": warehouse.code, "on": on, "name": label},
        summary=f"{warehouse.code} closed on {on.isoformat()}",
    )
    return holiday


@transaction.atomic
def holiday_remove(*, actor: Actor, holiday: Holiday) -> None:
    audit_record(
        actor=actor,
        action="holiday.removed",
        subject=holiday,
        before={"warehouse": holiday.warehouse.code, "on": holiday.on, "name": holiday.name},
        summary=f"{holiday.warehouse.code} open again on {holiday.on.isoformat()}",
    )
    holiday.delete()
