"""How each party sees warehouse operations (see ``haicang.parties.scoping``).

The operator sees the work of its own warehouses: outbounds, waves, pick lists and their scans, exceptions,
parcels and tracking, its box catalogue and pick-up times. The seller sees its own parcels — box, weight,
carrier, service, label, tracking number and timeline, alerts — and its outbounds' progress, but never the
warehouse's internal work (waves, pick lists, scans). Installation admins see none.
"""

from django.db.models import Q

from haicang.fulfillment.models import (
    BoxType,
    DockScan,
    Outbound,
    Parcel,
    ParcelLine,
    PickException,
    PickList,
    PickScan,
    PickTask,
    PickupSchedule,
    TrackingAlert,
    TrackingEvent,
    TrackingMessage,
    TrackingWebhookSecret,
    Wave,
)
from haicang.parties.scoping import register_scoped

register_scoped(BoxType, operator=lambda party: Q(operator_id=party))
register_scoped(PickupSchedule, operator=lambda party: Q(warehouse__operator_id=party))
register_scoped(
    Outbound, seller=lambda party: Q(seller_id=party), operator=lambda party: Q(operator_id=party)
)
register_scoped(Wave, operator=lambda party: Q(operator_id=party))
register_scoped(PickList, operator=lambda party: Q(operator_id=party))
register_scoped(PickTask, operator=lambda party: Q(pick_list__operator_id=party))
register_scoped(PickScan, operator=lambda party: Q(pick_list__operator_id=party))
register_scoped(PickException, operator=lambda party: Q(warehouse__operator_id=party))
register_scoped(Parcel, seller=lambda party: Q(seller_id=party), operator=lambda party: Q(operator_id=party))
for _model in (ParcelLine, TrackingEvent, TrackingAlert):
    register_scoped(
        _model,
        seller=lambda party: Q(parcel__seller_id=party),
        operator=lambda party: Q(parcel__operator_id=party),
    )
register_scoped(TrackingMessage, operator=lambda party: Q(operator_id=party))
register_scoped(TrackingWebhookSecret, operator=lambda party: Q(operator_id=party))
register_scoped(DockScan, operator=lambda party: Q(operator_id=party))
