"""The receipt report of a shipment: per SKU expected, received, damaged, short, over and the discrepancies.

Closing a shipment keeps it (``receipt_report_keep``, called by ``receiving.inbound_close`` in its
transaction) as it was at that moment; both parties read it; the seller acknowledges it or disputes it with a
note (``inbound_report_acknowledge`` / ``inbound_report_dispute``; a disputed report may still be
acknowledged later, an acknowledged one is final). A dispute is announced as ``inbound.report_disputed``.
The operator of the warehouse answers a dispute once (``inbound_report_resolve``): it **accepts** the
seller's claim, saying what it adjusts, or **rejects** it, saying why — announced as
``inbound.report_resolved``; the seller then acknowledges the report. The claim and the answer are kept.
Before closing, ``report_rows_live`` gives the same rows from the current counts (the receiving page).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.core.errors import ValidationFailed
from haicang.inbound.errors import ReportMissing, ReportStatusInvalid
from haicang.inbound.models import (
    Discrepancy,
    DisputeResolution,
    InboundShipment,
    ReceiptReport,
    ReportStatus,
)
from haicang.inbound.receiving_rules import (
    DiscrepancyFact,
    LineCounts,
    ReportRow,
    report_rows,
    report_totals,
)
from haicang.inbound.services import emit

NOTE_MAX = 1000


def line_counts(shipment: InboundShipment) -> list[LineCounts]:
    return [
        LineCounts(
            sku_id=line.sku_id,
            sku_code=line.sku.code,
            sku_name=line.sku.name_zh or line.sku.name_en,
            expected=line.expected_quantity,
            received=line.received_quantity,
            damaged=line.damaged_quantity,
        )
        for line in shipment.lines.select_related("sku").order_by("position", "sku__code")
    ]


def discrepancy_facts(shipment: InboundShipment) -> list[DiscrepancyFact]:
    return [
        DiscrepancyFact(
            id=d.pk,
            kind=d.kind,
            sku_id=d.sku_id,
            sku_code=d.sku.code,
            sku_name=d.sku.name_zh or d.sku.name_en,
            quantity=d.quantity,
            note=d.note,
            photo=bool(d.photo),
            carton=d.carton.number if d.carton else None,
            actor=d.actor_label,
            at=d.at,
        )
        for d in Discrepancy.objects.filter(shipment=shipment)
        .select_related("sku", "carton")
        .order_by("at", "id")
    ]


def report_rows_live(shipment: InboundShipment) -> list[ReportRow]:
    """The report's rows from the shipment's current counts and discrepancies."""
    return report_rows(line_counts(shipment), discrepancy_facts(shipment))


def receipt_report_keep(*, actor: Actor, shipment: InboundShipment, at: dt.datetime) -> ReceiptReport:
    """Keep the report of a shipment being closed (inside the close's transaction)."""
    rows = report_rows_live(shipment)
    return ReceiptReport.objects.create(
        shipment=shipment,
        lines=[row.as_dict() for row in rows],
        closed_at=at,
        closed_by=actor.label[:200],
    )


def receipt_report_get(shipment: InboundShipment) -> ReceiptReport:
    report = ReceiptReport.objects.filter(shipment=shipment).first()
    if report is None:
        raise ReportMissing(
            f"{shipment.number} is {shipment.status}: the receipt report is made when it is closed",
            status=shipment.status,
        )
    return report


def report_totals_of(report: ReceiptReport) -> dict[str, int]:
    names = ("expected", "received", "damaged", "short", "over")
    return {name: sum(int(row.get(name, 0)) for row in report.lines) for name in names}


def _note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationFailed(f"a note has at most {NOTE_MAX} characters", field="note")
    return note


def _respond(
    *, actor: Actor, shipment: InboundShipment, status: str, note: str, allowed: tuple[str, ...]
) -> ReceiptReport:
    note = _note(note)
    with transaction.atomic():
        report = receipt_report_get(shipment)
        now = timezone.now()
        fields: dict[str, Any] = {
            "status": status,
            "responded_at": now,
            "responded_by": actor.label[:200],
            "response_note": note,
        }
        if status == ReportStatus.DISPUTED:  # the claim is kept apart: a later answer does not replace it
            fields.update(disputed_at=now, disputed_by=actor.label[:200], dispute_note=note)
        changed = ReceiptReport.objects.filter(pk=report.pk, status__in=allowed).update(**fields)
        if changed != 1:
            report.refresh_from_db()
            raise ReportStatusInvalid(
                f"the receipt report of {shipment.number} is {report.status}", status=report.status
            )
        before = report.status
        report.refresh_from_db()
        audit_record(
            actor=actor,
            action=f"inbound.report_{status}",
            subject=shipment,
            before={"report": before},
            after={"report": status, "note": note},
            summary=note[:500],
        )
        if status == ReportStatus.DISPUTED:
            emit("inbound.report_disputed", shipment)
    return report


def inbound_report_acknowledge(*, actor: Actor, shipment: InboundShipment, note: str = "") -> ReceiptReport:
    """The seller accepts the receipt report (also after disputing it, and after the operator's answer);
    final."""
    return _respond(
        actor=actor,
        shipment=shipment,
        status=ReportStatus.ACKNOWLEDGED,
        note=note,
        allowed=(ReportStatus.OPEN, ReportStatus.DISPUTED, ReportStatus.RESOLVED),
    )


def inbound_report_dispute(*, actor: Actor, shipment: InboundShipment, note: str) -> ReceiptReport:
    """The seller disputes the receipt report, saying why (a note is required); the operator is told
    (``inbound.report_disputed``)."""
    if not (note or "").strip():
        raise ValidationFailed("say why the report is disputed", field="note")
    return _respond(
        actor=actor, shipment=shipment, status=ReportStatus.DISPUTED, note=note, allowed=(ReportStatus.OPEN,)
    )


def inbound_report_resolve(
    *, actor: Actor, shipment: InboundShipment, outcome: str, note: str
) -> ReceiptReport:
    """The warehouse's operator answers the seller's dispute: ``accepted`` (the claim holds; ``note`` says
    what is adjusted — a credit, a stock correction) or ``rejected`` (``note`` says why). Once, on a disputed
    report (else ``inbound.report_status_invalid``); a note is required. Both parties are told
    (``inbound.report_resolved``). Who may answer — the operator of the shipment's warehouse — is the entry
    point's check (the shipment is read through the operator's scope)."""
    if outcome not in DisputeResolution.values:
        raise ValidationFailed("the answer is accepted or rejected", field="outcome")
    note = _note(note)
    if not note:
        raise ValidationFailed(
            "say what is adjusted"
            if outcome == DisputeResolution.ACCEPTED
            else "say why the claim is rejected",
            field="note",
        )
    with transaction.atomic():
        report = receipt_report_get(shipment)
        now = timezone.now()
        changed = ReceiptReport.objects.filter(pk=report.pk, status=ReportStatus.DISPUTED).update(
            status=ReportStatus.RESOLVED,
            resolution=outcome,
            resolution_note=note,
            resolved_at=now,
            resolved_by=actor.label[:200],
        )
        if changed != 1:
            report.refresh_from_db()
            raise ReportStatusInvalid(
                f"the receipt report of {shipment.number} is {report.status}: only a disputed report is answered",
                status=report.status,
            )
        report.refresh_from_db()
        audit_record(
            actor=actor,
            action="inbound.report_resolved",
            subject=shipment,
            before={"report": ReportStatus.DISPUTED, "claim": report.dispute_note},
            after={"report": report.status, "outcome": outcome, "note": note},
            summary=note[:500],
        )
        emit("inbound.report_resolved", shipment)
    return report


def _dispute_of(report: ReceiptReport) -> dict[str, Any] | None:
    if report.disputed_at is None:
        return None
    return {"note": report.dispute_note, "at": report.disputed_at, "by": report.disputed_by}


def _resolution_of(report: ReceiptReport) -> dict[str, Any] | None:
    if not report.resolution:
        return None
    return {
        "outcome": report.resolution,
        "note": report.resolution_note,
        "at": report.resolved_at,
        "by": report.resolved_by,
    }


def report_payload(report: ReceiptReport) -> dict[str, Any]:
    """The report as the API and the events show it."""
    return {
        "status": report.status,
        "closed_at": report.closed_at,
        "closed_by": report.closed_by,
        "responded_at": report.responded_at,
        "responded_by": report.responded_by,
        "response_note": report.response_note,
        "dispute": _dispute_of(report),
        "resolution": _resolution_of(report),
        "totals": report_totals_of(report),
        "lines": report.lines,
    }


def report_or_preview(shipment: InboundShipment) -> dict[str, Any]:
    """The kept report of a closed shipment, else a ``preview`` from the current counts (not answerable)."""
    report = ReceiptReport.objects.filter(shipment=shipment).first()
    if report is not None:
        return report_payload(report)
    rows = report_rows_live(shipment)
    return {
        "status": "preview",
        "closed_at": None,
        "closed_by": "",
        "responded_at": None,
        "responded_by": "",
        "response_note": "",
        "dispute": None,
        "resolution": None,
        "totals": report_totals(rows),
        "lines": [row.as_dict() for row in rows],
    }
