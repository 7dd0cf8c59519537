"""Writes of inbound shipments: create and change a draft, submit, dispatch, arrive, cancel, change the ETA,
set the freight costs. Receiving and closing live in ``receiving``; landed cost in ``costing``.

Life of a shipment::

    draft ──submit──▶ submitted ──dispatch──▶ in_transit ──arrive──▶ arrived ──receive──▶ receiving ──close──▶ closed
      └───────────────────┴──────────────────────┴──cancel──▶ cancelled          └────────────close────────────┘

Every transition holds the shipment's row with a guarded update (``status IN (…)``, ``version + 1``), so two
callers never both move it, and writes a milestone, an audit entry and — where the catalogue has one — an
outbox event, in one transaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.core.sequences import document_number_next
from haicang.inbound.asn_rules import AsnSpec, CostSpec, costs_check
from haicang.inbound.documents import (
    HEADER_FIELDS,
    NESTED_FIELDS,
    costs_write,
    document_check,
    nested_write,
    spec_of,
)
from haicang.inbound.errors import (
    FieldProblem,
    InboundErrorCode,
    InboundInvalid,
    InboundStale,
    InboundStatusInvalid,
)
from haicang.inbound.models import (
    EtaChange,
    InboundShipment,
    Milestone,
    ShipmentStatus,
)
from haicang.integration.outbox import Subject, outbox_emit
from haicang.network.models import Warehouse
from haicang.parties.models import Seller

SUBJECT_TYPE = "inbound.shipment"
NUMBER_PREFIX = "ASN"
# Statuses in which the ETA may still change, and in which a shipment may be cancelled.
BEFORE_ARRIVAL = (ShipmentStatus.DRAFT, ShipmentStatus.SUBMITTED, ShipmentStatus.IN_TRANSIT)


def subject(shipment: InboundShipment) -> Subject:
    return Subject(SUBJECT_TYPE, str(shipment.pk))


def emit(event_type: str, shipment: InboundShipment) -> None:
    outbox_emit(
        event_type=event_type,
        subject=subject(shipment),
        seller_id=shipment.seller_id,
        operator_id=shipment.warehouse.operator_id,
    )


# --- the document ------------------------------------------------------------------------------------------


def _summary(shipment: InboundShipment) -> dict[str, Any]:
    return {
        "status": shipment.status,
        "warehouse": shipment.warehouse.code,
        "mode": shipment.mode,
        "etd": shipment.etd,
        "eta": shipment.eta,
        "lines": shipment.lines.count(),
        "cartons": shipment.cartons.count(),
        "units": sum(shipment.lines.values_list("expected_quantity", flat=True)),
        "costs": shipment.costs.count(),
    }


def milestone_record(
    shipment: InboundShipment, status: str, actor: Actor, at: dt.datetime, note: str = ""
) -> None:
    Milestone.objects.create(
        shipment=shipment, status=status, at=at, actor_label=actor.label[:200], note=(note or "")[:500]
    )


def inbound_create(
    *, actor: Actor, seller: Seller, warehouse: Warehouse | None, spec: AsnSpec
) -> InboundShipment:
    """A draft shipment of ``seller`` to ``warehouse``, numbered ``ASN-<year>-NNNNNN`` per seller. Raises
    InboundInvalid listing every problem (unknown SKUs, quantities, cartons, destination, …)."""
    checked = document_check(seller, warehouse, spec)
    assert warehouse is not None  # noqa: S101 - a missing warehouse is a problem above
    with transaction.atomic():
        now = timezone.now()
        shipment = InboundShipment.objects.create(
            seller=seller,
            warehouse=warehouse,
            number=document_number_next(scope=seller.pk, prefix=NUMBER_PREFIX),
            created_by=actor.label[:200],
            **checked.header,
        )
        nested_write(shipment, checked, NESTED_FIELDS)
        milestone_record(shipment, ShipmentStatus.DRAFT, actor, now)
        audit_record(actor=actor, action="inbound.created", subject=shipment, after=_summary(shipment))
    return shipment


def shipment_hold(shipment: InboundShipment, *statuses: str, version: int | None = None) -> InboundShipment:
    """Take the shipment's row (a guarded update: status, and version when given, still as expected) and read
    it again; refused unless it is in ``statuses``. Every write starts here, so writes never interleave."""
    rows = InboundShipment.objects.filter(pk=shipment.pk, status__in=statuses)
    if version is not None:
        rows = rows.filter(version=version)
    held = rows.update(version=F("version") + 1, updated_at=timezone.now())
    fresh = InboundShipment.objects.select_related("seller", "warehouse").get(pk=shipment.pk)
    if held != 1:
        if version is not None and fresh.status in statuses and fresh.version != version:
            raise InboundStale(
                f"{fresh.number} is at version {fresh.version}, not {version}: read it again",
                field="version",
                version=fresh.version,
            )
        raise InboundStatusInvalid(
            f"{fresh.number} is {fresh.status}; this needs it {' or '.join(statuses)}", status=fresh.status
        )
    return fresh


def inbound_update(
    *,
    actor: Actor,
    shipment: InboundShipment,
    changes: Mapping[str, Any],
    version: int | None = None,
) -> InboundShipment:
    """Change a draft: header fields, ``warehouse`` and whole nested lists (``lines``, ``cartons``,
    ``customs_lines``, ``costs`` — each replaced as a whole when given). ``version``, when given, must be the
    shipment's current one (else ``inbound.stale``)."""
    unknown = set(changes) - set(HEADER_FIELDS) - set(NESTED_FIELDS) - {"warehouse"}
    if unknown:
        raise InboundInvalid(
            [_unknown_field(name) for name in sorted(unknown)],
        )
    with transaction.atomic():
        current = shipment_hold(shipment, ShipmentStatus.DRAFT, version=version)
        before = _summary(current)
        warehouse = changes.get("warehouse", current.warehouse)
        spec = dataclasses.replace(spec_of(current), **{k: v for k, v in changes.items() if k != "warehouse"})
        checked = document_check(current.seller, warehouse, spec)
        for name, value in checked.header.items():
            setattr(current, name, value)
        current.warehouse = warehouse
        current.save()
        nested_write(current, checked, [name for name in NESTED_FIELDS if name in changes])
        audit_record(
            actor=actor, action="inbound.updated", subject=current, before=before, after=_summary(current)
        )
    return current


def _unknown_field(name: str) -> FieldProblem:
    return FieldProblem(name, InboundErrorCode.FIELD_INVALID, f"{name} cannot be changed here")


def inbound_submit(*, actor: Actor, shipment: InboundShipment) -> InboundShipment:
    """Hand the draft to the warehouse: it must pass every rule again (the agreement may have ended), with at
    least one line. The operator sees it from now on; ``inbound.submitted`` is announced."""
    with transaction.atomic():
        current = shipment_hold(shipment, ShipmentStatus.DRAFT)
        document_check(current.seller, current.warehouse, spec_of(current), require_lines=True)
        now = timezone.now()
        current.status, current.submitted_at = ShipmentStatus.SUBMITTED, now
        current.save(update_fields=["status", "submitted_at"])
        milestone_record(current, ShipmentStatus.SUBMITTED, actor, now)
        audit_record(
            actor=actor,
            action="inbound.submitted",
            subject=current,
            before={"status": ShipmentStatus.DRAFT},
            after={"status": current.status},
        )
        emit("inbound.submitted", current)
    return current


def inbound_dispatch(
    *, actor: Actor, shipment: InboundShipment, at: dt.datetime | None = None, note: str = ""
) -> InboundShipment:
    """The goods left the supplier: every line's units move supplier → in transit to the warehouse, and the
    landed cost is computed with the FX rates of the dispatch date (kept when it can be; see ``costing``)."""
    from haicang.inbound.costing import landed_costs_persist
    from haicang.inventory import locks
    from haicang.inventory.services import DemandLine, stock_inbound_dispatch

    def dispatch() -> InboundShipment:
        current = shipment_hold(shipment, ShipmentStatus.SUBMITTED)
        when = at or timezone.now()
        lines = list(current.lines.select_related("sku").order_by("position"))
        stock_inbound_dispatch(
            actor=actor,
            owner=current.seller,
            warehouse=current.warehouse,
            lines=[DemandLine(line.sku, line.expected_quantity) for line in lines],
            document_ref=current.number,
            effective_at=when,
        )
        current.status, current.dispatched_at = ShipmentStatus.IN_TRANSIT, when
        current.fx_date = timezone.localdate(when)
        current.save(update_fields=["status", "dispatched_at", "fx_date"])
        milestone_record(current, ShipmentStatus.IN_TRANSIT, actor, when, note)
        landed_costs_persist(current)
        audit_record(
            actor=actor,
            action="inbound.dispatched",
            subject=current,
            before={"status": ShipmentStatus.SUBMITTED},
            after={"status": current.status, "dispatched_at": when, "fx_date": current.fx_date},
        )
        return current

    return locks.ledger_atomic(dispatch)


def inbound_arrive(
    *, actor: Actor, shipment: InboundShipment, at: dt.datetime | None = None, note: str = ""
) -> InboundShipment:
    """The shipment is at the warehouse, ready to be received; ``inbound.arrived`` is announced."""
    with transaction.atomic():
        current = shipment_hold(shipment, ShipmentStatus.IN_TRANSIT)
        when = at or timezone.now()
        current.status, current.arrived_at = ShipmentStatus.ARRIVED, when
        current.save(update_fields=["status", "arrived_at"])
        milestone_record(current, ShipmentStatus.ARRIVED, actor, when, note)
        audit_record(
            actor=actor,
            action="inbound.arrived",
            subject=current,
            before={"status": ShipmentStatus.IN_TRANSIT},
            after={"status": current.status, "arrived_at": when},
        )
        emit("inbound.arrived", current)
    return current


def inbound_cancel(*, actor: Actor, shipment: InboundShipment, reason: str = "") -> InboundShipment:
    """Cancel a shipment that has not arrived. Units already in transit go back to the supplier (all of
    them: nothing is received before arrival), so a cancelled shipment leaves nothing in transit;
    ``inbound.cancelled`` is announced (the operator hears of it when it had seen the shipment, i.e. after
    submission)."""
    from haicang.inventory import locks
    from haicang.inventory.services import DemandLine, stock_in_transit_clear
    from haicang.network.models import LocationKind

    def cancel() -> InboundShipment:
        current = shipment_hold(shipment, *BEFORE_ARRIVAL)
        previous = current.status
        if previous == ShipmentStatus.IN_TRANSIT:
            lines = list(current.lines.select_related("sku").order_by("position"))
            stock_in_transit_clear(
                actor=actor,
                owner=current.seller,
                warehouse=current.warehouse,
                lines=[DemandLine(line.sku, line.expected_quantity) for line in lines],
                to_kind=LocationKind.SUPPLIER,
                reason=f"{current.number} cancelled" + (f": {reason.strip()}" if reason.strip() else ""),
                document_ref=current.number,
            )
        now = timezone.now()
        current.status, current.cancelled_at = ShipmentStatus.CANCELLED, now
        current.save(update_fields=["status", "cancelled_at"])
        milestone_record(current, ShipmentStatus.CANCELLED, actor, now, reason)
        audit_record(
            actor=actor,
            action="inbound.cancelled",
            subject=current,
            before={"status": previous},
            after={"status": current.status},
            summary=(reason or "")[:500],
        )
        emit("inbound.cancelled", current)
        return current

    return locks.ledger_atomic(cancel)


def inbound_eta_change(
    *, actor: Actor, shipment: InboundShipment, eta: dt.date, reason: str = ""
) -> InboundShipment:
    """A new estimated arrival (before arrival); every change is kept with the previous date and the reason."""
    if not isinstance(eta, dt.date) or isinstance(eta, dt.datetime):
        raise InboundInvalid([_problem("eta", "the ETA is a date")])
    if len(reason or "") > 500:
        raise InboundInvalid([_problem("reason", "a reason has at most 500 characters")])
    with transaction.atomic():
        current = shipment_hold(shipment, *BEFORE_ARRIVAL)
        if current.etd and eta < current.etd:
            raise InboundInvalid([_problem("eta", "the ETA is before the ETD")])
        previous = current.eta
        if previous == eta:
            return current
        current.eta = eta
        current.save(update_fields=["eta"])
        EtaChange.objects.create(
            shipment=current,
            previous_eta=previous,
            new_eta=eta,
            at=timezone.now(),
            actor_label=actor.label[:200],
            reason=(reason or "").strip(),
        )
        audit_record(
            actor=actor,
            action="inbound.eta_changed",
            subject=current,
            before={"eta": previous},
            after={"eta": eta},
            summary=(reason or "")[:500],
        )
    return current


def _problem(field: str, detail: str) -> FieldProblem:
    return FieldProblem(field, InboundErrorCode.FIELD_INVALID, detail)


def inbound_costs_set(
    *, actor: Actor, shipment: InboundShipment, costs: Sequence[CostSpec]
) -> InboundShipment:
    """Replace the freight costs (duty and import VAT are often known only on arrival): allowed until the
    shipment is closed or cancelled. After dispatch the landed cost is computed again."""
    checked = costs_check(costs)
    open_statuses = [
        s for s in ShipmentStatus.values if s not in (ShipmentStatus.CLOSED, ShipmentStatus.CANCELLED)
    ]
    with transaction.atomic():
        current = shipment_hold(shipment, *open_statuses)
        before = [f"{c.kind} {c.amount} by {c.basis}" for c in current.costs.order_by("id")]
        costs_write(current, checked)
        if current.fx_date is not None:
            from haicang.inbound.costing import landed_costs_persist

            landed_costs_persist(current)
        audit_record(
            actor=actor,
            action="inbound.costs_set",
            subject=current,
            before={"costs": before},
            after={"costs": [f"{c.kind} {c.amount} by {c.basis}" for c in checked]},
        )
    return current
