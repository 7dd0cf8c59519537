"""How each party sees inbound shipments (see ``haicang.parties.scoping``).

A seller sees its own shipments and landed costs. The operator of the destination warehouse sees a shipment
once it has been submitted (a draft is the seller's own business) — cancelled after submission included — and
never the landed-cost averages (commercial data). Installation admins see none.
"""

from django.db.models import Q

from haicang.inbound.models import (
    Carton,
    CartonContent,
    CustomsLine,
    EtaChange,
    FreightCost,
    InboundShipment,
    LandedCostAverage,
    Milestone,
    ShipmentLine,
)
from haicang.parties.scoping import register_scoped

register_scoped(
    InboundShipment,
    seller=lambda party: Q(seller_id=party),
    operator=lambda party: Q(warehouse__operator_id=party, submitted_at__isnull=False),
)
for _model in (ShipmentLine, Carton, CustomsLine, Milestone, EtaChange):
    register_scoped(
        _model,
        seller=lambda party: Q(shipment__seller_id=party),
        operator=lambda party: Q(
            shipment__warehouse__operator_id=party, shipment__submitted_at__isnull=False
        ),
    )
register_scoped(
    CartonContent,
    seller=lambda party: Q(carton__shipment__seller_id=party),
    operator=lambda party: Q(
        carton__shipment__warehouse__operator_id=party, carton__shipment__submitted_at__isnull=False
    ),
)
# Costs are the seller's commercial data.
register_scoped(FreightCost, seller=lambda party: Q(shipment__seller_id=party))
register_scoped(LandedCostAverage, seller=lambda party: Q(seller_id=party))

# Receiving: the operator's scans are its working record; discrepancies and the receipt report are both
# parties'. (Imported here, after the shipment's rules, to keep this file's additions in one place.)
from haicang.inbound.models import Discrepancy, ReceiptReport, ReceivingScan  # noqa: E402

register_scoped(
    ReceivingScan,
    operator=lambda party: Q(shipment__warehouse__operator_id=party, shipment__submitted_at__isnull=False),
)
for _shared in (Discrepancy, ReceiptReport):
    register_scoped(
        _shared,
        seller=lambda party: Q(shipment__seller_id=party),
        operator=lambda party: Q(
            shipment__warehouse__operator_id=party, shipment__submitted_at__isnull=False
        ),
    )
