"""Cancelling an order, by the channel or by the seller, and what follows from it.

**Who cancels.** The channel, when an ingested order's status becomes ``cancelled`` (:func:`order_ingest`
calls :func:`order_cancellation_cascade`); or the seller in Haicang with :func:`order_cancel` (audited
``order.cancelled``, ``order.cancelled`` in the outbox). A seller's cancellation is **sticky**: a later delivery
from the channel that still shows the order pending, unshipped or on hold keeps it cancelled (the seller cancels
on the platform too); a channel that reports it shipped or delivered wins (the goods left).

**The cascade** (in the cancellation's transaction), for every open fulfillment request of the order:

* ``submitted`` — the warehouse has not taken it: **cancelled at once**;
* ``accepted`` or ``in_progress`` — the warehouse works it: it gets a **cancellation request** (unless one is
  pending) that the operator answers; a request whose cancellation was refused is asked again.

**The stock.** While an order is live its reservation belongs to routing: cancelling or rejecting a fulfillment
request does not release it (routing may re-route). Once the **order** is cancelled, its reserved units are
released as soon as no warehouse may still ship them (:func:`cancelled_order_stock_release`):

* at once, for units in no request, or in requests cancelled at once, rejected or cancelled;
* for units in a request being worked (accepted, in progress): when the operator **accepts the cancellation**
  or cancels the request itself (``fulfilment.py`` calls back here); if it refuses, the units stay reserved and
  ship;
* never for units of a shipped request: the shipment consumes them.

The order's ``allocation_status`` becomes ``cancelled`` (routing leaves cancelled orders alone). Releasing is
computed, not counted: per reservation of the order, ``open − units still held by requests that may ship`` is
given back, so calling it again releases nothing twice. Lock order: the order, then its requests, then the
reservations and the stock counters.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.orders.errors import OrderNotCancellable
from haicang.orders.line_progress import request_units
from haicang.orders.models import AllocationStatus, CancelledBy, Order, OrderHistory, OrderStatus
from haicang.orders.models_fulfilment import (
    CancellationState,
    FulfillmentRequest,
    RequestStatus,
)

# Statuses a seller's cancellation keeps cancelled when the channel still reports them.
STICKY = frozenset(
    {OrderStatus.PENDING, OrderStatus.UNSHIPPED, OrderStatus.PARTIALLY_SHIPPED, OrderStatus.ON_HOLD}
)
# Requests whose units stay reserved after the order is cancelled: the warehouse may still ship them.
_WORKED = (RequestStatus.ACCEPTED, RequestStatus.IN_PROGRESS)


@dataclass(frozen=True)
class CascadeReport:
    requests_cancelled: int = 0  # submitted requests cancelled at once
    cancellations_requested: int = 0  # worked requests asked to cancel
    units_released: int = 0


def cancelled_order_stock_release(*, actor: Actor, order: Order) -> int:
    """Give back the reserved units of the cancelled ``order`` that no warehouse may still ship (see the module's
    docstring). Returns the units released; nothing for an order that is not cancelled."""
    from haicang.inventory.models import Reservation, ReservationStatus
    from haicang.inventory.services import stock_release
    from haicang.orders.routing import DEMAND_TYPE

    if order.status != OrderStatus.CANCELLED:
        return 0
    worked: dict[tuple[Any, Any], int] = defaultdict(int)
    shipped: dict[tuple[Any, Any], int] = defaultdict(int)
    for row in request_units(order.pk):  # the notion routing uses (haicang.orders.line_progress)
        key = (row.sku_id, row.warehouse_id)
        if row.status == RequestStatus.SHIPPED:
            shipped[key] += row.units
        elif row.status in _WORKED:
            worked[key] += row.units
    released = 0
    linked = [pk for pk in order.lines.values_list("reservation_id", flat=True) if pk is not None]
    reservations = Reservation.objects.select_for_update().filter(
        Q(pk__in=linked) | Q(demand_type=DEMAND_TYPE, demand_ref=str(order.pk)),
        status=ReservationStatus.OPEN,
        open_quantity__gt=0,
    )
    for reservation in reservations.order_by("pk"):
        key = (reservation.sku_id, reservation.warehouse_id)
        # Units of shipped requests are consumed by the shipment; those not consumed yet stay for it.
        keep = worked[key] + max(0, shipped[key] - reservation.consumed_quantity)
        give_back = reservation.open_quantity - keep
        if give_back > 0:
            stock_release(actor=actor, reservation=reservation, quantity=give_back)
            released += give_back
    return released


def order_cancellation_cascade(*, actor: Actor, order: Order, reason: str) -> CascadeReport:
    """What follows an order's cancellation, inside its transaction (the caller holds the order's lock and has
    saved it ``cancelled``): its open fulfillment requests are cancelled or asked to cancel, its free units
    released, and its ``allocation_status`` set to ``cancelled``."""
    from haicang.orders.fulfilment import fulfilment_request_cancel_request

    cancelled = requested = 0
    requests = FulfillmentRequest.objects.filter(
        order_id=order.pk, status__in=(RequestStatus.SUBMITTED, *_WORKED)
    ).order_by("number")
    for request in requests:
        if request.cancellation == CancellationState.REQUESTED:
            continue  # already waiting for the operator's answer
        changed = fulfilment_request_cancel_request(actor=actor, request=request, reason=reason)
        if changed.status == RequestStatus.CANCELLED:
            cancelled += 1
        else:
            requested += 1
    units = cancelled_order_stock_release(actor=actor, order=order)
    if order.allocation_status != AllocationStatus.CANCELLED:
        order.allocation_status = AllocationStatus.CANCELLED
        Order.objects.filter(pk=order.pk).update(allocation_status=AllocationStatus.CANCELLED)
    return CascadeReport(
        requests_cancelled=cancelled, cancellations_requested=requested, units_released=units
    )


def order_cancel(*, actor: Actor, order: Order, reason: str = "") -> Order:
    """The seller cancels ``order`` in Haicang: status ``cancelled`` (sticky against the channel's later
    pending/unshipped deliveries), history, ``order.cancelled`` in the outbox, the audit entry, and the cascade
    to its fulfillment requests and stock. Refused (``orders.not_cancellable``) when it is already cancelled,
    shipped or delivered."""
    from haicang.orders.services import ORDER_CANCELLED, emit_order_event, order_snapshot

    reason = (reason or "").strip()[:300]
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status in (OrderStatus.CANCELLED, OrderStatus.SHIPPED, OrderStatus.DELIVERED):
            raise OrderNotCancellable(f"order {order.number} is {order.status}: it cannot be cancelled")
        before = order_snapshot(order)
        previous, now = order.status, timezone.now()
        order.status, order.cancelled_at, order.cancelled_by = OrderStatus.CANCELLED, now, CancelledBy.SELLER
        order.version += 1
        order.save(update_fields=["status", "cancelled_at", "cancelled_by", "version", "updated_at"])
        OrderHistory.objects.create(
            order=order,
            version=order.version,
            event="cancelled",
            status=order.status,
            previous_status=previous,
            platform_status=order.platform_status,
            changed_fields=["status"],
            source="seller",
            occurred_at=now,
        )
        emit_order_event(order, ORDER_CANCELLED)
        report = order_cancellation_cascade(actor=actor, order=order, reason=reason or "order cancelled")
        audit_record(
            actor=actor,
            action="order.cancelled",
            subject=order,
            before=before,
            after={**order_snapshot(order), "by": CancelledBy.SELLER, **cascade_summary(report)},
            summary=reason or "cancelled by the seller",
        )
        return order


def cascade_summary(report: CascadeReport) -> dict[str, int]:
    """The report as the audit log keeps it."""
    return {
        "requests_cancelled": report.requests_cancelled,
        "cancellations_requested": report.cancellations_requested,
        "units_released": report.units_released,
    }
