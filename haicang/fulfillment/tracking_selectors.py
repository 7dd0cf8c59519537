"""Reads of tracking, through the reader's scope (``fulfillment:read``): a parcel's timeline, the parcels of an
order with theirs (the seller's order page), alerts, and the messages kept because they could not be applied
(the operator's)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from haicang.fulfillment.models import (
    Parcel,
    ParcelStatus,
    TrackingAlert,
    TrackingEvent,
    TrackingMessage,
    TrackingStatus,
    TrackingWebhookSecret,
)
from haicang.fulfillment.tracking_events import carrier_of, tracking_url_of
from haicang.parties.scoping import Scope, scope_queryset, scoped_get

READ = "fulfillment:read"
WRITE = "fulfillment:write"


@dataclass(frozen=True)
class ParcelTracking:
    """One parcel as the tracking pages show it: the newest scan first, the open alerts."""

    parcel: Parcel
    carrier_name: str
    service_name: str
    tracking_url: str
    status: str  # the normalised status (pending when no scan yet)
    status_label: str
    events: list[TrackingEvent] = field(default_factory=list)
    alerts: list[TrackingAlert] = field(default_factory=list)  # open ones
    has_label: bool = False

    @property
    def is_delivered(self) -> bool:
        return self.status == TrackingStatus.DELIVERED


def _related(queryset: QuerySet[Parcel]) -> QuerySet[Parcel]:
    return queryset.select_related(
        "carrier_service__carrier", "warehouse", "outbound__request"
    ).prefetch_related(
        Prefetch("tracking_events", queryset=TrackingEvent.objects.order_by("-occurred_at", "-received_at")),
        Prefetch(
            "tracking_alerts",
            queryset=TrackingAlert.objects.filter(resolved_at__isnull=True).order_by("-raised_at"),
            to_attr="open_alerts",
        ),
    )


def _view(parcel: Parcel) -> ParcelTracking:
    status = parcel.tracking_status or TrackingStatus.PENDING
    service = parcel.carrier_service
    return ParcelTracking(
        parcel=parcel,
        carrier_name=carrier_of(parcel)["name"],
        service_name=service.name if service is not None else parcel.service_code,
        tracking_url=tracking_url_of(parcel),
        status=str(status),
        status_label=str(TrackingStatus(status).label) if status in TrackingStatus.values else str(status),
        events=list(parcel.tracking_events.all()),
        alerts=list(getattr(parcel, "open_alerts", [])),
        has_label=bool(parcel.label_pdf),
    )


def parcels(scope: Scope) -> QuerySet[Parcel]:
    return scope_queryset(Parcel.objects.all(), scope, permission=READ)


def parcel_tracking(scope: Scope, parcel_id: Any) -> ParcelTracking:
    """One parcel of the reader's with its timeline; another party's answers NotFound."""
    parcel = scoped_get(_related(Parcel.objects.all()), scope, permission=READ, pk=parcel_id)
    return _view(parcel)


def order_parcels(scope: Scope, order_id: uuid.UUID) -> list[ParcelTracking]:
    """The parcels of an order's fulfillment requests (labels voided left out), oldest first; nothing when
    the reader may not read fulfillment."""
    if not scope.can(READ):
        return []
    queryset = parcels(scope).filter(outbound__request__order_id=order_id).exclude(status=ParcelStatus.VOIDED)
    return [_view(p) for p in _related(queryset).order_by("packed_at", "number")]


def alerts(
    scope: Scope, *, state: str = "open", kind: str = "", warehouse: str = ""
) -> QuerySet[TrackingAlert]:
    """Alerts of the reader's parcels: ``state`` open (default), resolved or all; newest first."""
    queryset = scope_queryset(TrackingAlert.objects.all(), scope, permission=READ).select_related(
        "parcel__carrier_service__carrier", "parcel__warehouse", "parcel__outbound__request"
    )
    if state == "open":
        queryset = queryset.filter(resolved_at__isnull=True)
    elif state == "resolved":
        queryset = queryset.filter(resolved_at__isnull=False)
    if kind:
        queryset = queryset.filter(kind=kind)
    if warehouse:
        queryset = queryset.filter(parcel__warehouse_id=warehouse)
    return queryset.order_by("-raised_at", "-id")


def alert_get(scope: Scope, alert_id: Any) -> TrackingAlert:
    return scoped_get(TrackingAlert.objects.select_related("parcel"), scope, permission=READ, pk=alert_id)


def messages(scope: Scope, *, reason_code: str = "") -> QuerySet[TrackingMessage]:
    """The operator's tracking messages kept because they could not be applied, newest first."""
    queryset = scope_queryset(TrackingMessage.objects.all(), scope, permission=READ)
    if reason_code:
        queryset = queryset.filter(reason_code=reason_code)
    return queryset.order_by("-received_at", "-id")


def webhook_secrets(scope: Scope) -> QuerySet[TrackingWebhookSecret]:
    return scope_queryset(TrackingWebhookSecret.objects.all(), scope, permission=READ).order_by(
        "carrier_code"
    )
