"""Outbound work: the warehouse's record of each accepted fulfillment request (docs/fulfillment.md, "Outbound
work").

An :class:`~haicang.fulfillment.models.Outbound` is created when the operator accepts a request
(:func:`outbound_accept`) — or adopted later by :func:`outbound_ensure` / :func:`outbounds_adopt` (wave planning
calls it) for requests accepted through the orders API, so none is missed. It carries the estimates waves are
planned with: units, lines, weight and volume from the SKUs' master data (``outbound_rules.parcel_estimate``) and
the request's service level (waves group by its class, ``outbound_rules.service_class``).

Outbound states: ``to_wave`` → ``waved`` (in a planned wave) → ``picking`` (wave released: pick lists out, the
request ``in_progress``) → ``picked`` → ``packed`` → ``shipped``; ``exception`` (a short pick waiting for a
resolution, or no bin held enough at release) and ``cancelled`` (the seller's cancellation accepted, or handed
back to the seller's routing). Steps not allowed in the current state raise ``fulfillment.transition_invalid``.

**Cancellation requests** (:func:`outbound_cancellation_answer`): until the outbound has shipped the operator may
accept — open pick tasks are cancelled (picking moved no stock, so nothing is put back in the ledger; picked
units go back to their bins), open short picks closed, the outbound ``cancelled``, and the request
``cancelled`` through ``orders.fulfilment.fulfilment_request_cancel_answer``; or refuse with a reason. A
packed outbound's parcels are voided first (``labelling.parcels_void``: labels cancelled with the carrier; a
parcel the carrier has already scanned, or one confirmed shipped, refuses the cancellation). A shipped
outbound's request cannot be asked to cancel (``fulfillment.cancellation_invalid`` from orders).

**Hand-back** (:func:`outbound_hand_back`): the warehouse cannot ship it (a short pick with no other bin, or no
bin holding enough at release): open tasks cancelled, the outbound ``cancelled`` with the reason kept in
``exception_reason``, and the request given back to the seller's routing
(``orders.rerouting.fulfilment_request_hand_back``: cancelled with the reason — the orders state machine allows
``rejected`` only before acceptance — its reservation here released and its units routed again, not counting
what this warehouse cannot pick: ``short_stock.units_withheld``). Then the short picks' missing units are
written off (``short_stock.shortages_write_off``). The seller sees ``fulfillment_request.changed``.

Lock order of every service here and in ``waves``/``picking``: warehouse → pick lists → outbound → tasks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from haicang.catalog.models import Sku
from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.core.errors import ValidationFailed
from haicang.core.rows import rows_insert_bulk
from haicang.fulfillment import progress
from haicang.fulfillment.errors import TransitionInvalid
from haicang.fulfillment.models import (
    ExceptionResolution,
    ExceptionStatus,
    Outbound,
    OutboundStatus,
    PickException,
)
from haicang.fulfillment.outbound_rules import ItemSize, parcel_estimate
from haicang.fulfillment.short_stock import shortages_write_off, units_withheld
from haicang.network.models import Warehouse
from haicang.orders.fulfilment import (
    fulfilment_request_accept,
    fulfilment_request_cancel_answer,
    fulfilment_request_reject,
)
from haicang.orders.models_fulfilment import (
    CancellationState,
    FulfillmentRequest,
    FulfillmentRequestLine,
    RequestStatus,
)
from haicang.orders.rerouting import fulfilment_request_hand_back

HAND_BACK_FROM = (
    OutboundStatus.TO_WAVE,
    OutboundStatus.WAVED,
    OutboundStatus.PICKING,
    OutboundStatus.PICKED,
    OutboundStatus.EXCEPTION,
)
CANCEL_FROM = (*HAND_BACK_FROM, OutboundStatus.PACKED)


def warehouse_lock(warehouse_id: Any) -> Warehouse:
    """The first lock of every outbound, wave and picking service that allocates or closes work."""
    return Warehouse.objects.select_for_update().get(pk=warehouse_id)


def require(outbound: Outbound, *allowed: str, action: str) -> None:
    if outbound.status not in allowed:
        raise TransitionInvalid(
            f"{outbound.number} is {outbound.status}: cannot {action} (needs {' or '.join(allowed)})",
            field="status",
            status=outbound.status,
        )


def _reason(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationFailed("say why", field="reason")
    return text[:300]


# --- creating ---------------------------------------------------------------------------------------------------
def _snapshot(outbound: Outbound) -> dict[str, Any]:
    return {
        "status": outbound.status,
        "request": outbound.number,
        "warehouse": str(outbound.warehouse_id),
        "units": outbound.units,
        "est_weight_g": outbound.est_weight_g,
        "service_level": outbound.service_level,
    }


def _build(request: FulfillmentRequest, skus: dict[Any, Sku], now: datetime) -> Outbound:
    lines = list(request.lines.all())
    estimate = parcel_estimate(
        ItemSize(
            line.quantity,
            skus[line.sku_id].weight_g,
            skus[line.sku_id].length_mm,
            skus[line.sku_id].width_mm,
            skus[line.sku_id].height_mm,
        )
        for line in lines
    )
    return Outbound(
        request=request,
        seller_id=request.seller_id,
        operator_id=request.operator_id,
        warehouse_id=request.warehouse_id,
        number=request.number,
        service_level=request.service_level,
        due_at=request.due_at,
        units=sum(line.quantity for line in lines),
        lines=len(lines),
        est_weight_g=estimate.weight_g,
        est_volume_mm3=estimate.volume_mm3,
        accepted_at=request.accepted_at or now,
    )


def _create(actor: Actor, requests: Sequence[FulfillmentRequest], now: datetime) -> list[Outbound]:
    if not requests:
        return []
    sku_ids = {line.sku_id for request in requests for line in request.lines.all()}
    skus = Sku.objects.in_bulk(list(sku_ids))
    made = [_build(request, skus, now) for request in requests]
    rows_insert_bulk(made)
    progress.audit_bulk(
        actor=actor,
        action="outbound.created",
        changes=[(o, None, _snapshot(o)) for o in made],
        occurred_at=now,
    )
    return made


# What outbound work reads of a request (wave planning loads thousands: not the sealed ship-to, not the SLA).
REQUEST_FIELDS = (
    "id",
    "seller_id",
    "operator_id",
    "warehouse_id",
    "number",
    "order_number",
    "status",
    "cancellation",
    "service_level",
    "due_at",
    "accepted_at",
    "ship_country",
    "ship_postcode",
    "ship_company_sealed",  # residential or not, for the rate cards
)


def request_lines() -> Prefetch[Any]:
    return Prefetch(
        "lines", queryset=FulfillmentRequestLine.objects.only("id", "request_id", "sku_id", "quantity")
    )


def _adoptable(queryset: QuerySet[FulfillmentRequest]) -> QuerySet[FulfillmentRequest]:
    return (
        queryset.filter(status=RequestStatus.ACCEPTED, outbound__isnull=True)
        .only(*REQUEST_FIELDS)
        .prefetch_related(request_lines())
    )


def outbound_ensure(*, actor: Actor, request: FulfillmentRequest, now: datetime | None = None) -> Outbound:
    """The request's outbound, created on first call (idempotent). Only an accepted request gets one."""
    now = now or timezone.now()
    with transaction.atomic():
        warehouse_lock(request.warehouse_id)
        found = Outbound.objects.filter(request_id=request.pk).first()
        if found is not None:
            return found
        fresh = _adoptable(FulfillmentRequest.objects.filter(pk=request.pk)).first()
        if fresh is None:
            status = FulfillmentRequest.objects.values_list("status", flat=True).get(pk=request.pk)
            raise TransitionInvalid(
                f"{request.number} is {status}: only an accepted request becomes outbound work",
                field="status",
            )
        return _create(actor, [fresh], now)[0]


def outbounds_adopt(*, actor: Actor, warehouse: Warehouse, now: datetime | None = None) -> list[Outbound]:
    """Outbounds for every accepted request of ``warehouse`` that has none yet (in bulk). The caller holds the
    warehouse's lock."""
    now = now or timezone.now()
    requests = list(
        _adoptable(FulfillmentRequest.objects.filter(warehouse=warehouse)).order_by("due_at", "pk")
    )
    return _create(actor, requests, now)


# --- the operator answers a request ------------------------------------------------------------------------------
def outbound_accept(*, actor: Actor, request: FulfillmentRequest, now: datetime | None = None) -> Outbound:
    """Accept the request (``submitted`` → ``accepted``) and create its outbound, in one transaction."""
    with transaction.atomic():
        warehouse_lock(request.warehouse_id)
        accepted = fulfilment_request_accept(actor=actor, request=request)
        return _create(
            actor,
            [FulfillmentRequest.objects.prefetch_related("lines").get(pk=accepted.pk)],
            now or timezone.now(),
        )[0]


def outbound_reject(*, actor: Actor, request: FulfillmentRequest, reason: str) -> FulfillmentRequest:
    """Refuse a submitted request with the reason (it never becomes outbound work)."""
    return fulfilment_request_reject(actor=actor, request=request, reason=reason)


def _close(actor: Actor, outbound: Outbound, *, action: str, reason: str, now: datetime) -> Outbound:
    previous = outbound.status
    progress.outbound_tasks_cancel(actor, outbound, now)
    outbound.status = OutboundStatus.CANCELLED
    outbound.exception_reason = reason[:300]
    outbound.version += 1
    outbound.save(update_fields=["status", "exception_reason", "version", "updated_at"])
    audit_record(
        actor=actor,
        action=action,
        subject=outbound,
        before={"status": previous},
        after={"status": outbound.status, "reason": reason[:300]},
        summary=reason[:200],
        occurred_at=now,
    )
    return outbound


def outbound_cancellation_answer(
    *, actor: Actor, request: FulfillmentRequest, accept: bool, reason: str = "", now: datetime | None = None
) -> FulfillmentRequest:
    """Answer the seller's pending cancellation request (module docstring): accept until shipped, or refuse
    with a reason."""
    now = now or timezone.now()
    with transaction.atomic():
        warehouse_lock(request.warehouse_id)
        outbound = Outbound.objects.filter(request_id=request.pk).first()
        if accept and outbound is not None:
            outbound = progress.outbound_lock(outbound)
            fresh = FulfillmentRequest.objects.get(pk=request.pk)
            if fresh.cancellation == CancellationState.REQUESTED and fresh.is_open:
                require(outbound, *CANCEL_FROM, action="accept the cancellation")
                from haicang.fulfillment.labelling import parcels_void  # labelling imports this module

                parcels_void(actor=actor, outbound=outbound, reason="cancelled by the seller", now=now)
                _close(
                    actor, outbound, action="outbound.cancelled", reason="cancelled by the seller", now=now
                )
        return fulfilment_request_cancel_answer(actor=actor, request=request, accept=accept, reason=reason)


def outbound_hand_back(
    *, actor: Actor, outbound: Outbound, reason: str, now: datetime | None = None
) -> Outbound:
    """The warehouse cannot ship it: back to the seller's routing (module docstring)."""
    reason = _reason(reason)
    now = now or timezone.now()
    with transaction.atomic():
        warehouse = warehouse_lock(outbound.warehouse_id)
        outbound = progress.outbound_lock(outbound)
        require(outbound, *HAND_BACK_FROM, action="hand it back")
        open_shorts = PickException.objects.filter(outbound=outbound, status=ExceptionStatus.OPEN)
        shorts = list(open_shorts.select_related("task__location", "task__sku", "task__pick_list"))
        open_shorts.update(
            status=ExceptionStatus.RESOLVED,
            resolution=ExceptionResolution.HANDED_BACK,
            resolved_by=actor.label[:200],
            resolved_at=now,
        )
        _close(actor, outbound, action="outbound.handed_back", reason=f"handed back: {reason}", now=now)
        request = FulfillmentRequest.objects.get(pk=outbound.request_id)
        if request.status in (RequestStatus.ACCEPTED, RequestStatus.IN_PROGRESS):
            # the seller's routing takes the units back at once, not counting what this warehouse cannot pick
            skus = request.lines.values_list("sku_id", flat=True)
            withhold = units_withheld(warehouse, outbound.seller_id, skus, shorts)
            fulfilment_request_hand_back(actor=actor, request=request, reason=reason, withhold=withhold)
        if shorts:  # after the reservation went back: the missing units leave the bins' book
            shortages_write_off(actor=actor, outbound=outbound, shorts=shorts, now=now)
        return outbound


def outbound_requeue(*, actor: Actor, outbound: Outbound, now: datetime | None = None) -> Outbound:
    """An outbound in exception without an open short pick (no bin held enough at release) waits for the next
    wave again."""
    now = now or timezone.now()
    with transaction.atomic():
        warehouse_lock(outbound.warehouse_id)
        outbound = progress.outbound_lock(outbound)
        require(outbound, OutboundStatus.EXCEPTION, action="put it back in the wave queue")
        if PickException.objects.filter(outbound=outbound, status=ExceptionStatus.OPEN).exists():
            raise TransitionInvalid(
                f"{outbound.number} has a short pick to resolve first", field="status", status=outbound.status
            )
        if outbound.pick_tasks.exclude(status="cancelled").exists():
            raise TransitionInvalid(
                f"{outbound.number} is on a pick list: resolve or hand it back", field="status"
            )
        request = FulfillmentRequest.objects.get(pk=outbound.request_id)
        if request.status != RequestStatus.ACCEPTED:
            raise TransitionInvalid(
                f"{request.number} is {request.status}: it cannot wait for a wave", field="status"
            )
        previous = outbound.status
        outbound.status, outbound.wave, outbound.pick_mode, outbound.sort_slot = (
            OutboundStatus.TO_WAVE,
            None,
            "",
            None,
        )
        outbound.version += 1
        outbound.save()
        audit_record(
            actor=actor,
            action="outbound.requeued",
            subject=outbound,
            before={"status": previous, "reason": outbound.exception_reason},
            after={"status": outbound.status},
            occurred_at=now,
        )
        return outbound


def outbounds_sync(*, actor: Actor, outbounds: Iterable[Outbound], now: datetime) -> list[Outbound]:
    """Close the outbounds whose request was closed elsewhere (the orders API's cancel, a cancellation answered
    there); returns those still open. The caller holds the warehouse's lock."""
    still: list[Outbound] = []
    for outbound in outbounds:
        request = outbound.request
        if (
            request.status in (RequestStatus.CANCELLED, RequestStatus.REJECTED)
            and outbound.status in CANCEL_FROM
        ):
            _close(actor, outbound, action="outbound.cancelled", reason=f"request {request.status}", now=now)
            continue
        still.append(outbound)
    return still
