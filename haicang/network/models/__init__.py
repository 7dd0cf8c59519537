from haicang.network.models.carriers import (
    Carrier,
    CarrierService,
    CarrierServiceCountry,
    RateCard,
    RateCardRemoteArea,
    RateZone,
    RateZoneArea,
    ServiceLevel,
    WeightBreak,
)
from haicang.network.models.locations import (
    GLOBAL_VIRTUAL_KINDS,
    REAL_KIND_CHOICES,
    REAL_KINDS,
    SELLABLE_KINDS,
    VIRTUAL_KINDS,
    Location,
    LocationKind,
)
from haicang.network.models.warehouses import Holiday, Warehouse, WarehouseMarket, WorkingHours

__all__ = [
    "GLOBAL_VIRTUAL_KINDS",
    "REAL_KINDS",
    "REAL_KIND_CHOICES",
    "SELLABLE_KINDS",
    "VIRTUAL_KINDS",
    "Carrier",
    "CarrierService",
    "CarrierServiceCountry",
    "Holiday",
    "Location",
    "LocationKind",
    "RateCard",
    "RateCardRemoteArea",
    "RateZone",
    "RateZoneArea",
    "ServiceLevel",
    "Warehouse",
    "WarehouseMarket",
    "WeightBreak",
    "WorkingHours",
]
