"""The tracking events in the catalogue and their payloads, rendered at delivery time through the receiving
party's scope (``haicang.integration.rendering``), for both the seller and the operator:

- ``tracking.updated`` (subject ``fulfillment.parcel``, version = the parcel's): a new carrier scan was applied
  or the parcel's tracking status changed (e.g. expired) — the status now, the latest scan with the carrier's
  raw code and text, delivery time and the alerts open;
- ``tracking.alert_raised`` / ``tracking.alert_resolved`` (subject ``fulfillment.tracking_alert``): an
  exception, customs hold, refusal over charges, missing scans or expiry was raised, or resolved.

No personal data, no prices. Registered from ``FulfillmentConfig.ready()``."""

from __future__ import annotations

from typing import Any

from haicang.integration.catalogue import EventType, event_type_register
from haicang.integration.rendering import renderer_register
from haicang.parties.scoping import Scope, scope_queryset

TRACKING_UPDATED = "tracking.updated"
ALERT_RAISED = "tracking.alert_raised"
ALERT_RESOLVED = "tracking.alert_resolved"
PARCEL_SUBJECT = "fulfillment.parcel"
ALERT_SUBJECT = "fulfillment.tracking_alert"
READ = "fulfillment:read"

_UUID = {"type": "string", "format": "uuid"}
_TIME = {"type": "string", "format": "date-time"}
_TIME_OR_NULL = {"type": ["string", "null"], "format": "date-time"}
_REF = {"type": "object", "required": ["id"], "properties": {"id": _UUID, "code": {"type": "string"}}}
_STATUSES = [
    "pending",
    "info_received",
    "in_transit",
    "out_for_delivery",
    "attempt_failed",
    "available_for_pickup",
    "delivered",
    "exception",
    "returned_to_sender",
    "expired",
]
_KINDS = ["exception", "customs_hold", "refused_for_charges", "no_scan", "expired"]


def _object(required: list[str], **properties: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": properties}


_CARRIER = _object(["code", "name"], code={"type": "string"}, name={"type": "string"})
_SCAN = _object(
    ["at", "status", "raw_code", "raw_text"],
    at=_TIME,
    status={"type": "string", "enum": _STATUSES},
    raw_code={"type": "string", "description": "the carrier's own code, as it came"},
    raw_text={"type": "string", "description": "the carrier's own text, as it came"},
    location={"type": "string"},
    customs_hold={"type": "boolean"},
    refused_for_charges={"type": "boolean"},
)
_UPDATED = _object(
    ["parcel", "carrier", "tracking_number", "status"],
    parcel=_REF,
    order=_REF,
    warehouse=_REF,
    carrier=_CARRIER,
    tracking_number={"type": "string"},
    tracking_url={"type": "string", "description": "the carrier's tracking page; empty when unknown"},
    status={"type": "string", "enum": _STATUSES, "description": "the parcel's tracking status now"},
    last_event_at=_TIME_OR_NULL,
    delivered_at=_TIME_OR_NULL,
    latest_event={"oneOf": [_SCAN, {"type": "null"}]},
    open_alerts={"type": "array", "items": {"type": "string", "enum": _KINDS}},
)
_ALERT = _object(
    ["alert", "parcel", "tracking_number", "status"],
    alert=_object(
        ["id", "kind", "raised_at"],
        id=_UUID,
        kind={"type": "string", "enum": _KINDS},
        detail={"type": "string"},
        raised_at=_TIME,
        resolved_at=_TIME_OR_NULL,
        resolved_by={"type": "string"},
    ),
    parcel=_REF,
    order=_REF,
    carrier=_CARRIER,
    tracking_number={"type": "string"},
    tracking_url={"type": "string"},
    status={"type": "string", "enum": _STATUSES, "description": "the parcel's tracking status now"},
)
_PARCEL_EXAMPLE = {
    "parcel": {"id": "01936f2e-7a40-7c1e-9a3b-5f0e1c2d0601", "code": "PCL-2026-000321"},
    "order": {"id": "01936f2e-7a40-7c1e-9a3b-5f0e1c2d3a4b", "code": "ORD-2026-000123"},
    "carrier": {"code": "UPS", "name": "UPS"},
    "tracking_number": "1Z999AA10123456784",
    "tracking_url": "https://www.ups.com/track?tracknum=1Z999AA10123456784",
}
_UPDATED_EXAMPLE = {
    **_PARCEL_EXAMPLE,
    "warehouse": {"id": "01936f2e-7a40-7c1e-9a3b-000000000002", "code": "LAX1"},
    "status": "out_for_delivery",
    "last_event_at": "2026-11-27T07:41:00Z",
    "delivered_at": None,
    "latest_event": {
        "at": "2026-11-27T07:41:00Z",
        "status": "out_for_delivery",
        "raw_code": "I",
        "raw_text": "Out For Delivery Today",
        "location": "Pasadena, CA, US",
        "customs_hold": False,
        "refused_for_charges": False,
    },
    "open_alerts": [],
}
_ALERT_EXAMPLE_ALERT: dict[str, Any] = {
    "id": "01936f2e-7a40-7c1e-9a3b-5f0e1c2d0701",
    "kind": "customs_hold",
    "detail": "held in customs: CD Clearance delay - import",
    "raised_at": "2026-11-28T10:02:00Z",
    "resolved_at": None,
    "resolved_by": "",
}
_ALERT_EXAMPLE = {**_PARCEL_EXAMPLE, "alert": _ALERT_EXAMPLE_ALERT, "status": "exception"}

for _event in (
    EventType(
        name=TRACKING_UPDATED,
        schema_version=1,
        subject_type=PARCEL_SUBJECT,
        description="A parcel's tracking changed: a new carrier scan (normalised status with the carrier's raw "
        "code and text), or its status (e.g. expired after weeks without a scan).",
        data_schema=_UPDATED,
        example=_UPDATED_EXAMPLE,
    ),
    EventType(
        name=ALERT_RAISED,
        schema_version=1,
        subject_type=ALERT_SUBJECT,
        description="A tracking alert was raised on a parcel: exception, customs hold, refused for charges, "
        "no scan for days, or expired.",
        data_schema=_ALERT,
        example=_ALERT_EXAMPLE,
    ),
    EventType(
        name=ALERT_RESOLVED,
        schema_version=1,
        subject_type=ALERT_SUBJECT,
        description="A tracking alert was resolved: by a later scan, or by the operator.",
        data_schema=_ALERT,
        example={
            **_ALERT_EXAMPLE,
            "alert": {
                **_ALERT_EXAMPLE_ALERT,
                "resolved_at": "2026-11-29T08:15:00Z",
                "resolved_by": "system:fulfillment.tracking",
            },
            "status": "in_transit",
        },
    ),
):
    event_type_register(_event)


def _time(value: Any) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def carrier_of(parcel: Any) -> dict[str, str]:
    service = parcel.carrier_service
    name = service.carrier.name if service is not None else parcel.carrier_code
    return {"code": parcel.carrier_code, "name": name}


def tracking_url_of(parcel: Any) -> str:
    service = parcel.carrier_service
    if service is None or not parcel.tracking_number:
        return ""
    return str(service.carrier.tracking_url(parcel.tracking_number))


def scan_data(event: Any) -> dict[str, Any]:
    return {
        "at": _time(event.occurred_at),
        "status": event.status,
        "raw_code": event.raw_code,
        "raw_text": event.raw_text,
        "location": event.location,
        "customs_hold": event.is_customs_hold,
        "refused_for_charges": event.is_refused_for_charges,
    }


def _parcel(subject_id: str, scope: Scope) -> Any:
    from haicang.fulfillment.models import Parcel

    if not scope.can(READ):
        return None
    try:
        return (
            scope_queryset(Parcel.objects.filter(pk=subject_id), scope, permission=READ)
            .select_related("outbound__request", "warehouse", "carrier_service__carrier")
            .first()
        )
    except ValueError:
        return None


def _parcel_head(parcel: Any) -> dict[str, Any]:
    request = parcel.outbound.request
    return {
        "parcel": {"id": str(parcel.pk), "code": parcel.number},
        "order": {"id": str(request.order_id), "code": request.order_number},
        "carrier": carrier_of(parcel),
        "tracking_number": parcel.tracking_number,
        "tracking_url": tracking_url_of(parcel),
    }


def parcel_visible(subject_id: str, scope: Scope) -> bool:
    return _parcel(subject_id, scope) is not None


def render_updated(subject_id: str, scope: Scope) -> dict[str, Any] | None:
    from haicang.fulfillment.models import TrackingAlert

    parcel = _parcel(subject_id, scope)
    if parcel is None:
        return None
    latest = parcel.tracking_events.order_by("-occurred_at", "-received_at").first()
    open_kinds = TrackingAlert.objects.filter(parcel=parcel, resolved_at__isnull=True).values_list(
        "kind", flat=True
    )
    return {
        **_parcel_head(parcel),
        "warehouse": {"id": str(parcel.warehouse_id), "code": parcel.warehouse.code},
        "status": parcel.tracking_status or "pending",
        "last_event_at": _time(parcel.last_event_at),
        "delivered_at": _time(parcel.delivered_at),
        "latest_event": scan_data(latest) if latest is not None else None,
        "open_alerts": sorted(open_kinds),
    }


def _alert(subject_id: str, scope: Scope) -> Any:
    from haicang.fulfillment.models import TrackingAlert

    if not scope.can(READ):
        return None
    try:
        return (
            scope_queryset(TrackingAlert.objects.filter(pk=subject_id), scope, permission=READ)
            .select_related("parcel__outbound__request", "parcel__carrier_service__carrier")
            .first()
        )
    except ValueError:
        return None


def alert_visible(subject_id: str, scope: Scope) -> bool:
    return _alert(subject_id, scope) is not None


def render_alert(subject_id: str, scope: Scope) -> dict[str, Any] | None:
    alert = _alert(subject_id, scope)
    if alert is None:
        return None
    parcel = alert.parcel
    return {
        **_parcel_head(parcel),
        "alert": {
            "id": str(alert.pk),
            "kind": alert.kind,
            "detail": alert.detail,
            "raised_at": _time(alert.raised_at),
            "resolved_at": _time(alert.resolved_at),
            "resolved_by": alert.resolved_by,
        },
        "status": parcel.tracking_status or "pending",
    }


renderer_register(TRACKING_UPDATED, render_updated, visible=parcel_visible)
renderer_register(ALERT_RAISED, render_alert, visible=alert_visible)
renderer_register(ALERT_RESOLVED, render_alert, visible=alert_visible)
