"""Ship confirmation: parcels leave, the stock follows, the seller is told (docs/fulfillment.md, "Ship
confirmation").

- :func:`parcel_ship` — one labelled parcel is confirmed as handed to the carrier (the dock scan): ``labelled``
  → ``shipped``, event ``parcel.shipped`` (tracking number and carrier) to the seller. When it was the outbound's
  last parcel and every picked unit is packed, the outbound ships with it;
- :func:`outbound_ship` — every labelled parcel of a packed outbound at once, then the outbound;
- the outbound shipping (:func:`_outbound_complete`) **consumes the reservation from the picked bins**: each
  picked task's units leave its bin (and lot) for the customer location through
  ``inventory.services.stock_consume(sources=…)``, released from the order lines' reservations; the request
  becomes ``shipped`` with the carrier(s) and tracking numbers (``orders.fulfilment.fulfilment_request_ship``,
  which emits ``fulfillment_request.changed``); the outbound ``shipped``; event ``outbound.shipped``.
- :func:`dock_scan` — the ship/dock page's scan: a parcel label's tracking number (or the parcel number) is
  confirmed; a wrong or unknown label is refused and kept with its reason (:class:`DockScan`).

A second confirmation is refused (``ship.already_shipped``). A pending cancellation request refuses the
shipment — of any parcel, not only the last (``fulfillment.transition_invalid``) — and nothing changes. Lock order (picking's, without
the warehouse): pick lists → outbound → parcels → the request → the ledger's own.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Case, Q, When
from django.utils import timezone

from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.core.errors import DomainError
from haicang.fulfillment import progress
from haicang.fulfillment.errors import (
    AlreadyShipped,
    LabelUnknown,
    NotLabelled,
    ReservationMissing,
    TransitionInvalid,
    UnitsNotPacked,
    WrongWarehouse,
)
from haicang.fulfillment.models import (
    DockScan,
    Outbound,
    OutboundStatus,
    Parcel,
    ParcelStatus,
    PickTask,
    ScanResult,
)
from haicang.fulfillment.outbound import require
from haicang.fulfillment.packing import items_to_pack
from haicang.fulfillment.shipping_events import OUTBOUND_SHIPPED, PARCEL_SHIPPED
from haicang.integration.outbox import Subject, outbox_emit
from haicang.inventory.models import Reservation, ReservationStatus
from haicang.inventory.services import ConsumeSource, stock_consume
from haicang.network.models import Warehouse
from haicang.orders.fulfilment import fulfilment_request_ship
from haicang.orders.models_fulfilment import CancellationState, FulfillmentRequest

PARCEL_SUBJECT = "fulfillment.parcel"
OUTBOUND_SUBJECT = "fulfillment.outbound"


def _parcel_lock(parcel: Parcel) -> Parcel:
    return (
        Parcel.objects.select_for_update(of=("self",))
        .select_related("carrier_service__carrier")
        .get(pk=parcel.pk)
    )


def _ship_one(actor: Actor, parcel: Parcel, now: dt.datetime) -> Parcel:
    if parcel.status == ParcelStatus.SHIPPED:
        raise AlreadyShipped(
            f"{parcel.number} was confirmed as shipped at {parcel.shipped_at:%Y-%m-%d %H:%M} UTC",
            field="parcel",
            parcel=parcel.number,
        )
    if parcel.status == ParcelStatus.VOIDED:
        raise TransitionInvalid(f"{parcel.number}'s label was voided: it does not ship", field="status")
    if parcel.status != ParcelStatus.LABELLED or not parcel.tracking_number:
        raise NotLabelled(f"{parcel.number} has no label yet: print its label first", field="parcel")
    parcel.status, parcel.shipped_at = ParcelStatus.SHIPPED, now
    parcel.version += 1
    parcel.save(update_fields=["status", "shipped_at", "version", "updated_at"])
    audit_record(
        actor=actor,
        action="parcel.shipped",
        subject=parcel,
        before={"status": ParcelStatus.LABELLED},
        after={
            "status": parcel.status,
            "carrier": parcel.carrier_code,
            "tracking_number": parcel.tracking_number,
        },
        occurred_at=now,
    )
    outbox_emit(
        event_type=PARCEL_SHIPPED,
        subject=Subject(PARCEL_SUBJECT, str(parcel.pk)),
        subject_version=parcel.version,
        seller_id=parcel.seller_id,
        operator_id=parcel.operator_id,
        occurred_at=now,
    )
    return parcel


def _no_pending_cancellation(outbound: Outbound) -> None:
    """No parcel goes on the truck while the seller's cancellation request waits for the operator's answer."""
    request = FulfillmentRequest.objects.only("number", "cancellation").get(pk=outbound.request_id)
    if request.cancellation == CancellationState.REQUESTED:
        raise TransitionInvalid(
            f"{request.number} has a pending cancellation request: answer it before a parcel leaves",
            field="cancellation",
        )


def _ready_to_complete(outbound: Outbound) -> bool:
    live = outbound.parcels.exclude(status=ParcelStatus.VOIDED)
    return (
        live.exists()
        and not live.exclude(status=ParcelStatus.SHIPPED).exists()
        and not items_to_pack(outbound)
    )


def _reservations(request: FulfillmentRequest) -> dict[uuid.UUID, list[Reservation]]:
    """The open reservations of the request's lines, per SKU (the order lines' own, else the order's demand)."""
    found: dict[uuid.UUID, list[Reservation]] = defaultdict(list)
    for line in request.lines.select_related("order_line"):
        reservation_id = line.order_line.reservation_id
        candidates = Reservation.objects.filter(
            sku_id=line.sku_id,
            warehouse_id=request.warehouse_id,
            status=ReservationStatus.OPEN,
            open_quantity__gt=0,
        )
        candidates = (
            candidates.filter(pk=reservation_id)
            if reservation_id is not None
            else candidates.filter(demand_type="order", demand_ref=str(request.order_id))
        )
        for reservation in candidates.order_by("created_at", "pk"):
            if all(r.pk != reservation.pk for r in found[line.sku_id]):
                found[line.sku_id].append(reservation)
    return found


def _sources(outbound: Outbound) -> dict[uuid.UUID, list[ConsumeSource]]:
    """What was picked, per SKU: the bin (and lot) of every picked task, merged."""
    merged: dict[tuple[uuid.UUID, uuid.UUID, str], int] = defaultdict(int)
    locations: dict[uuid.UUID, Any] = {}
    for task in PickTask.objects.filter(outbound=outbound, picked_quantity__gt=0).select_related("location"):
        merged[(task.sku_id, task.location_id, task.lot_code)] += task.picked_quantity
        locations[task.location_id] = task.location
    out: dict[uuid.UUID, list[ConsumeSource]] = defaultdict(list)
    for (sku_id, location_id, lot_code), quantity in sorted(
        merged.items(), key=lambda kv: [str(p) for p in kv[0]]
    ):
        out[sku_id].append(ConsumeSource(locations[location_id], quantity, lot_code or None))
    return out


def _split(sources: list[ConsumeSource], quantity: int) -> tuple[list[ConsumeSource], list[ConsumeSource]]:
    """The first ``quantity`` units of ``sources``, and the rest."""
    taken: list[ConsumeSource] = []
    rest: list[ConsumeSource] = []
    for source in sources:
        take = min(quantity, source.quantity)
        if take:
            taken.append(ConsumeSource(source.location, take, source.lot_code))
        if source.quantity - take:
            rest.append(ConsumeSource(source.location, source.quantity - take, source.lot_code))
        quantity -= take
    return taken, rest


def _consume(actor: Actor, outbound: Outbound, request: FulfillmentRequest) -> int:
    """Consume the picked units from their bins against the request's reservations; the units consumed."""
    reservations = _reservations(request)
    consumed = 0
    for sku_id, sources in sorted(_sources(outbound).items(), key=lambda kv: str(kv[0])):  # the lock order
        left = sources
        for reservation in reservations.get(sku_id, []):
            units = sum(s.quantity for s in left)
            if not units:
                break
            taken, left = _split(left, min(units, reservation.open_quantity))
            if taken:
                stock_consume(
                    actor=actor, reservation=reservation, sources=taken, document_ref=request.number
                )
                consumed += sum(s.quantity for s in taken)
        if sum(s.quantity for s in left):
            code = next(
                (t.sku.code for t in outbound.pick_tasks.filter(sku_id=sku_id).select_related("sku")), sku_id
            )
            raise ReservationMissing(
                f"{code}: {sum(s.quantity for s in left)} picked units are held by no open reservation of "
                f"{request.number}",
                field="outbound",
                sku=str(code),
            )
    return consumed


def _outbound_complete(actor: Actor, outbound: Outbound, now: dt.datetime) -> Outbound:
    request = FulfillmentRequest.objects.get(pk=outbound.request_id)
    parcels = list(
        outbound.parcels.filter(status=ParcelStatus.SHIPPED)
        .select_related("carrier_service__carrier")
        .order_by("packed_at", "number")
    )
    units = _consume(actor, outbound, request)
    carriers = list(dict.fromkeys(_carrier_name(p) for p in parcels))
    tracking = [p.tracking_number for p in parcels]
    fulfilment_request_ship(
        actor=actor, request=request, carrier=", ".join(carriers), tracking_numbers=tracking, shipped_at=now
    )
    previous = outbound.status
    outbound.status, outbound.shipped_at = OutboundStatus.SHIPPED, now
    outbound.version += 1
    outbound.save(update_fields=["status", "shipped_at", "version", "updated_at"])
    audit_record(
        actor=actor,
        action="outbound.shipped",
        subject=outbound,
        before={"status": previous},
        after={
            "status": outbound.status,
            "parcels": len(parcels),
            "units": units,
            "tracking_numbers": tracking,
        },
        occurred_at=now,
    )
    outbox_emit(
        event_type=OUTBOUND_SHIPPED,
        subject=Subject(OUTBOUND_SUBJECT, str(outbound.pk)),
        subject_version=outbound.version,
        seller_id=outbound.seller_id,
        operator_id=outbound.operator_id,
        occurred_at=now,
    )
    return outbound


def _carrier_name(parcel: Parcel) -> str:
    service = parcel.carrier_service
    return service.carrier.name if service is not None else parcel.carrier_code


def parcel_ship(*, actor: Actor, parcel: Parcel, now: dt.datetime | None = None) -> Parcel:
    """Confirm that one labelled parcel left; the outbound ships with its last parcel (module docstring)."""
    now = now or timezone.now()
    with transaction.atomic():
        outbound = progress.outbound_lock(parcel.outbound)
        parcel = _parcel_lock(parcel)
        if parcel.status != ParcelStatus.SHIPPED:
            require(outbound, OutboundStatus.PACKED, action="ship its parcels")
            _no_pending_cancellation(outbound)
        parcel = _ship_one(actor, parcel, now)
        if _ready_to_complete(outbound):
            _outbound_complete(actor, outbound, now)
        return parcel


def outbound_ship(*, actor: Actor, outbound: Outbound, now: dt.datetime | None = None) -> Outbound:
    """Confirm that every parcel of a packed outbound left, and ship the outbound: refused while a picked unit
    is not packed or a live parcel has no label."""
    now = now or timezone.now()
    with transaction.atomic():
        outbound = progress.outbound_lock(outbound)
        if outbound.status == OutboundStatus.SHIPPED:
            raise AlreadyShipped(f"{outbound.number} was confirmed as shipped already", field="outbound")
        require(outbound, OutboundStatus.PACKED, action="ship")
        left = items_to_pack(outbound)
        if left:
            what = ", ".join(f"{i.quantity} × {i.sku.code}" for i in left)
            raise UnitsNotPacked(f"{outbound.number}: {what} picked but not packed", field="outbound")
        parcels = list(
            outbound.parcels.select_for_update()
            .exclude(status=ParcelStatus.VOIDED)
            .order_by("packed_at", "number")
        )
        unlabelled = [p.number for p in parcels if p.status == ParcelStatus.PACKED]
        if unlabelled:
            raise NotLabelled(f"no label yet: {', '.join(unlabelled)}", field="outbound")
        for parcel in parcels:
            if parcel.status == ParcelStatus.LABELLED:
                _ship_one(actor, parcel, now)
        return _outbound_complete(actor, outbound, now)


# --- the dock ---------------------------------------------------------------------------------------------------


def parcel_for_label(*, operator_id: Any, raw: str, warehouse: Warehouse | None = None) -> Parcel | None:
    """The operator's parcel whose tracking number or parcel number is ``raw`` (a scanned label)."""
    text = "".join(raw.split())
    if not text:
        return None
    found = Parcel.objects.filter(operator_id=operator_id).filter(
        Q(tracking_number__iexact=text) | Q(number__iexact=text)
    )
    if warehouse is not None:
        found = found.order_by(Case(When(warehouse=warehouse, then=0), default=1), "-packed_at")
    return found.exclude(status=ParcelStatus.VOIDED).first() or found.first()


def dock_scan(
    *,
    actor: Actor,
    operator_id: Any,
    raw: str,
    warehouse: Warehouse | None = None,
    now: dt.datetime | None = None,
) -> DockScan:
    """Confirm the parcel a scanned label names (:func:`parcel_ship`), or refuse it with the reason; either way
    the scan is kept. Never raises for a refused label: the page shows the reason."""
    now = now or timezone.now()
    raw = raw.strip()[:100]
    parcel = parcel_for_label(operator_id=operator_id, raw=raw, warehouse=warehouse)
    scan = DockScan(
        operator_id=operator_id,
        warehouse=warehouse if warehouse is not None else (parcel.warehouse if parcel is not None else None),
        parcel=parcel,
        raw=raw,
        actor=actor.label[:200],
        occurred_at=now,
    )
    error: DomainError | None
    if parcel is None:
        error = LabelUnknown(f"no parcel of yours has the label {raw!r}", field="raw")
    elif warehouse is not None and parcel.warehouse_id != warehouse.pk:
        error = WrongWarehouse(
            f"{parcel.number} ships from another warehouse, not {warehouse.code}", field="raw"
        )
    else:
        try:
            parcel_ship(actor=actor, parcel=parcel, now=now)
            error = None
        except DomainError as exc:
            error = exc
    if error is None:
        scan.result, scan.message = ScanResult.ACCEPTED, f"{parcel.number} shipped"  # type: ignore[union-attr]
    else:
        scan.result, scan.reason_code, scan.message = (
            ScanResult.REFUSED,
            str(error.code)[:40],
            error.detail[:300],
        )
    with transaction.atomic():
        scan.save(force_insert=True)
        if error is not None:
            audit_record(
                actor=actor,
                action="parcel.ship_scan_refused",
                subject=scan,
                after={"raw": raw, "reason": scan.reason_code, "parcel": parcel.number if parcel else ""},
                summary=scan.message[:200],
                occurred_at=now,
            )
    return scan


def dock_scans_recent(*, operator_id: Any, limit: int = 20) -> Sequence[DockScan]:
    return list(
        DockScan.objects.filter(operator_id=operator_id)
        .select_related("parcel")
        .order_by("-occurred_at")[:limit]
    )
