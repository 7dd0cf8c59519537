"""How each party sees the warehouse network (see ``haicang.parties.scoping``).

An operator sees its own warehouses and everything in them; a seller sees the warehouses its service
agreements cover, with their locations, calendars and service areas. The global virtual locations of the
ledger (no warehouse) belong to no party and show to none.
"""

from django.db.models import Q

from haicang.network.models import Holiday, Location, Warehouse, WarehouseMarket, WorkingHours
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
