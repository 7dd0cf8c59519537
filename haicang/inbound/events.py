"""The payloads of the inbound events, rendered at delivery time through the receiving party's scope
(``haicang.integration.rendering``): ``inbound.submitted``, ``inbound.arrived``, ``inbound.received`` (with
the lines), ``inbound.closed`` (with expected, received, damaged and short per SKU), ``inbound.cancelled``
(with when it was dispatched, if it was, and the reason), ``inbound.report_disputed`` and
``inbound.report_resolved`` (the seller's claim and the operator's answer). No prices."""

from __future__ import annotations

from typing import Any

from haicang.inbound.models import InboundShipment
from haicang.integration.rendering import renderer_register
from haicang.parties.scoping import Scope, scope_queryset

EVENTS = (
    "inbound.submitted",
    "inbound.arrived",
    "inbound.received",
    "inbound.closed",
    "inbound.cancelled",
    "inbound.report_disputed",
    "inbound.report_resolved",
)


def _visible(subject_id: str, scope: Scope) -> InboundShipment | None:
    try:
        return (
            scope_queryset(InboundShipment.objects.filter(pk=subject_id), scope, permission="inbound:read")
            .select_related("warehouse")
            .first()
        )
    except ValueError:
        return None


def _time(value: Any) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def _lines(shipment: InboundShipment) -> list[dict[str, Any]]:
    return [
        {
            "sku": {"id": str(line.sku_id), "code": line.sku.code},
            "expected": line.expected_quantity,
            "received": line.received_quantity,
            "damaged": line.damaged_quantity,
            "short": max(line.short_quantity, 0),
        }
        for line in shipment.lines.select_related("sku").order_by("position")
    ]


def render_shipment(subject_id: str, scope: Scope) -> dict[str, Any] | None:
    shipment = _visible(subject_id, scope)
    if shipment is None:
        return None
    quantities = list(shipment.lines.values_list("expected_quantity", flat=True))
    return {
        "inbound": {"id": str(shipment.pk), "code": shipment.number},
        "warehouse": {"id": str(shipment.warehouse_id), "code": shipment.warehouse.code},
        "status": shipment.status,
        "mode": shipment.mode,
        "eta": shipment.eta.isoformat() if shipment.eta else None,
        "arrived_at": _time(shipment.arrived_at),
        "lines": len(quantities),
        "units": sum(quantities),
    }


def render_with_lines(subject_id: str, scope: Scope) -> dict[str, Any] | None:
    shipment = _visible(subject_id, scope)
    if shipment is None:
        return None
    return {
        "inbound": {"id": str(shipment.pk), "code": shipment.number},
        "warehouse": {"id": str(shipment.warehouse_id), "code": shipment.warehouse.code},
        "status": shipment.status,
        "arrived_at": _time(shipment.arrived_at),
        "closed_at": _time(shipment.closed_at),
        "lines": _lines(shipment),
    }


renderer_register("inbound.submitted", render_shipment)
renderer_register("inbound.arrived", render_shipment)
renderer_register("inbound.received", render_with_lines)
renderer_register("inbound.closed", render_with_lines)


def render_cancelled(subject_id: str, scope: Scope) -> dict[str, Any] | None:
    shipment = _visible(subject_id, scope)
    if shipment is None:
        return None
    from haicang.inbound.models import Milestone, ShipmentStatus

    reason = (
        Milestone.objects.filter(shipment=shipment, status=ShipmentStatus.CANCELLED)
        .order_by("-at")
        .values_list("note", flat=True)
        .first()
    )
    return {
        **(render_shipment(subject_id, scope) or {}),
        "dispatched_at": _time(shipment.dispatched_at),
        "cancelled_at": _time(shipment.cancelled_at),
        "reason": reason or "",
    }


renderer_register("inbound.cancelled", render_cancelled)


def render_report_disputed(subject_id: str, scope: Scope) -> dict[str, Any] | None:
    shipment = _visible(subject_id, scope)
    if shipment is None:
        return None
    from haicang.inbound.models import ReceiptReport

    report = ReceiptReport.objects.filter(shipment=shipment).first()
    return {
        "inbound": {"id": str(shipment.pk), "code": shipment.number},
        "warehouse": {"id": str(shipment.warehouse_id), "code": shipment.warehouse.code},
        "report": {  # the claim as disputed, even when a later answer replaced the seller's last note
            "status": report.status if report else "",
            "note": (report.dispute_note or report.response_note) if report else "",
            "responded_at": _time(report.disputed_at or report.responded_at) if report else None,
        },
    }


renderer_register("inbound.report_disputed", render_report_disputed)


def render_report_resolved(subject_id: str, scope: Scope) -> dict[str, Any] | None:
    shipment = _visible(subject_id, scope)
    if shipment is None:
        return None
    from haicang.inbound.models import ReceiptReport

    report = ReceiptReport.objects.filter(shipment=shipment).first()
    if report is None:
        return None
    return {
        "inbound": {"id": str(shipment.pk), "code": shipment.number},
        "warehouse": {"id": str(shipment.warehouse_id), "code": shipment.warehouse.code},
        "report": {
            "status": report.status,
            "dispute": {"note": report.dispute_note, "at": _time(report.disputed_at)},
            "resolution": {
                "outcome": report.resolution,
                "note": report.resolution_note,
                "at": _time(report.resolved_at),
            },
        },
    }


renderer_register("inbound.report_resolved", render_report_resolved)
