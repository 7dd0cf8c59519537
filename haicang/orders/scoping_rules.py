"""Who sees orders: the seller that owns them. **Operators see no order** — not through this model: they will
see what an agreement lets them see of an order through its *fulfillment request* (a later issue), which carries
only the fields the data-sharing scope grants. Installation admins see none."""

from django.db.models import Q

from haicang.orders.models import (
    Order,
    OrderHistory,
    OrderHold,
    OrderLine,
    OrderSettings,
    RoutingDecision,
)
from haicang.parties.scoping import register_scoped

register_scoped(Order, seller=lambda party: Q(seller_id=party))
register_scoped(OrderLine, seller=lambda party: Q(order__seller_id=party))
register_scoped(OrderHold, seller=lambda party: Q(order__seller_id=party))
register_scoped(OrderHistory, seller=lambda party: Q(order__seller_id=party))
register_scoped(RoutingDecision, seller=lambda party: Q(order__seller_id=party))
register_scoped(OrderSettings, seller=lambda party: Q(seller_id=party))
