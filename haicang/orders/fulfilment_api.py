"""``/api/v1/fulfillment-requests/``: the seller's and the operator's view of fulfillment requests.

- ``GET /api/v1/fulfillment-requests/`` (``fulfillment:read``): the caller's requests — a seller its own, an
  operator those of its warehouses — soonest due first; filters ``sla`` (``on_time``, ``at_risk``, ``late``:
  open requests only), ``status``, ``warehouse``. ``GET …/{id}/``: one request with lines, history and SLA.
- The operator (``fulfillment:write``, the request's own operator): ``POST …/{id}/accept/``, ``…/reject/``
  ``{"reason"}``, ``…/start/``, ``…/ship/`` ``{"carrier", "tracking_numbers": [...]}``, ``…/cancel/``
  ``{"reason"}``, ``…/answer-cancellation/`` ``{"accept": true|false, "reason"}`` — through the fulfillment app's
  outbound services (``fulfilment_operator.py``): accepting creates the outbound; start, and ship of a request
  with an outbound, are refused (409 ``fulfillment.use_outbound``: waves and the dock do them).
- The seller (``orders:write``, the request's own seller): ``POST …/{id}/cancellation-request/`` ``{"reason"}``
  — on its own viewset, because sellers hold no ``fulfillment:write``.

**What an operator sees is what the agreement grants**: SKUs and quantities, the service level, the ship-to
(country, postcode, city, region; name, company and street lines in clear in the detail only, and every such
read audited ``fulfillment_request.contact_read``), the phone and e-mail **only** when the agreement shares them,
unit prices **only** when it shares prices — both when the request was released *and* today (a grant withdrawn
later hides them again). Sellers get the ship-to masked (they read it on the order, with ``orders:pii``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from haicang.core.errors import ValidationFailed
from haicang.core.money import Money
from haicang.orders import sla
from haicang.orders.fulfilment import (
    fulfilment_request_cancel_request,
    request_contact_masked,
    request_contact_read,
)
from haicang.orders.fulfilment_operator import (
    operator_accept,
    operator_cancel,
    operator_cancellation_answer,
    operator_reject,
    operator_ship,
    operator_start,
)
from haicang.orders.models_fulfilment import FulfillmentRequest, RequestStatus
from haicang.orders.sla_rules import SlaState
from haicang.parties.api.base import ScopedViewSetMixin
from haicang.parties.scoping import AccessDenied, Scope

_FILTERS = [
    OpenApiParameter("sla", str, description="on_time, at_risk or late (open requests only)"),
    OpenApiParameter(
        "status", str, description="submitted, accepted, rejected, in_progress, shipped, cancelled"
    ),
    OpenApiParameter("warehouse", OpenApiTypes.UUID),
]


class InputInvalid(ValidationFailed):
    code = "fulfillment.input_invalid"
    title = "The request body cannot be read"


def _money(value: Money | None) -> dict[str, str] | None:
    return None if value is None else {"amount": f"{value.amount:f}", "currency": value.currency}


def _time(value: Any) -> str | None:
    return None if value is None else value.isoformat().replace("+00:00", "Z")


def prices_visible(request: FulfillmentRequest, scope: Scope) -> bool:
    """Sellers see their own prices; an operator only when the agreement shared them at release and still does."""
    if scope.seller_id is not None:
        return True
    return request.shares_prices and request.agreement.share_prices


def request_summary(request: FulfillmentRequest, scope: Scope, *, now: Any) -> dict[str, Any]:
    state = sla.request_sla_state(request, now=now)
    data: dict[str, Any] = {
        "id": str(request.pk),
        "number": request.number,
        "status": request.status,
        "cancellation": request.cancellation,
        "order": {"number": request.order_number},
        "seller": {"id": str(request.seller_id), "code": request.seller.code},
        "operator": {"id": str(request.operator_id), "code": request.operator.code},
        "warehouse": {"id": str(request.warehouse_id), "code": request.warehouse.code},
        "service_level": request.service_level,
        "ship_to": {
            "country": request.ship_country,
            "postcode": request.ship_postcode,
            "city": request.ship_city,
            "region": request.ship_region,
        },
        "sla": {
            "state": state.value if state else None,
            "due_at": _time(request.due_at),
            "basis": request.sla_basis,
            "at_risk_from": _time(request.at_risk_from),
            "agreement_due_at": _time(request.agreement_due_at),
            "platform_ship_by": _time(request.platform_ship_by),
            "released_at": _time(request.released_at),
            "started_at": _time(request.sla_start_at),
        },
        "shipped_at": _time(request.shipped_at),
        "version": request.version,
    }
    if scope.seller_id is not None:
        data["order"]["id"] = str(request.order_id)
    return data


def request_detail(
    request: FulfillmentRequest, scope: Scope, *, now: Any, contact: Any = None
) -> dict[str, Any]:
    data = request_summary(request, scope, now=now)
    show_prices = prices_visible(request, scope)
    lines = []
    for line in request.lines.all():
        item: dict[str, Any] = {
            "position": line.position,
            "sku": {"id": str(line.sku_id), "code": line.sku.code},
            "quantity": line.quantity,
        }
        if show_prices:
            item["unit_price"] = _money(line.unit_price)
        lines.append(item)
    data["lines"] = lines
    if contact is None:
        masked = request_contact_masked(request)
        data["ship_to"].update(masked)
        data["pii"] = "masked"
    else:
        data["ship_to"].update(
            {"name": contact.name, "company": contact.company, "street_lines": list(contact.street_lines)}
        )
        if request.shares_phone and request.agreement.share_customer_phone:
            data["ship_to"]["phone"] = contact.phone
        if request.shares_email and request.agreement.share_customer_email:
            data["ship_to"]["email"] = contact.email
        data["pii"] = "clear"
    data.update(
        {
            "reject_reason": request.reject_reason,
            "cancellation_reason": request.cancellation_reason,
            "cancellation_answer": request.cancellation_answer,
            "carrier": request.carrier,
            "tracking_numbers": list(request.tracking_numbers),
            "history": [
                {
                    "version": h.version,
                    "event": h.event,
                    "status": h.status,
                    "previous_status": h.previous_status,
                    "actor": h.actor,
                    "detail": h.detail,
                    "at": _time(h.occurred_at),
                }
                for h in request.history.all()
            ],
        }
    )
    return data


def _text(data: Any, name: str) -> str:
    value = data.get(name, "") if isinstance(data, dict) else ""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputInvalid(f"{name} is a string", field=name)
    return value


def _detail_queryset(queryset: QuerySet[FulfillmentRequest]) -> QuerySet[FulfillmentRequest]:
    return queryset.select_related("agreement").prefetch_related("lines__sku", "history")


_OBJECT = {200: OpenApiTypes.OBJECT}


@extend_schema_view(
    list=extend_schema(
        summary="List fulfillment requests",
        operation_id="fulfillment_requests_list",
        parameters=_FILTERS,
        responses=_OBJECT,
    ),
    retrieve=extend_schema(summary="Read one fulfillment request", responses=_OBJECT),
)
class FulfillmentRequestViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    resource = "fulfillment"
    queryset = FulfillmentRequest.objects.all()
    filterset_class = None

    def get_queryset(self) -> Any:
        queryset = sla.fulfillment_requests(self.scope)
        if self.action != "list":
            return _detail_queryset(queryset)
        params = self.request.query_params
        wanted = params.get("sla", "")
        if wanted and wanted not in sla.SLA_FILTERS:
            raise InputInvalid("sla is on_time, at_risk or late", field="sla")
        status = params.get("status", "")
        if status and status not in RequestStatus.values:
            raise InputInvalid(f"{status!r} is not a request status", field="status")
        warehouse = params.get("warehouse", "")
        if warehouse:
            import uuid

            try:
                uuid.UUID(warehouse)
            except ValueError:
                raise InputInvalid("warehouse is an id", field="warehouse") from None
        return sla.requests_filter(
            queryset, sla=wanted, status=status, warehouse=warehouse, now=timezone.now()
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        now = timezone.now()
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None  # noqa: S101 - the API always paginates
        return self.get_paginated_response([request_summary(r, self.scope, now=now) for r in page])

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        fr = self.get_object()
        contact = None
        if self.scope.operator_id is not None:  # the ship-to the agreement grants, to make the label
            contact = request_contact_read(actor=self.scope.actor, request=fr, purpose="api")
        return Response(request_detail(fr, self.scope, now=timezone.now(), contact=contact))

    # --- the operator's actions ---
    def _operate(self, work: Callable[[FulfillmentRequest], FulfillmentRequest]) -> Response:
        fr = self.get_object()
        if self.scope.operator_id is None or fr.operator_id != self.scope.operator_id:
            raise AccessDenied(
                "only the warehouse's operator works a fulfillment request", permission="operator"
            )
        done = work(fr)
        fresh = _detail_queryset(FulfillmentRequest.objects.filter(pk=done.pk)).get()
        return Response(request_detail(fresh, self.scope, now=timezone.now()))

    @extend_schema(summary="Accept the request (operator)", request=None, responses=_OBJECT)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        return self._operate(lambda fr: operator_accept(actor=self.scope.actor, request=fr))

    @extend_schema(
        summary="Reject the request with a reason (operator)", request=OpenApiTypes.OBJECT, responses=_OBJECT
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        return self._operate(
            lambda fr: operator_reject(
                actor=self.scope.actor, request=fr, reason=_text(request.data, "reason")
            )
        )

    @extend_schema(
        summary="Start working the request (operator)",
        description="Refused with 409 fulfillment.use_outbound: an accepted request is outbound work and starts "
        "when its wave is released (POST /api/v1/waves/{id}/release/).",
        request=None,
        responses=_OBJECT,
    )
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str | None = None) -> Response:
        return self._operate(lambda fr: operator_start(actor=self.scope.actor, request=fr))

    @extend_schema(
        summary="Mark the request shipped (operator)",
        description="Refused with 409 fulfillment.use_outbound when the request has an outbound: it ships at ship "
        "confirmation (POST /api/v1/outbounds/{id}/ship/). Only a request started without one is marked here.",
        request=OpenApiTypes.OBJECT,
        responses=_OBJECT,
    )
    @action(detail=True, methods=["post"])
    def ship(self, request: Request, pk: str | None = None) -> Response:
        def work(fr: FulfillmentRequest) -> FulfillmentRequest:  # the body is read once the request is found
            carrier = _text(request.data, "carrier")
            tracking = request.data.get("tracking_numbers", []) if isinstance(request.data, dict) else []
            if not isinstance(tracking, list) or not all(isinstance(t, str) for t in tracking):
                raise InputInvalid("tracking_numbers is a list of strings", field="tracking_numbers")
            return operator_ship(
                actor=self.scope.actor, request=fr, carrier=carrier, tracking_numbers=tracking
            )

        return self._operate(work)

    @extend_schema(
        summary="Cancel the request with a reason (operator)",
        description="With an outbound: accepts a pending cancellation request (a packed outbound's labels are "
        "voided), else hands the outbound back (the request cancelled, its units routed again).",
        request=OpenApiTypes.OBJECT,
        responses=_OBJECT,
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        return self._operate(
            lambda fr: operator_cancel(
                actor=self.scope.actor, request=fr, reason=_text(request.data, "reason")
            )
        )

    @extend_schema(
        summary="Answer the seller's cancellation request (operator)",
        request=OpenApiTypes.OBJECT,
        responses=_OBJECT,
    )
    @action(detail=True, methods=["post"], url_path="answer-cancellation")
    def answer_cancellation(self, request: Request, pk: str | None = None) -> Response:
        def work(fr: FulfillmentRequest) -> FulfillmentRequest:
            accept = request.data.get("accept") if isinstance(request.data, dict) else None
            if not isinstance(accept, bool):
                raise InputInvalid("accept is true or false", field="accept")
            reason = _text(request.data, "reason")
            return operator_cancellation_answer(
                actor=self.scope.actor, request=fr, accept=accept, reason=reason
            )

        return self._operate(work)


class FulfillmentCancellationViewSet(ScopedViewSetMixin):
    """The seller's side: ask the operator to cancel a request (needs ``orders:write``)."""

    resource = "orders"
    queryset = FulfillmentRequest.objects.all()

    @extend_schema(
        summary="Ask to cancel a fulfillment request (seller)", request=OpenApiTypes.OBJECT, responses=_OBJECT
    )
    @action(detail=True, methods=["post"], url_path="cancellation-request")
    def cancellation_request(self, request: Request, pk: str | None = None) -> Response:
        fr = self.get_object()
        if self.scope.seller_id is None or fr.seller_id != self.scope.seller_id:
            raise AccessDenied("only the request's seller asks to cancel it", permission="orders:write")
        reason = _text(request.data, "reason")
        done = fulfilment_request_cancel_request(actor=self.scope.actor, request=fr, reason=reason)
        fresh = _detail_queryset(sla.fulfillment_requests(self.scope).filter(pk=done.pk)).first()
        if fresh is None:  # a seller member without fulfillment:read: answer with the summary it may see
            return Response({"id": str(done.pk), "number": done.number, "status": done.status})
        return Response(request_detail(fresh, self.scope, now=timezone.now()))


SLA_STATES = [state.value for state in SlaState]
