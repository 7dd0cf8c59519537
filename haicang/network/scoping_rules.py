"""How each party sees the warehouse network (see ``haicang.parties.scoping``).

An operator sees its own warehouses and everything in them; a seller sees the warehouses its service
agreements cover, with their locations, calendars and service areas. The global virtual locations of the
ledger (no warehouse) belong to no party and show to none.
"""

from django.db.models import Q

from haicang.network.models import (
    Carrier,
    CarrierService,
    Holiday,
    Location,
    RateCard,
    Warehouse,
    WarehouseMarket,
    WorkingHours,
)
from haicang.parties.scoping import register_scoped

register_scoped(
    Warehouse,
    operator=lambda party: Q(operator_id=party),
    seller=lambda party: Q(agreements__seller_id=party),
)
for _model in (Location, Holiday, WarehouseMarket, WorkingHours):
    register_scoped(
        _model,
        operator=lambda party: Q(warehouse__operator_id=party),
        seller=lambda party: Q(warehouse__agreements__seller_id=party),
    )

# Carriers, services and rate cards are the operator's. A seller sees the services that ship from a warehouse
# its agreements cover, with their cards (zones, breaks) and carriers: routing estimates its last-mile cost
# from them and shows it in the seller's UI, so the numbers are the seller's to read (never to change).
register_scoped(
    Carrier,
    operator=lambda party: Q(operator_id=party),
    seller=lambda party: Q(services__warehouses__agreements__seller_id=party),
)
register_scoped(
    CarrierService,
    operator=lambda party: Q(operator_id=party),
    seller=lambda party: Q(warehouses__agreements__seller_id=party),
)
register_scoped(
    RateCard,
    operator=lambda party: Q(service__operator_id=party),
    seller=lambda party: Q(service__warehouses__agreements__seller_id=party),
)
