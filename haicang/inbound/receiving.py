"""Receiving and closing an inbound shipment (the operator's side).

A receipt takes units of the shipment's lines out of *in transit to <warehouse>*: good units to a receiving
location, damaged ones to a damaged location (``stock_inbound_receive``: the units land with the **receipt
date** as their layer date, so FIFO ageing starts at arrival, and — for lot-tracked SKUs — in the lot the
receiver names, with its expiry when the lot is new and the SKU is expiry-tracked). The line's received/damaged counters are bumped with one
guarded update each (``received + damaged + n <= expected``), so two people receiving one shipment at once can
never take more than was shipped, and the ledger's in-transit balance guards the same from its side.
Receiving more than expected, or a SKU that is not on the shipment, is refused here: those units come in
only as recorded discrepancies (``discrepancies``); the scanner page records every scan (``scanning``).

Closing writes the units still in transit off to *inventory loss* ("short on receipt of ASN-…"), so a closed
shipment leaves nothing in transit, records a *short* discrepancy per SKU not fully received and keeps the
receipt report (``receipt_report``); the landed cost is computed once more; ``inbound.closed`` is announced.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone

from haicang.catalog.models import Sku
from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.inbound import costing
from haicang.inbound.asn_rules import SkuRef
from haicang.inbound.errors import OverReceipt, ReceiptInvalid, ReceivingLocationMissing
from haicang.inbound.models import (
    Discrepancy,
    DiscrepancyKind,
    InboundShipment,
    ShipmentLine,
    ShipmentStatus,
)
from haicang.inbound.services import emit, milestone_record, shipment_hold
from haicang.inventory import locks
from haicang.inventory.errors import InvalidLot
from haicang.inventory.services import DemandLine, stock_in_transit_clear, stock_inbound_receive
from haicang.network.models import Location, LocationKind
from haicang.network.selectors import in_transit_location

RECEIVABLE = (ShipmentStatus.ARRIVED, ShipmentStatus.RECEIVING)


@dataclass(frozen=True)
class ReceiptLine:
    sku: SkuRef  # a code or an id
    quantity: int = 0  # good units
    damaged: int = 0
    lot_code: str = ""  # lot-tracked SKUs: the lot the units belong to (ignored for other SKUs)
    expires_on: dt.date | None = None  # a new lot of an expiry-tracked SKU: its expiry date


def lot_of(sku: Sku, lot_code: str, expires_on: dt.date | None) -> tuple[str, dt.date | None]:
    """The lot a receipt of ``sku`` names: the given code and expiry for a lot- or expiry-tracked SKU; nothing
    for any other SKU (a lot typed on the scanner page while receiving an untracked SKU is ignored). Whether
    the lot is complete — named, and dated when it is new and the SKU expiry-tracked — is the ledger's rule
    (``inventory.services.lot_ensure``)."""
    if sku.track_lot or sku.track_expiry:
        return (lot_code or "").strip(), expires_on
    return "", None


def _area(shipment: InboundShipment, kind: str, given: Location | None, field: str) -> Location:
    if given is not None:
        if given.warehouse_id != shipment.warehouse_id or given.kind != kind or not given.is_active:
            raise ReceiptInvalid(
                f"{given} is not an active {kind} location of {shipment.warehouse.code}", field=field
            )
        return given
    found = (
        Location.objects.filter(warehouse_id=shipment.warehouse_id, kind=kind, is_active=True)
        .order_by("pick_sequence", "code")
        .first()
    )
    if found is None:
        raise ReceivingLocationMissing(
            f"{shipment.warehouse.code} has no active {kind} location", field=field
        )
    return found


def _count(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ReceiptInvalid(f"a quantity is a whole number, 0 or more, not {value!r}", field=field)
    return value


def _line_for(lines: Sequence[ShipmentLine], ref: SkuRef, field: str) -> ShipmentLine:
    for line in lines:
        if (isinstance(ref, uuid.UUID) and line.sku_id == ref) or (
            isinstance(ref, str) and line.sku.code == ref
        ):
            return line
    raise ReceiptInvalid(f"{ref} is not on this shipment", field=field)


def inbound_receive(
    *,
    actor: Actor,
    shipment: InboundShipment,
    lines: Sequence[ReceiptLine],
    location: Location | None = None,
    damaged_location: Location | None = None,
) -> InboundShipment:
    """Receive counted units of an arrived shipment (several receipts over days are fine). Good units go to
    ``location`` (default: the warehouse's first active receiving location), damaged ones to
    ``damaged_location`` (default: its first damaged location). Refused as a whole (``inbound.over_receipt``)
    when a line would get more than expected. Announces ``inbound.received``."""
    _counts(lines)
    return locks.ledger_atomic(
        lambda: receipt_apply(
            actor=actor,
            shipment=shipment,
            lines=lines,
            location=location,
            damaged_location=damaged_location,
        )
    )


def _counts(lines: Sequence[ReceiptLine]) -> list[tuple[int, int]]:
    if not lines:
        raise ReceiptInvalid("a receipt has at least one line", field="lines")
    counts = [
        (_count(line.quantity, f"lines.{i}.quantity"), _count(line.damaged, f"lines.{i}.damaged"))
        for i, line in enumerate(lines)
    ]
    if any(good + damaged == 0 for good, damaged in counts):
        raise ReceiptInvalid("every receipt line receives at least one unit", field="lines")
    return counts


def receiving_start(current: InboundShipment, actor: Actor) -> str:
    """The first receipt makes an arrived shipment ``receiving`` (with its milestone); the previous status."""
    previous = current.status
    if previous == ShipmentStatus.ARRIVED:
        current.status = ShipmentStatus.RECEIVING
        current.save(update_fields=["status"])
        milestone_record(current, ShipmentStatus.RECEIVING, actor, timezone.now())
    return previous


def receipt_apply(
    *,
    actor: Actor,
    shipment: InboundShipment,
    lines: Sequence[ReceiptLine],
    location: Location | None = None,
    damaged_location: Location | None = None,
) -> InboundShipment:
    """``inbound_receive`` inside the caller's ledger transaction (``locks.ledger_atomic``), for services
    that write more in the same transaction (a scan, a damaged discrepancy)."""
    counts = _counts(lines)
    current = shipment_hold(shipment, *RECEIVABLE)
    shipment_lines = list(current.lines.select_related("sku"))
    wanted: dict[uuid.UUID, tuple[ShipmentLine, int, int]] = {}
    parts: list[_Part] = []
    for i, (line, (good, damaged)) in enumerate(zip(lines, counts, strict=True)):
        target = _line_for(shipment_lines, line.sku, f"lines.{i}.sku")
        _, g, d = wanted.get(target.pk, (target, 0, 0))
        wanted[target.pk] = (target, g + good, d + damaged)
        lot, expires = lot_of(target.sku, line.lot_code, line.expires_on)
        parts.append(_Part(i, target.pk, good, damaged, lot, expires))
    good_to = (
        _area(current, LocationKind.RECEIVING, location, "location")
        if any(g for _, g, _ in wanted.values())
        else None
    )
    damaged_to = (
        _area(current, LocationKind.DAMAGED, damaged_location, "damaged_location")
        if any(d for _, _, d in wanted.values())
        else None
    )
    in_transit_location(current.warehouse)  # a clear error when the warehouse has none
    averages = costing.averages_hold(current, [target.sku_id for target, _, _ in wanted.values()])
    on_hand = {sku_id: costing.on_hand_at_warehouse(current, sku_id) for sku_id in averages}
    if any(target.landed_unit_cost is None for target, _, _ in wanted.values()):
        costing.landed_costs_persist(current)
        for target, _, _ in wanted.values():
            target.refresh_from_db()
    received_lines = []
    for target, good, damaged in sorted(wanted.values(), key=lambda w: str(w[0].sku_id)):
        bumped = ShipmentLine.objects.filter(
            pk=target.pk,
            expected_quantity__gte=F("received_quantity") + F("damaged_quantity") + good + damaged,
        ).update(
            received_quantity=F("received_quantity") + good,
            damaged_quantity=F("damaged_quantity") + damaged,
        )
        if bumped != 1:
            target.refresh_from_db()
            raise OverReceipt(
                f"{target.sku.code}: {target.expected_quantity} expected, {target.received_quantity} received "
                f"and {target.damaged_quantity} damaged so far; {good + damaged} more is too many",
                field="lines",
                sku=target.sku.code,
                open=target.short_quantity,
            )
        for part in (p for p in parts if p.line_id == target.pk):
            for units, to in ((part.good, good_to), (part.damaged, damaged_to)):
                if units and to is not None:
                    _receive_from_transit(current, target, part, units, to, actor)
        costing.landed_average_receive(
            average=averages[target.sku_id],
            shipment=current,
            on_hand_before=on_hand[target.sku_id],
            unit_cost=target.landed_unit_cost,
            units=good + damaged,
        )
        received_lines.append({"sku": target.sku.code, "received": good, "damaged": damaged})
    previous = receiving_start(current, actor)
    audit_record(
        actor=actor,
        action="inbound.received",
        subject=current,
        before={"status": previous},
        after={"status": current.status, "lines": received_lines},
    )
    emit("inbound.received", current)
    return current


@dataclass(frozen=True)
class _Part:
    """One receipt line as the ledger receives it: its units of one shipment line in one lot."""

    index: int
    line_id: uuid.UUID
    good: int
    damaged: int
    lot_code: str
    expires_on: dt.date | None


def _receive_from_transit(
    shipment: InboundShipment, line: ShipmentLine, part: _Part, units: int, to: Location, actor: Actor
) -> None:
    try:
        stock_inbound_receive(
            actor=actor,
            owner=shipment.seller,
            sku=line.sku,
            location=to,
            quantity=units,
            lot_code=part.lot_code,
            expires_on=part.expires_on,
            document_ref=shipment.number,
        )
    except InvalidLot as exc:  # name the receipt line the lot belongs to
        raise InvalidLot(
            exc.detail, field=f"lines.{part.index}.{exc.field or 'lot_code'}", sku=line.sku.code
        ) from exc


def inbound_close(*, actor: Actor, shipment: InboundShipment, note: str = "") -> InboundShipment:
    """Close an arrived or received shipment: units not received are written off from in transit to inventory
    loss and recorded as *short* discrepancies (``note`` says why); the receipt report is kept; the landed
    cost is kept once more; ``inbound.closed`` is announced."""
    from haicang.inbound.receipt_report import receipt_report_keep

    def close() -> InboundShipment:
        current = shipment_hold(shipment, *RECEIVABLE)
        previous = current.status
        lines = list(current.lines.select_related("sku").order_by("position"))
        short = [DemandLine(line.sku, line.short_quantity) for line in lines if line.short_quantity > 0]
        if short:
            stock_in_transit_clear(
                actor=actor,
                owner=current.seller,
                warehouse=current.warehouse,
                lines=short,
                to_kind=LocationKind.INVENTORY_LOSS,
                reason=f"short on receipt of {current.number}",
                document_ref=current.number,
            )
        now = timezone.now()
        Discrepancy.objects.bulk_create(
            [
                Discrepancy(
                    shipment=current,
                    kind=DiscrepancyKind.SHORT,
                    sku=line.sku,
                    quantity=line.short_quantity,
                    note=(note or "")[:500],
                    actor_label=actor.label[:200],
                    at=now,
                )
                for line in lines
                if line.short_quantity > 0
            ]
        )
        current.status, current.closed_at = ShipmentStatus.CLOSED, now
        current.save(update_fields=["status", "closed_at"])
        milestone_record(current, ShipmentStatus.CLOSED, actor, now, note)
        costing.landed_costs_persist(current)
        receipt_report_keep(actor=actor, shipment=current, at=now)
        audit_record(
            actor=actor,
            action="inbound.closed",
            subject=current,
            before={"status": previous},
            after={
                "status": current.status,
                "short": {line.sku.code: line.short_quantity for line in lines if line.short_quantity},
            },
            summary=(note or "")[:500],
        )
        emit("inbound.closed", current)
        return current

    return locks.ledger_atomic(close)
