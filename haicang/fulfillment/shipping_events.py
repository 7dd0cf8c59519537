"""The shipping events in the catalogue and their payloads, rendered at delivery time through the receiving
party's scope (``haicang.integration.rendering``): ``parcel.shipped`` (one parcel left: carrier, service,
tracking number and link, weight, contents) and ``outbound.shipped`` (a fulfillment request shipped: every
parcel with its tracking number) — what the seller pushes to the sales channel. No personal data, no prices.
Registered from ``FulfillmentConfig.ready()``."""

from __future__ import annotations

from typing import Any

from haicang.integration.catalogue import EventType, event_type_register
from haicang.integration.rendering import renderer_register
from haicang.parties.scoping import Scope, scope_queryset

PARCEL_SHIPPED = "parcel.shipped"
OUTBOUND_SHIPPED = "outbound.shipped"
READ = "fulfillment:read"

_UUID = {"type": "string", "format": "uuid"}
_TIME = {"type": "string", "format": "date-time"}
_REF = {"type": "object", "required": ["id"], "properties": {"id": _UUID, "code": {"type": "string"}}}
_COUNT = {"type": "integer", "minimum": 0}


def _object(required: list[str], **properties: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": properties}


_CARRIER = _object(["code", "name"], code={"type": "string"}, name={"type": "string"})
_PARCEL = _object(
    ["parcel", "carrier", "tracking_number", "shipped_at"],
    parcel=_REF,
    request=_REF,
    order=_REF,
    warehouse=_REF,
    carrier=_CARRIER,
    service=_object(["code"], code={"type": "string"}, name={"type": "string"}),
    tracking_number={"type": "string"},
    tracking_url={"type": "string", "description": "the carrier's tracking page; empty when unknown"},
    shipped_at=_TIME,
    weight_g=_COUNT,
    lines={"type": "array", "items": _object(["sku", "quantity"], sku=_REF, quantity=_COUNT)},
)
_PARCEL_EXAMPLE = {
    "parcel": {"id": "01936f2e-7a40-7c1e-9a3b-5f0e1c2d0601", "code": "PCL-2026-000321"},
    "request": {"id": "01936f2e-7a40-7c1e-9a3b-5f0e1c2d0101", "code": "FR-2026-000045"},
    "order": {"id": "01936f2e-7a40-7c1e-9a3b-5f0e1c2d3a4b", "code": "ORD-2026-000123"},
    "warehouse": {"id": "01936f2e-7a40-7c1e-9a3b-000000000002", "code": "LAX1"},
    "carrier": {"code": "UPS", "name": "UPS"},
    "service": {"code": "UPS-GROUND", "name": "Ground"},
    "tracking_number": "1Z999AA10123456784",
    "tracking_url": "https://www.ups.com/track?tracknum=1Z999AA10123456784",
    "shipped_at": "2026-11-25T22:15:00Z",
    "weight_g": 520,
    "lines": [{"sku": {"id": "01936f2e-7a40-7c1e-9a3b-5f0e1c2d0001", "code": "TS-BLK-M"}, "quantity": 2}],
}
_OUTBOUND = _object(
    ["request", "status", "carrier", "tracking_numbers", "shipped_at"],
    request=_REF,
    order=_REF,
    warehouse=_REF,
    status={"type": "string"},
    carrier={"type": "string", "description": "the carriers' names, comma-separated"},
    tracking_numbers={"type": "array", "items": {"type": "string"}},
    shipped_at=_TIME,
    parcels={
        "type": "array",
        "items": _object(
            ["parcel", "carrier", "tracking_number"],
            parcel=_REF,
            carrier=_CARRIER,
            service={"type": "string"},
            tracking_number={"type": "string"},
            tracking_url={"type": "string"},
        ),
    },
)

for _event in (
    EventType(
        name=PARCEL_SHIPPED,
        schema_version=1,
        subject_type="fulfillment.parcel",
        description="A parcel was handed to its carrier: carrier, service and tracking number.",
        data_schema=_PARCEL,
        example=_PARCEL_EXAMPLE,
    ),
    EventType(
        name=OUTBOUND_SHIPPED,
        schema_version=1,
        subject_type="fulfillment.outbound",
        description="A fulfillment request shipped: every parcel with its carrier and tracking number, for "
        "the seller to push to the sales channel.",
        data_schema=_OUTBOUND,
        example={
            "request": _PARCEL_EXAMPLE["request"],
            "order": _PARCEL_EXAMPLE["order"],
            "warehouse": _PARCEL_EXAMPLE["warehouse"],
            "status": "shipped",
            "carrier": "UPS",
            "tracking_numbers": ["1Z999AA10123456784"],
            "shipped_at": "2026-11-25T22:15:00Z",
            "parcels": [
                {
                    "parcel": _PARCEL_EXAMPLE["parcel"],
                    "carrier": {"code": "UPS", "name": "UPS"},
                    "service": "UPS-GROUND",
                    "tracking_number": "1Z999AA10123456784",
                    "tracking_url": "https://www.ups.com/track?tracknum=1Z999AA10123456784",
                }
            ],
        },
    ),
):
    event_type_register(_event)


def _time(value: Any) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def _carrier(parcel: Any) -> dict[str, str]:
    service = parcel.carrier_service
    name = service.carrier.name if service is not None else parcel.carrier_code
    return {"code": parcel.carrier_code, "name": name}


def _tracking_url(parcel: Any) -> str:
    service = parcel.carrier_service
    return service.carrier.tracking_url(parcel.tracking_number) if service is not None else ""


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


def parcel_visible(subject_id: str, scope: Scope) -> bool:
    return _parcel(subject_id, scope) is not None


def render_parcel(subject_id: str, scope: Scope) -> dict[str, Any] | None:
    parcel = _parcel(subject_id, scope)
    if parcel is None:
        return None
    request = parcel.outbound.request
    service = parcel.carrier_service
    return {
        "parcel": {"id": str(parcel.pk), "code": parcel.number},
        "request": {"id": str(request.pk), "code": request.number},
        "order": {"id": str(request.order_id), "code": request.order_number},
        "warehouse": {"id": str(parcel.warehouse_id), "code": parcel.warehouse.code},
        "carrier": _carrier(parcel),
        "service": {"code": parcel.service_code, "name": service.name if service is not None else ""},
        "tracking_number": parcel.tracking_number,
        "tracking_url": _tracking_url(parcel),
        "shipped_at": _time(parcel.shipped_at),
        "weight_g": parcel.weight_g,
        "lines": [
            {"sku": {"id": str(line.sku_id), "code": line.sku.code}, "quantity": line.quantity}
            for line in parcel.lines.select_related("sku")
        ],
    }


def _outbound(subject_id: str, scope: Scope) -> Any:
    from haicang.fulfillment.models import Outbound

    if not scope.can(READ):
        return None
    try:
        return (
            scope_queryset(Outbound.objects.filter(pk=subject_id), scope, permission=READ)
            .select_related("request", "warehouse")
            .first()
        )
    except ValueError:
        return None


def outbound_visible(subject_id: str, scope: Scope) -> bool:
    return _outbound(subject_id, scope) is not None


def render_outbound(subject_id: str, scope: Scope) -> dict[str, Any] | None:
    from haicang.fulfillment.models import ParcelStatus

    outbound = _outbound(subject_id, scope)
    if outbound is None:
        return None
    request = outbound.request
    parcels = list(
        outbound.parcels.filter(status=ParcelStatus.SHIPPED)
        .select_related("carrier_service__carrier")
        .order_by("packed_at", "number")
    )
    return {
        "request": {"id": str(request.pk), "code": request.number},
        "order": {"id": str(request.order_id), "code": request.order_number},
        "warehouse": {"id": str(outbound.warehouse_id), "code": outbound.warehouse.code},
        "status": outbound.status,
        "carrier": request.carrier,
        "tracking_numbers": list(request.tracking_numbers),
        "shipped_at": _time(outbound.shipped_at),
        "parcels": [
            {
                "parcel": {"id": str(p.pk), "code": p.number},
                "carrier": _carrier(p),
                "service": p.service_code,
                "tracking_number": p.tracking_number,
                "tracking_url": _tracking_url(p),
            }
            for p in parcels
        ],
    }


renderer_register(PARCEL_SHIPPED, render_parcel, visible=parcel_visible)
renderer_register(OUTBOUND_SHIPPED, render_outbound, visible=outbound_visible)
