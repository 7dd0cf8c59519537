"""Writes of the warehouse network. Every service takes the actor and writes the audit log."""

from haicang.network.services.fx_import import fx_rates_import_csv
from haicang.network.services.locations import (
    RangeCreated,
    location_activate,
    location_create,
    location_deactivate,
    location_update,
    locations_create_range,
)
from haicang.network.services.virtual import (
    global_virtual_locations_ensure,
    in_transit_ensure,
    virtual_locations_ensure,
)
from haicang.network.services.warehouses import (
    holiday_add,
    holiday_remove,
    warehouse_calendar_set,
    warehouse_create,
    warehouse_service_area_set,
    warehouse_update,
)

__all__ = [
    "RangeCreated",
    "fx_rates_import_csv",
    "global_virtual_locations_ensure",
    "holiday_add",
    "holiday_remove",
    "in_transit_ensure",
    "location_activate",
    "location_create",
    "location_deactivate",
    "location_update",
    "locations_create_range",
    "virtual_locations_ensure",
    "warehouse_calendar_set",
    "warehouse_create",
    "warehouse_service_area_set",
    "warehouse_update",
]
