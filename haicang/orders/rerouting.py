"""Re-routing what a warehouse gave back (docs/orders.md, "Re-routing a handed-back request").

When a warehouse cannot ship an accepted request after all — a short pick with no other bin, no bin holding the
units at wave release — the fulfillment app **hands it back** (:func:`fulfilment_request_hand_back`): the request
is cancelled with the operator's reason, and the seller's routing takes its units again at once
(:func:`order_reroute`):

1. **Release** at the request's warehouse the reservation of the order lines that no longer ship from there:
   lines of the request that no other open (or shipped) request of the order at that warehouse still holds, and
   whose reservation is at that warehouse. Such a line is unlinked from its reservation, which gives back that
   line's units (a reservation two lines of one SKU share keeps the other line's). A line still partly in another
   open request there keeps its whole reservation (a line holds one reservation): release the rest there again,
   or cancel it. Lines reserved at another warehouse keep their reservation.
2. **Route again** every line without a reservation (``routing.order_route``), with ``withhold``: units of the
   warehouse that gave the request back which routing must not count now — what its bins cannot give (a short
   pick's units, bins waiting for a cycle count). The lines go to another warehouse with the stock, back to the
   same one when it still has enough that it can pick, or to **backorder**. A held or non-routable order is not
   routed: its freed lines wait unallocated (``allocation_status`` ``unallocated``) until it is routed again.
3. A cancelled order is not routed: cancelling the request already gave its units back
   (``cancellation.cancelled_order_stock_release``).

Audited ``order.rerouted`` (the request, its warehouse, units released, lines freed, units withheld and the
outcome); the routing writes its own decision and ``order.routed`` / ``order.backordered``. Nothing here knows
about bins: the fulfillment app says what to withhold. Lock order: the order, then the request, then the
reservations and the stock counters (as ``cancellation.py``).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction

from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.inventory.models import Reservation, ReservationStatus
from haicang.inventory.services import stock_release
from haicang.orders.fulfilment import TransitionInvalid, fulfilment_request_cancel
from haicang.orders.line_progress import lines_progress
from haicang.orders.models import AllocationStatus, LineKind, Order, OrderLine, OrderStatus
from haicang.orders.models_fulfilment import (
    OPEN_STATUSES,
    FulfillmentRequest,
    FulfillmentRequestLine,
    RequestStatus,
)
from haicang.orders.routing import Routed, RouteOutcome, order_route

# A request the warehouse no longer works: its units may be routed again.
CLOSED_BY_WAREHOUSE = (RequestStatus.CANCELLED, RequestStatus.REJECTED)
# Requests whose lines stay where they are.
_HOLDING = (*OPEN_STATUSES, RequestStatus.SHIPPED)


@dataclass(frozen=True)
class Rerouted:
    order: Order
    request: FulfillmentRequest
    released: int  # units given back at the request's warehouse
    lines: tuple[uuid.UUID, ...]  # the order lines freed there
    outcome: str  # RouteOutcome.*
    routed: Routed | None = None  # None when the order was not routed (cancelled)


def _release(actor: Actor, order: Order, request: FulfillmentRequest) -> tuple[int, list[OrderLine]]:
    """Give back the reservation of the request's lines that no longer ship from its warehouse (module
    docstring, step 1). Returns the units released and the lines freed. Idempotent: a freed line is unlinked."""
    mine = set(FulfillmentRequestLine.objects.filter(request=request).values_list("order_line_id", flat=True))
    staying = set(
        FulfillmentRequestLine.objects.filter(
            request__order_id=order.pk,
            request__warehouse_id=request.warehouse_id,
            request__status__in=_HOLDING,
        )
        .exclude(request_id=request.pk)
        .values_list("order_line_id", flat=True)
    )
    candidates = list(
        OrderLine.objects.filter(pk__in=mine - staying, reservation__isnull=False)
        .exclude(kind=LineKind.KIT)
        .order_by("position")
    )
    reservations = {
        r.pk: r
        for r in Reservation.objects.select_for_update()
        .filter(
            pk__in={line.reservation_id for line in candidates},
            warehouse_id=request.warehouse_id,
            status=ReservationStatus.OPEN,
        )
        .order_by("pk")
    }
    freed = [line for line in candidates if line.reservation_id in reservations]
    progress = lines_progress(freed)  # units shipped (by the channel's word or Haicang's) are not held
    wanted: dict[uuid.UUID, int] = defaultdict(int)
    for line in freed:
        wanted[line.reservation_id] += progress[line.pk].outstanding  # type: ignore[index]
    released = 0
    for pk, reservation in reservations.items():
        give_back = min(reservation.open_quantity, wanted.get(pk, 0))
        if give_back > 0:
            stock_release(actor=actor, reservation=reservation, quantity=give_back)
            released += give_back
    if freed:
        OrderLine.objects.filter(pk__in=[line.pk for line in freed]).update(reservation=None)
    return released, freed


def order_reroute(
    *,
    actor: Actor,
    order: Order,
    request: FulfillmentRequest,
    withhold: Mapping[uuid.UUID, int] | None = None,
) -> Rerouted:
    """Route again the units of ``request`` (of ``order``), which its warehouse cancelled or rejected (module
    docstring). ``withhold``: units per SKU id of the request's warehouse that this routing must not count.
    Refused (``fulfillment.transition_invalid``) while the request is still open or shipped."""
    with transaction.atomic():
        order = Order.objects.select_for_update().select_related("seller").get(pk=order.pk)
        request = FulfillmentRequest.objects.get(pk=request.pk)
        if request.order_id != order.pk:
            raise TransitionInvalid(f"{request.number} is not a request of {order.number}", field="request")
        if request.status not in CLOSED_BY_WAREHOUSE:
            raise TransitionInvalid(
                f"{request.number} is {request.status}: only a request its warehouse gave back is re-routed",
                field="status",
            )
        withheld = {
            (request.warehouse_id, sku_id): units for sku_id, units in (withhold or {}).items() if units > 0
        }
        freed: list[OrderLine] = []
        released, outcome, routed = 0, RouteOutcome.NOT_ROUTABLE, None
        if order.status != OrderStatus.CANCELLED:  # a cancelled order's units went back with the request
            released, freed = _release(actor, order, request)
            routed = order_route(actor=actor, order=order, strict=False, withhold=withheld)
            outcome = routed.outcome
            order.refresh_from_db(fields=["allocation_status"])
            if outcome in (RouteOutcome.HELD, RouteOutcome.NOT_ROUTABLE) and freed:
                order.allocation_status = AllocationStatus.UNALLOCATED
                Order.objects.filter(pk=order.pk).update(allocation_status=AllocationStatus.UNALLOCATED)
        audit_record(
            actor=actor,
            action="order.rerouted",
            subject=order,
            after={
                "request": request.number,
                "warehouse": str(request.warehouse_id),
                "released": released,
                "lines": [line.position for line in freed],
                "withheld": {str(sku): units for (_, sku), units in withheld.items()},
                "outcome": outcome,
                "allocation_status": order.allocation_status,
            },
            summary=f"{request.number} given back by its warehouse: {outcome}",
        )
        return Rerouted(order, request, released, tuple(line.pk for line in freed), outcome, routed)


def fulfilment_request_hand_back(
    *,
    actor: Actor,
    request: FulfillmentRequest,
    reason: str,
    withhold: Mapping[uuid.UUID, int] | None = None,
) -> Rerouted:
    """The operator gives an accepted or in-progress request back: cancelled with ``reason``
    (``fulfilment.fulfilment_request_cancel``, which tells the seller), then its units routed again
    (:func:`order_reroute`), in one transaction. The order is locked before the request (the orders lock order)."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=request.order_id)
        cancelled = fulfilment_request_cancel(actor=actor, request=request, reason=reason)
        return order_reroute(actor=actor, order=order, request=cancelled, withhold=withhold)
