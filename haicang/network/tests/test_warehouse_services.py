"""Warehouses through their services: creation with calendar, service area and in-transit location; changes;
holidays. Every change is audited."""

from __future__ import annotations

import datetime as dt

import pytest

from haicang.core.audit import audit_entries_for
from haicang.core.countries import CountryUnknown
from haicang.core.money import CurrencyUnknown
from haicang.network.errors import (
    CalendarInvalid,
    HolidayExists,
    TimeZoneUnknown,
    WarehouseCodeTaken,
    WarehouseInvalid,
)
from haicang.network.models import Location, LocationKind, Warehouse
from haicang.network.selectors import (
    in_transit_location,
    virtual_location,
    warehouse_calendar,
    warehouse_markets,
    warehouses_serving,
)
from haicang.network.services import (
    holiday_add,
    holiday_remove,
    virtual_locations_ensure,
    warehouse_calendar_set,
    warehouse_service_area_set,
    warehouse_update,
)
from haicang.network.tests.factories import SYSTEM, make_holiday, make_warehouse
from haicang.parties.tests.factories import make_operator

pytestmark = pytest.mark.django_db


def test_a_new_warehouse_has_its_service_area_office_hours_and_an_in_transit_location():
    operator = make_operator()
    warehouse = make_warehouse(operator, code="fra1", markets=["de", "FR", "NL", "BE", "AT"])
    assert warehouse.code == "FRA1"
    assert warehouse_markets(warehouse) == ["AT", "BE", "DE", "FR", "NL"]
    calendar = warehouse_calendar(warehouse)
    assert calendar.time_zone == "Europe/Berlin"
    assert dict(calendar.hours) == {d: (dt.time(8), dt.time(17)) for d in range(5)}
    assert calendar.cutoff == dt.time(14)
    assert in_transit_location(warehouse).kind == LocationKind.IN_TRANSIT
    assert audit_entries_for(subject=warehouse).filter(action="warehouse.created").count() == 1


def test_the_global_virtual_locations_exist_once_however_often_they_are_ensured():
    make_warehouse(make_operator())
    make_warehouse(make_operator())
    virtual_locations_ensure(actor=SYSTEM)
    virtual_locations_ensure(actor=SYSTEM)
    assert Location.objects.filter(warehouse__isnull=True).count() == 4
    assert Location.objects.filter(kind=LocationKind.IN_TRANSIT).count() == Warehouse.objects.count() == 2
    for kind in ("supplier", "customer", "inventory_loss", "scrap"):
        assert virtual_location(kind).is_virtual


def test_a_warehouse_code_is_unique():
    operator = make_operator()
    make_warehouse(operator, code="LAX1", country="US")
    with pytest.raises(WarehouseCodeTaken):
        make_warehouse(make_operator(), code="lax1", country="US")


@pytest.mark.parametrize(
    ("overrides", "error", "field"),
    [
        ({"time_zone": "Europe/Frankfurt"}, TimeZoneUnknown, "time_zone"),
        ({"currency": "EURO"}, CurrencyUnknown, "currency"),
        ({"country": "XX"}, CountryUnknown, "country"),
        ({"markets": ["DE", "ZZ"]}, CountryUnknown, "markets"),
        ({"code": "FRA 1"}, WarehouseInvalid, "code"),
        ({"city": "  "}, WarehouseInvalid, "city"),
        ({"working_hours": {}}, CalendarInvalid, "working_hours"),
        ({"working_hours": {0: (dt.time(18), dt.time(8))}}, CalendarInvalid, "working_hours"),
    ],
)
def test_invalid_warehouse_data_is_refused_naming_the_field_and_nothing_is_created(overrides, error, field):
    operator = make_operator()
    with pytest.raises(error) as caught:
        make_warehouse(operator, **overrides)
    assert caught.value.field == field
    assert not Warehouse.objects.exists()


def test_an_update_changes_only_what_differs_and_audits_before_and_after():
    warehouse = make_warehouse(make_operator())
    updated = warehouse_update(
        actor=SYSTEM, warehouse=warehouse, name="Frankfurt Süd", cutoff_time=dt.time(15, 30)
    )
    assert (updated.name, updated.cutoff_time) == ("Frankfurt Süd", dt.time(15, 30))
    entry = audit_entries_for(subject=warehouse).get(action="warehouse.updated")
    assert entry.changes["after"] == {"name": "Frankfurt Süd", "cutoff_time": "15:30:00"}
    warehouse_update(actor=SYSTEM, warehouse=warehouse, name="Frankfurt Süd")
    assert audit_entries_for(subject=warehouse).filter(action="warehouse.updated").count() == 1


def test_a_warehouse_code_and_operator_never_change():
    warehouse = make_warehouse(make_operator())
    for field in ("code", "operator"):
        with pytest.raises(WarehouseInvalid):
            warehouse_update(actor=SYSTEM, warehouse=warehouse, **{field: "X"})


def test_the_service_area_is_replaced_and_decides_which_warehouses_serve_a_market():
    warehouse = make_warehouse(make_operator(), markets=["DE"])
    assert list(warehouses_serving("fr")) == []
    assert warehouse_service_area_set(actor=SYSTEM, warehouse=warehouse, markets=["FR", "de", "FR"]) == [
        "DE",
        "FR",
    ]
    assert list(warehouses_serving("fr")) == [warehouse]
    warehouse_update(actor=SYSTEM, warehouse=warehouse, is_active=False)
    assert list(warehouses_serving("FR")) == []


def test_weekly_hours_are_replaced_and_a_24_hour_day_closes_at_midnight():
    warehouse = make_warehouse(make_operator(), country="US")
    hours = {0: (dt.time(0), dt.time(0)), 5: (dt.time(9), dt.time(13))}
    warehouse_calendar_set(actor=SYSTEM, warehouse=warehouse, working_hours=hours)
    calendar = warehouse_calendar(warehouse)
    assert dict(calendar.hours) == hours
    monday = dt.datetime(2026, 3, 9, 0, 0, tzinfo=calendar.zone)
    assert calendar.add_working_hours(monday, 24) == dt.datetime(2026, 3, 10, 0, 0, tzinfo=calendar.zone)


def test_holidays_enter_the_calendar_once_per_date_and_can_be_removed():
    warehouse = make_warehouse(make_operator())
    holiday = make_holiday(warehouse, on=dt.date(2026, 12, 25), name="Christmas  Day")
    assert holiday.name == "Christmas Day"
    with pytest.raises(HolidayExists):
        holiday_add(actor=SYSTEM, warehouse=warehouse, on=dt.date(2026, 12, 25), name="again")
    assert not warehouse_calendar(warehouse).works_on(dt.date(2026, 12, 25))
    holiday_remove(actor=SYSTEM, holiday=holiday)
    assert warehouse_calendar(warehouse).works_on(dt.date(2026, 12, 25))


def test_a_holiday_needs_a_date_and_a_name():
    warehouse = make_warehouse(make_operator())
    with pytest.raises(CalendarInvalid):
        holiday_add(
            actor=SYSTEM, warehouse=warehouse, on=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), name="New Year"
        )
    with pytest.raises(CalendarInvalid):
        holiday_add(actor=SYSTEM, warehouse=warehouse, on=dt.date(2026, 1, 1), name=" ")
