"""The event catalogue: every event type another system may subscribe to, with a versioned JSON schema of its
``data`` and an example. Pure data, no Django; later apps add their events with :func:`event_type_register`.

Every delivered body is an envelope (:data:`ENVELOPE_SCHEMA`) whose ``data`` follows the event type's schema
of the envelope's ``schema_version``. A new optional field keeps the version; a removed or changed field
makes a new version.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

_UUID = {"type": "string", "format": "uuid"}
_REF = {"type": "object", "required": ["id"], "properties": {"id": _UUID, "code": {"type": "string"}}}
_TIME = {"type": "string", "format": "date-time"}
_COUNT = {"type": "integer", "minimum": 0}


@dataclass(frozen=True)
class EventType:
    name: str  # ``<subject>.<what happened>``
    schema_version: int
    subject_type: str
    description: str
    data_schema: Mapping[str, Any]
    example: Mapping[str, Any] = field(default_factory=dict)


ENVELOPE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["id", "type", "schema_version", "occurred_at", "subject", "data"],
    "properties": {
        "id": _UUID,
        "type": {"type": "string"},
        "schema_version": {"type": "integer", "minimum": 1},
        "occurred_at": _TIME,
        "subject": {
            "type": "object",
            "required": ["type", "id", "version"],
            "properties": {
                "type": {"type": "string"},
                "id": {"type": "string"},
                "version": {"type": "integer"},
            },
        },
        "data": {"type": "object"},
    },
}


def _object(required: list[str], **properties: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": properties}


_ORDER = _object(
    ["order", "status"],
    order=_object(["id", "number"], id=_UUID, number={"type": "string"}),
    status={"type": "string"},
    warehouse=_REF,
    channel=_object(
        ["account", "platform", "external_id"],
        account=_UUID,
        platform={"type": "string"},
        external_id={"type": "string"},
    ),
    on_hold={"type": "boolean"},
    lines=_COUNT,
    allocation_status={
        "type": "string",
        "enum": ["unallocated", "allocated", "backordered", "cancelled"],
        "description": "where the order's stock stands (routing's own status; status stays the channel's)",
    },
)
_ORDER_EXAMPLE = {
    "order": {"id": "01936f2e-7a40-7c1e-9a3b-5f0e1c2d3a4b", "number": "ORD-2026-000123"},
    "status": "unshipped",
    "channel": {
        "account": "01936f2e-7a40-7c1e-9a3b-00000000c0a1",
        "platform": "shopify",
        "external_id": "5861237489901",
    },
    "on_hold": False,
    "lines": 2,
    "allocation_status": "unallocated",
}

_INBOUND = _object(
    ["inbound", "warehouse", "status"],
    inbound=_REF,
    warehouse=_REF,
    status={"type": "string"},
    mode={"type": "string"},
    eta={"type": ["string", "null"], "format": "date"},
    arrived_at={"type": ["string", "null"], "format": "date-time"},
    lines=_COUNT,
    units=_COUNT,
)
_INBOUND_CLOSED = _object(
    ["inbound", "warehouse", "status", "lines"],
    inbound=_REF,
    warehouse=_REF,
    status={"type": "string"},
    arrived_at={"type": ["string", "null"], "format": "date-time"},
    closed_at={"type": ["string", "null"], "format": "date-time"},
    lines={
        "type": "array",
        "items": _object(
            ["sku", "expected", "received", "damaged", "short"],
            sku=_REF,
            expected=_COUNT,
            received=_COUNT,
            damaged=_COUNT,
            short=_COUNT,
        ),
    },
)
_INBOUND_EXAMPLE = {
    "inbound": {"id": "01936f2e-7a40-7c1e-9a3b-5f0e1c2d0301", "code": "ASN-2026-000012"},
    "warehouse": {"id": "01936f2e-7a40-7c1e-9a3b-000000000001", "code": "DE-HAM-1"},
    "status": "submitted",
    "mode": "sea_fcl",
    "eta": "2026-04-01",
    "arrived_at": None,
    "lines": 3,
    "units": 1440,
}

_REGISTRY: dict[str, EventType] = {}


def event_type_register(event: EventType) -> EventType:
    """Add ``event`` to the catalogue (a later version of a known type replaces the earlier one)."""
    known = _REGISTRY.get(event.name)
    if known is None or known.schema_version <= event.schema_version:
        _REGISTRY[event.name] = event
    return event


def event_type_get(name: str) -> EventType | None:
    return _REGISTRY.get(name)


def event_types() -> list[EventType]:
    return sorted(_REGISTRY.values(), key=lambda e: e.name)


STOCK_AVAILABLE_CHANGED = "stock.available_changed"
CHANNEL_STOCK_CHANGED = "channel.stock_changed"
WEBHOOK_TEST = "webhook.test"

for _event in (
    EventType(
        name="order.created",
        schema_version=1,
        subject_type="orders.order",
        description="A seller's order was created.",
        data_schema=_ORDER,
        example=_ORDER_EXAMPLE,
    ),
    EventType(
        name="order.changed",
        schema_version=1,
        subject_type="orders.order",
        description="An order's lines, address, service level or status changed.",
        data_schema=_ORDER,
        example={**_ORDER_EXAMPLE, "allocation_status": "allocated"},
    ),
    EventType(
        name="order.cancelled",
        schema_version=1,
        subject_type="orders.order",
        description="An order was cancelled.",
        data_schema=_ORDER,
        example={**_ORDER_EXAMPLE, "status": "cancelled", "allocation_status": "cancelled"},
    ),
    EventType(
        name=STOCK_AVAILABLE_CHANGED,
        schema_version=1,
        subject_type="inventory.available",
        description="Available-to-sell (sellable on hand minus reserved) of one SKU at one warehouse changed.",
        data_schema=_object(
            ["sku", "warehouse", "available"],
            sku=_REF,
            warehouse=_REF,
            available=_COUNT,
            sellable=_COUNT,
            reserved=_COUNT,
        ),
        example={
            "sku": {"id": "01936f2e-7a40-7c1e-9a3b-5f0e1c2d0001", "code": "TEA-GRN-100"},
            "warehouse": {"id": "01936f2e-7a40-7c1e-9a3b-000000000001", "code": "DE-HAM-1"},
            "available": 118,
            "sellable": 130,
            "reserved": 12,
        },
    ),
    EventType(
        name=CHANNEL_STOCK_CHANGED,
        schema_version=1,
        subject_type="channels.stock_level",
        description="The quantity a channel account may sell of one SKU changed (its share of the available stock).",
        data_schema=_object(
            ["account", "sku", "quantity"],
            account=_object(
                ["id", "platform"], id=_UUID, name={"type": "string"}, platform={"type": "string"}
            ),
            sku=_REF,
            quantity=_COUNT,
            computed_at=_TIME,
        ),
        example={
            "account": {"id": "01936f2e-7a40-7c1e-9a3b-00000000c0a1", "name": "Temu US", "platform": "temu"},
            "sku": {"id": "01936f2e-7a40-7c1e-9a3b-5f0e1c2d0001", "code": "TEA-GRN-100"},
            "quantity": 55,
            "computed_at": "2026-03-02T15:04:06Z",
        },
    ),
    EventType(
        name="fulfillment_request.changed",
        schema_version=1,
        subject_type="fulfillment.request",
        description="A fulfillment request sent to an operator was created or changed status, or its "
        "cancellation was requested or answered.",
        data_schema=_object(
            ["request", "status"],
            request=_object(["id", "number"], id=_UUID, number={"type": "string"}),
            order=_REF,
            status={
                "type": "string",
                "enum": ["submitted", "accepted", "rejected", "in_progress", "shipped", "cancelled"],
            },
            cancellation={
                "type": "string",
                "enum": ["", "requested", "accepted", "refused"],
                "description": "the seller's cancellation request: none (empty), requested, accepted, refused",
            },
            warehouse=_REF,
            due_at=_TIME,
        ),
        example={
            "request": {"id": "01936f2e-7a40-7c1e-9a3b-5f0e1c2d0101", "number": "FR-2026-000045"},
            "order": {"id": "01936f2e-7a40-7c1e-9a3b-5f0e1c2d3a4b", "code": "ORD-2026-000123"},
            "status": "in_progress",
            "cancellation": "requested",
            "warehouse": {"id": "01936f2e-7a40-7c1e-9a3b-000000000001"},
            "due_at": "2026-03-03T17:00:00Z",
        },
    ),
    EventType(
        name="shipment.confirmed",
        schema_version=1,
        subject_type="fulfillment.shipment",
        description="A shipment left the warehouse with its carrier and tracking numbers.",
        data_schema=_object(
            ["shipment", "carrier", "tracking_numbers", "shipped_at"],
            shipment=_REF,
            order=_REF,
            carrier={"type": "string"},
            tracking_numbers={"type": "array", "items": {"type": "string"}},
            shipped_at=_TIME,
        ),
        example={
            "shipment": {"id": "01936f2e-7a40-7c1e-9a3b-5f0e1c2d0201", "code": "SHP-2026-000077"},
            "order": {"id": "01936f2e-7a40-7c1e-9a3b-5f0e1c2d3a4b", "code": "ORD-2026-000123"},
            "carrier": "dhl-paket",
            "tracking_numbers": ["00340434161234567890"],
            "shipped_at": "2026-03-02T15:04:05Z",
        },
    ),
    EventType(
        name="inbound.received",
        schema_version=1,
        subject_type="inbound.shipment",
        description="Goods of an advance shipping notice were received at the warehouse.",
        data_schema=_object(
            ["inbound", "warehouse", "lines"],
            inbound=_REF,
            warehouse=_REF,
            lines={
                "type": "array",
                "items": _object(
                    ["sku", "received"], sku=_REF, expected=_COUNT, received=_COUNT, damaged=_COUNT
                ),
            },
        ),
        example={
            "inbound": {"id": "01936f2e-7a40-7c1e-9a3b-5f0e1c2d0301", "code": "ASN-2026-000012"},
            "warehouse": {"id": "01936f2e-7a40-7c1e-9a3b-000000000001", "code": "DE-HAM-1"},
            "lines": [
                {
                    "sku": {"id": "01936f2e-7a40-7c1e-9a3b-5f0e1c2d0001", "code": "TEA-GRN-100"},
                    "expected": 120,
                    "received": 118,
                    "damaged": 2,
                }
            ],
        },
    ),
    EventType(
        name="inbound.submitted",
        schema_version=1,
        subject_type="inbound.shipment",
        description="A seller submitted an advance shipping notice to the destination warehouse.",
        data_schema=_INBOUND,
        example={**_INBOUND_EXAMPLE, "status": "submitted"},
    ),
    EventType(
        name="inbound.arrived",
        schema_version=1,
        subject_type="inbound.shipment",
        description="An inbound shipment arrived at the warehouse and waits to be received.",
        data_schema=_INBOUND,
        example={**_INBOUND_EXAMPLE, "status": "arrived", "arrived_at": "2026-04-02T07:30:00Z"},
    ),
    EventType(
        name="inbound.closed",
        schema_version=1,
        subject_type="inbound.shipment",
        description="An inbound shipment was closed: what was received, damaged and short per SKU is final.",
        data_schema=_INBOUND_CLOSED,
        example={
            **_INBOUND_EXAMPLE,
            "status": "closed",
            "arrived_at": "2026-04-02T07:30:00Z",
            "closed_at": "2026-04-03T16:00:00Z",
            "lines": [
                {
                    "sku": {"id": "01936f2e-7a40-7c1e-9a3b-5f0e1c2d0001", "code": "TEA-GRN-100"},
                    "expected": 120,
                    "received": 117,
                    "damaged": 2,
                    "short": 1,
                }
            ],
        },
    ),
    EventType(
        name="inbound.report_disputed",
        schema_version=1,
        subject_type="inbound.shipment",
        description="The seller disputed the receipt report of a closed inbound shipment, saying why.",
        data_schema=_object(
            ["inbound", "warehouse", "report"],
            inbound=_REF,
            warehouse=_REF,
            report=_object(
                ["status", "note"],
                status={"type": "string"},
                note={"type": "string"},
                responded_at={"type": ["string", "null"], "format": "date-time"},
            ),
        ),
        example={
            "inbound": {"id": "01936f2e-7a40-7c1e-9a3b-5f0e1c2d0301", "code": "ASN-2026-000012"},
            "warehouse": {"id": "01936f2e-7a40-7c1e-9a3b-000000000001", "code": "DE-HAM-1"},
            "report": {
                "status": "disputed",
                "note": "Carton 7 was signed for intact; 12 units cannot be missing.",
                "responded_at": "2026-04-04T09:12:00Z",
            },
        },
    ),
    EventType(
        name="inbound.report_resolved",
        schema_version=1,
        subject_type="inbound.shipment",
        description="The warehouse's operator answered the seller's dispute of a receipt report: the claim "
        "accepted (with the adjustment made) or rejected (with the reason).",
        data_schema=_object(
            ["inbound", "warehouse", "report"],
            inbound=_REF,
            warehouse=_REF,
            report=_object(
                ["status", "dispute", "resolution"],
                status={"type": "string"},
                dispute=_object(
                    ["note"], note={"type": "string"}, at={"type": ["string", "null"], "format": "date-time"}
                ),
                resolution=_object(
                    ["outcome", "note"],
                    outcome={"type": "string", "enum": ["accepted", "rejected"]},
                    note={"type": "string"},
                    at={"type": ["string", "null"], "format": "date-time"},
                ),
            ),
        ),
        example={
            "inbound": {"id": "01936f2e-7a40-7c1e-9a3b-5f0e1c2d0301", "code": "ASN-2026-000012"},
            "warehouse": {"id": "01936f2e-7a40-7c1e-9a3b-000000000001", "code": "DE-HAM-1"},
            "report": {
                "status": "resolved",
                "dispute": {
                    "note": "Carton 7 was signed for intact; 12 units cannot be missing.",
                    "at": "2026-04-04T09:12:00Z",
                },
                "resolution": {
                    "outcome": "accepted",
                    "note": "Found carton 7 behind the dock door; 12 units added to RCV-01.",
                    "at": "2026-04-05T10:30:00Z",
                },
            },
        },
    ),
    EventType(
        name="inbound.cancelled",
        schema_version=1,
        subject_type="inbound.shipment",
        description="A seller cancelled an inbound shipment before it arrived; units already in transit went "
        "back to the supplier.",
        data_schema=_object(
            ["inbound", "warehouse", "status", "cancelled_at"],
            inbound=_REF,
            warehouse=_REF,
            status={"type": "string"},
            mode={"type": "string"},
            eta={"type": ["string", "null"], "format": "date"},
            arrived_at={"type": ["string", "null"], "format": "date-time"},
            dispatched_at={"type": ["string", "null"], "format": "date-time"},
            cancelled_at={"type": ["string", "null"], "format": "date-time"},
            reason={"type": "string"},
            lines=_COUNT,
            units=_COUNT,
        ),
        example={
            **_INBOUND_EXAMPLE,
            "status": "cancelled",
            "dispatched_at": "2026-03-01T08:00:00Z",
            "cancelled_at": "2026-03-04T11:20:00Z",
            "reason": "Container rolled over; goods rebooked on ASN-2026-000015.",
        },
    ),
    EventType(
        name="return.received",
        schema_version=1,
        subject_type="returns.return",
        description="A customer return arrived at the warehouse and was graded.",
        data_schema=_object(
            ["return", "warehouse", "lines"],
            order=_REF,
            warehouse=_REF,
            lines={"type": "array", "items": _object(["sku", "quantity"], sku=_REF, quantity=_COUNT)},
            **{"return": _REF},
        ),
        example={
            "return": {"id": "01936f2e-7a40-7c1e-9a3b-5f0e1c2d0401", "code": "RMA-2026-000003"},
            "order": {"id": "01936f2e-7a40-7c1e-9a3b-5f0e1c2d3a4b", "code": "ORD-2026-000123"},
            "warehouse": {"id": "01936f2e-7a40-7c1e-9a3b-000000000001", "code": "DE-HAM-1"},
            "lines": [
                {"sku": {"id": "01936f2e-7a40-7c1e-9a3b-5f0e1c2d0001", "code": "TEA-GRN-100"}, "quantity": 1}
            ],
        },
    ),
    EventType(
        name="invoice.issued",
        schema_version=1,
        subject_type="billing.invoice",
        description="An operator issued an invoice to a seller.",
        data_schema=_object(
            ["invoice", "total", "currency"],
            invoice=_REF,
            period=_object(["start", "end"], start={"type": "string"}, end={"type": "string"}),
            total={"type": "string", "description": "decimal amount in the currency's minor units"},
            currency={"type": "string", "pattern": "^[A-Z]{3}$"},
        ),
        example={
            "invoice": {"id": "01936f2e-7a40-7c1e-9a3b-5f0e1c2d0501", "code": "INV-2026-000009"},
            "period": {"start": "2026-02-01", "end": "2026-02-28"},
            "total": "1234.50",
            "currency": "EUR",
        },
    ),
    EventType(
        name=WEBHOOK_TEST,
        schema_version=1,
        subject_type="integration.webhook_subscription",
        description="A test event sent on request to one subscription.",
        data_schema=_object(["message"], message={"type": "string"}),
        example={"message": "This is a test event from Haicang."},
    ),
):
    event_type_register(_event)
