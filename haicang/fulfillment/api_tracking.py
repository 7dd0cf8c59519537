"""The tracking API under ``/api/v1/`` (docs/fulfillment.md, "Tracking").

- ``POST tracking-events/`` ``{"events": [{"carrier", "tracking_number", "occurred_at", "code", "text",
  "location"}, …]}`` (operator, ``fulfillment:write``; at most 1,000 a call): each scan is recorded on the
  operator's parcel it names, recognised as a replay, or kept with its reason (unknown carrier or tracking
  number, bad time, voided label). 200 with one result per scan, in order, and the counts;
- ``POST tracking/{carrier}/{tracking number}/events/`` ``{"events": [{"occurred_at", "code", "text",
  "location"}, …]}`` — the same for one parcel;
- ``GET parcels/{id}/tracking/`` (``fulfillment:read``, the seller and the operator): status, carrier, tracking
  link and the timeline, newest scan first, with the carrier's raw code and text; the open alerts;
- ``GET tracking-alerts/`` (``?state=open|resolved|all``, ``kind``, ``warehouse``), ``GET tracking-alerts/{id}/``,
  ``POST tracking-alerts/{id}/resolve/`` ``{"note"}`` (operator);
- ``GET tracking-messages/`` (operator; ``?reason_code=``): the messages kept because they could not be applied;
- ``tracking-webhook-secrets/`` (``integration:read``/``integration:write``, operator): list, ``POST``
  ``{"carrier_code", "keep_old_until"}`` issues or rotates a secret (shown once, with the webhook URL),
  ``DELETE …/{id}/``;
- ``POST tracking-webhooks/{operator id}/{carrier}/`` — the carrier's webhook, signed (``tracking_secrets``).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from haicang.core.actors import Actor
from haicang.core.api.problems import PROBLEM_CONTENT_TYPE, problem_body
from haicang.fulfillment import tracking_selectors as selectors
from haicang.fulfillment.errors import TrackingInvalid
from haicang.fulfillment.models import (
    Parcel,
    TrackingAlert,
    TrackingAlertKind,
    TrackingEvent,
    TrackingMessage,
    TrackingSource,
    TrackingWebhookSecret,
)
from haicang.fulfillment.tracking import (
    KeepReason,
    Recorded,
    TrackingInput,
    tracking_alert_resolve,
    tracking_ingest,
    tracking_message_keep,
)
from haicang.fulfillment.tracking_secrets import (
    tracking_webhook_secret_delete,
    tracking_webhook_secret_issue,
    tracking_webhook_verify,
)
from haicang.integration.signing import SignatureRejected
from haicang.parties.api.base import ScopedViewSetMixin
from haicang.parties.models import Operator
from haicang.parties.scoping import AccessDenied, Scope

logger = logging.getLogger(__name__)
MAX_EVENTS = 1000
_OBJECT = {200: OpenApiTypes.OBJECT}
WEBHOOK_ACTOR = "fulfillment.tracking-webhook"


def _time(value: Any) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def _operator_only(scope: Scope) -> uuid.UUID:
    if scope.operator_id is None:
        raise AccessDenied("only the warehouse's operator records tracking", permission="operator")
    return scope.operator_id


# --- bodies ---------------------------------------------------------------------------------------------------


def _events(data: Any) -> list[dict[str, Any]]:
    events = data.get("events") if isinstance(data, dict) else None
    if not isinstance(events, list) or not events:
        raise TrackingInvalid("events is a list of scans", field="events")
    if len(events) > MAX_EVENTS:
        raise TrackingInvalid(f"at most {MAX_EVENTS} scans a call; split the batch", field="events")
    for index, event in enumerate(events):
        if not isinstance(event, dict):
            raise TrackingInvalid(f"events[{index}] is an object", field=f"events[{index}]")
    return events


def _input(event: dict[str, Any], *, carrier: Any = None, tracking_number: Any = None) -> TrackingInput:
    return TrackingInput(
        carrier_code=event.get("carrier", event.get("carrier_code", "")) if carrier is None else carrier,
        tracking_number=event.get("tracking_number", "") if tracking_number is None else tracking_number,
        occurred_at=event.get("occurred_at"),
        raw_code=event.get("code", event.get("raw_code", "")),
        raw_text=event.get("text", event.get("raw_text", "")),
        location=event.get("location", ""),
    )


def recorded_data(index: int, item: TrackingInput, recorded: Recorded) -> dict[str, Any]:
    parcel = recorded.parcel
    data: dict[str, Any] = {
        "index": index,
        "tracking_number": str(item.tracking_number),
        "outcome": recorded.outcome.value,
        "parcel": {"id": str(parcel.pk), "code": parcel.number} if parcel is not None else None,
        "status": (parcel.tracking_status or "pending") if parcel is not None else None,
    }
    if recorded.event is not None:
        data["event"] = {"id": str(recorded.event.pk), "status": recorded.event.status}
    if recorded.message is not None:
        data["message"] = {"id": str(recorded.message.pk)}
        data["reason_code"], data["reason"] = recorded.reason_code, recorded.reason
    return data


def _answer(items: Sequence[TrackingInput], results: Sequence[Recorded]) -> dict[str, Any]:
    counts = Counter(r.outcome.value for r in results)
    return {
        "counts": {name: counts.get(name, 0) for name in ("applied", "duplicate", "kept")},
        "results": [
            recorded_data(i, item, r) for i, (item, r) in enumerate(zip(items, results, strict=True))
        ],
    }


def event_data(event: TrackingEvent) -> dict[str, Any]:
    return {
        "id": str(event.pk),
        "occurred_at": _time(event.occurred_at),
        "status": event.status,
        "raw_code": event.raw_code,
        "raw_text": event.raw_text,
        "location": event.location,
        "customs_hold": event.is_customs_hold,
        "refused_for_charges": event.is_refused_for_charges,
        "source": event.source,
        "received_at": _time(event.received_at),
    }


def alert_data(alert: TrackingAlert, *, parcel: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(alert.pk),
        "kind": alert.kind,
        "detail": alert.detail,
        "raised_at": _time(alert.raised_at),
        "resolved_at": _time(alert.resolved_at),
        "resolved_by": alert.resolved_by,
    }
    if parcel:
        p = alert.parcel
        data["parcel"] = {
            "id": str(p.pk),
            "code": p.number,
            "carrier": p.carrier_code,
            "tracking_number": p.tracking_number,
            "status": p.tracking_status or "pending",
        }
    return data


def tracking_data(view: selectors.ParcelTracking) -> dict[str, Any]:
    parcel = view.parcel
    request = parcel.outbound.request
    return {
        "parcel": {"id": str(parcel.pk), "code": parcel.number, "status": parcel.status},
        "order": {"id": str(request.order_id), "code": request.order_number},
        "carrier": {"code": parcel.carrier_code, "name": view.carrier_name},
        "service": {"code": parcel.service_code, "name": view.service_name},
        "tracking_number": parcel.tracking_number,
        "tracking_url": view.tracking_url,
        "status": view.status,
        "shipped_at": _time(parcel.shipped_at),
        "last_event_at": _time(parcel.last_event_at),
        "delivered_at": _time(parcel.delivered_at),
        "events": [event_data(e) for e in view.events],
        "alerts": [alert_data(a, parcel=False) for a in view.alerts],
    }


# --- scans in --------------------------------------------------------------------------------------------------


class TrackingEventViewSet(ScopedViewSetMixin):
    resource = "fulfillment"
    queryset = TrackingEvent.objects.all()

    @extend_schema(
        summary="Record carrier scans, any parcels (operator)",
        operation_id="tracking_events_record",
        request=OpenApiTypes.OBJECT,
        responses=_OBJECT,
    )
    def create(self, request: Request) -> Response:
        operator_id = _operator_only(self.scope)
        items = [_input(event) for event in _events(request.data)]
        results = tracking_ingest(
            actor=self.scope.actor, operator_id=operator_id, source=TrackingSource.API, items=items
        )
        return Response(_answer(items, results))


class TrackingNumberViewSet(ScopedViewSetMixin):
    resource = "fulfillment"
    queryset = Parcel.objects.all()

    @extend_schema(
        summary="Record carrier scans of one tracking number (operator)",
        operation_id="tracking_number_events_record",
        request=OpenApiTypes.OBJECT,
        responses=_OBJECT,
    )
    def record(self, request: Request, carrier_code: str, tracking_number: str) -> Response:
        operator_id = _operator_only(self.scope)
        items = [
            _input(event, carrier=carrier_code, tracking_number=tracking_number)
            for event in _events(request.data)
        ]
        results = tracking_ingest(
            actor=self.scope.actor, operator_id=operator_id, source=TrackingSource.API, items=items
        )
        return Response(_answer(items, results))


class ParcelTrackingViewSet(ScopedViewSetMixin):
    resource = "fulfillment"
    queryset = Parcel.objects.all()

    @extend_schema(summary="A parcel's tracking timeline", operation_id="parcel_tracking", responses=_OBJECT)
    def retrieve(self, request: Request, pk: uuid.UUID) -> Response:
        return Response(tracking_data(selectors.parcel_tracking(self.scope, pk)))


# --- alerts and kept messages --------------------------------------------------------------------------------


_ALERT_FILTERS = [
    OpenApiParameter("state", str, description="open (default), resolved or all"),
    OpenApiParameter("kind", str, description=", ".join(TrackingAlertKind.values)),
    OpenApiParameter("warehouse", OpenApiTypes.UUID),
]


@extend_schema_view(
    list=extend_schema(
        summary="List tracking alerts",
        operation_id="tracking_alerts_list",
        parameters=_ALERT_FILTERS,
        responses=_OBJECT,
    ),
    retrieve=extend_schema(summary="Read one tracking alert", responses=_OBJECT),
)
class TrackingAlertViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    resource = "fulfillment"
    queryset = TrackingAlert.objects.all()
    filterset_class = None
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        params = self.request.query_params
        state = params.get("state", "open")
        if state not in {"open", "resolved", "all"}:
            raise TrackingInvalid("state is open, resolved or all", field="state")
        kind = params.get("kind", "")
        if kind and kind not in TrackingAlertKind.values:
            raise TrackingInvalid(f"{kind!r} is not an alert kind", field="kind")
        warehouse = params.get("warehouse", "")
        if warehouse:
            try:
                uuid.UUID(warehouse)
            except ValueError:
                raise TrackingInvalid("warehouse is an id", field="warehouse") from None
        return selectors.alerts(self.scope, state=state, kind=kind, warehouse=warehouse)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None  # noqa: S101 - the API always paginates
        return self.get_paginated_response([alert_data(a) for a in page])

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(alert_data(selectors.alert_get(self.scope, kwargs["pk"])))

    @extend_schema(summary="Resolve an alert (operator)", request=OpenApiTypes.OBJECT, responses=_OBJECT)
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str | None = None) -> Response:
        _operator_only(self.scope)
        alert = selectors.alert_get(self.scope, pk)
        note = request.data.get("note", "") if isinstance(request.data, dict) else ""
        if not isinstance(note, str):
            raise TrackingInvalid("note is text", field="note")
        done = tracking_alert_resolve(actor=self.scope.actor, alert=alert, note=note)
        return Response(alert_data(done))


@extend_schema_view(
    list=extend_schema(
        summary="List tracking messages kept because they could not be applied (operator)",
        operation_id="tracking_messages_list",
        parameters=[OpenApiParameter("reason_code", str, description=", ".join(KeepReason))],
        responses=_OBJECT,
    ),
)
class TrackingMessageViewSet(ScopedViewSetMixin, mixins.ListModelMixin):
    resource = "fulfillment"
    queryset = TrackingMessage.objects.all()
    filterset_class = None
    filter_backends: list[Any] = []

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _operator_only(self.scope)
        queryset = selectors.messages(self.scope, reason_code=request.query_params.get("reason_code", ""))
        page = self.paginate_queryset(queryset)
        assert page is not None  # noqa: S101 - the API always paginates
        return self.get_paginated_response(
            [
                {
                    "id": str(m.pk),
                    "source": m.source,
                    "carrier": m.carrier_code,
                    "tracking_number": m.tracking_number,
                    "reason_code": m.reason_code,
                    "reason": m.reason,
                    "payload": m.payload,
                    "received_at": _time(m.received_at),
                }
                for m in page
            ]
        )


# --- webhook secrets -------------------------------------------------------------------------------------------


def webhook_url(request: Any, row: TrackingWebhookSecret) -> str:
    path = reverse(
        "tracking-webhook", kwargs={"operator_id": row.operator_id, "carrier_code": row.carrier_code}
    )
    return str(request.build_absolute_uri(path))


def _secret_data(request: Any, row: TrackingWebhookSecret) -> dict[str, Any]:
    return {
        "id": str(row.pk),
        "carrier_code": row.carrier_code,
        "url": webhook_url(request, row),
        "created_at": _time(row.secret_created_at),
        "previous_secret_expires_at": _time(row.previous_secret_expires_at),
    }


@extend_schema_view(
    list=extend_schema(
        summary="List tracking webhook secrets (operator)",
        operation_id="tracking_webhook_secrets_list",
        responses=_OBJECT,
    )
)
class TrackingWebhookSecretViewSet(ScopedViewSetMixin, mixins.ListModelMixin):
    resource = "integration"
    queryset = TrackingWebhookSecret.objects.all()
    filterset_class = None
    filter_backends: list[Any] = []

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _operator_only(self.scope)
        page = self.paginate_queryset(self.get_queryset().order_by("carrier_code"))
        assert page is not None  # noqa: S101 - the API always paginates
        return self.get_paginated_response([_secret_data(request, row) for row in page])

    @extend_schema(
        summary="Issue or rotate a carrier's tracking webhook secret (operator; the secret is shown once)",
        request=OpenApiTypes.OBJECT,
        responses={201: OpenApiTypes.OBJECT},
    )
    def create(self, request: Request) -> Response:
        operator = Operator.objects.get(pk=_operator_only(self.scope))
        data = request.data if isinstance(request.data, dict) else {}
        carrier = data.get("carrier_code", "")
        if not isinstance(carrier, str) or not carrier.strip():
            raise TrackingInvalid("carrier_code names the carrier", field="carrier_code")
        until: dt.datetime | None = None
        if data.get("keep_old_until"):
            until = parse_datetime(str(data["keep_old_until"]))
            if until is None:
                raise TrackingInvalid("keep_old_until is an ISO 8601 time", field="keep_old_until")
        row, secret = tracking_webhook_secret_issue(
            actor=self.scope.actor, operator=operator, carrier_code=carrier, keep_old_until=until
        )
        return Response({**_secret_data(request, row), "secret": secret}, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Delete a carrier's tracking webhook secret (operator)", responses={204: None})
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        row = self.get_object()  # first: another party's secret is 404
        _operator_only(self.scope)
        tracking_webhook_secret_delete(actor=self.scope.actor, row=row)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- the carrier's webhook -------------------------------------------------------------------------------------


def _problem(request: HttpRequest, status_code: int, code: str, title: str, detail: str) -> JsonResponse:
    body = problem_body(status=status_code, code=code, title=title, detail=detail, instance=request.path)
    return JsonResponse(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE)


@csrf_exempt
@require_POST
def tracking_webhook(request: HttpRequest, operator_id: uuid.UUID, carrier_code: str) -> JsonResponse:
    """A carrier's scans for one operator, signed with the operator's secret for that carrier. No session, no
    API key, no CSRF token: the signature is the credential. 401 on a bad or missing signature (also when no
    secret is issued); 400 on a body that is not a list of scans (kept as a message); else 200 with one
    result per scan (recorded, replay, or kept with its reason)."""
    raw = request.body
    try:
        tracking_webhook_verify(
            operator_id=operator_id,
            carrier_code=carrier_code,
            body=raw,
            timestamp=request.headers.get("Haicang-Timestamp", ""),
            signature=request.headers.get("Haicang-Signature", ""),
        )
    except SignatureRejected as exc:
        logger.warning(
            "tracking webhook %s/%s: signature rejected (%s)", operator_id, carrier_code, exc.reason
        )
        return _problem(request, 401, "tracking.webhook_rejected", "Signature rejected", exc.reason)
    actor = Actor.system(WEBHOOK_ACTOR)
    try:
        data = json.loads(raw)
        if isinstance(data, dict) and "events" not in data:
            data = {"events": [data]}  # one scan alone
        items = [_input(event, carrier=carrier_code) for event in _events(data)]
    except (ValueError, TrackingInvalid) as exc:
        detail = exc.detail if isinstance(exc, TrackingInvalid) else "the body is not JSON"
        tracking_message_keep(
            actor=actor,
            operator_id=operator_id,
            source=TrackingSource.WEBHOOK,
            carrier_code=carrier_code,
            tracking_number="",
            payload={"body": raw[:4000].decode("utf-8", errors="replace")},
            reason_code=KeepReason.PAYLOAD_INVALID,
            reason=detail,
        )
        return _problem(request, 400, "tracking.payload_invalid", "Not a list of scans", detail)
    results = tracking_ingest(
        actor=actor, operator_id=operator_id, source=TrackingSource.WEBHOOK, items=items
    )
    return JsonResponse(_answer(items, results))
