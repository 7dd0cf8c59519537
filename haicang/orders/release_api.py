"""``POST /api/v1/orders/{id}/release/`` ``{"warehouse", "lines"?}``: the seller releases (part of) an order to a
warehouse as a fulfillment request (:func:`haicang.orders.fulfilment.fulfilment_request_create`).

``warehouse`` is the id or code of a warehouse an active agreement of the seller covers; ``lines`` (optional) is
a list of ``{"line": <order line id>, "quantity"}`` — without it every unit not yet in a request is released.
Scoped like the orders (a POST needs ``orders:write``): another seller's order is 404, operators see none.
Answers 201 with the request as the seller reads it (the ship-to masked). Refusals:
``fulfillment.order_not_releasable``, ``fulfillment.no_agreement``, ``fulfillment.lines_invalid`` (nothing left
to release), ``fulfillment.input_invalid`` naming the field.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from haicang.network.models import Warehouse
from haicang.orders import selectors
from haicang.orders.fulfilment import RequestLine, fulfilment_request_create
from haicang.orders.fulfilment_api import InputInvalid, request_detail
from haicang.orders.models import Order, OrderLine
from haicang.orders.models_fulfilment import FulfillmentRequest
from haicang.parties.api.base import ScopedViewSetMixin
from haicang.parties.models import AgreementStatus


def _uuid(raw: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        return None


def _warehouse(seller_id: Any, raw: Any) -> Warehouse:
    if not isinstance(raw, str) or not raw.strip():
        raise InputInvalid("warehouse names the warehouse (id or code)", field="warehouse")
    covered = Warehouse.objects.filter(
        agreements__seller_id=seller_id, agreements__status=AgreementStatus.ACTIVE
    ).distinct()
    key = _uuid(raw)
    found = covered.filter(pk=key).first() if key else covered.filter(code__iexact=raw.strip()).first()
    if found is None:
        raise InputInvalid(f"no warehouse of your agreements is {raw!r}", field="warehouse")
    return found


def _lines(order: Order, raw: Any) -> list[RequestLine] | None:
    if raw is None:
        return None
    if not isinstance(raw, list) or not raw:
        raise InputInvalid("lines is a list of {line, quantity}", field="lines")
    by_id = {line.pk: line for line in OrderLine.objects.filter(order=order)}
    out = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            raise InputInvalid(f"lines[{index}] is an object", field="lines")
        line = by_id.get(_uuid(item.get("line")))  # type: ignore[arg-type]
        if line is None:
            raise InputInvalid(f"lines[{index}].line is not a line of {order.number}", field="lines")
        quantity = item.get("quantity")
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            raise InputInvalid(f"lines[{index}].quantity is a whole number", field="lines")
        out.append(RequestLine(line, quantity))
    return out


class OrderReleaseViewSet(ScopedViewSetMixin):
    resource = "orders"
    queryset = Order.objects.all()

    def get_queryset(self) -> Any:
        return selectors.orders(self.scope)

    @extend_schema(
        summary="Release the order (or some lines) to a warehouse as a fulfillment request",
        request=OpenApiTypes.OBJECT,
        responses={201: OpenApiTypes.OBJECT},
    )
    def release(self, request: Request, pk: str | None = None) -> Response:
        order = self.get_object()
        data = request.data if isinstance(request.data, dict) else {}
        warehouse = _warehouse(order.seller_id, data.get("warehouse"))
        made = fulfilment_request_create(
            actor=self.scope.actor, order=order, warehouse=warehouse, lines=_lines(order, data.get("lines"))
        )
        fresh = (
            FulfillmentRequest.objects.select_related("agreement", "seller", "operator", "warehouse")
            .prefetch_related("lines__sku", "history")
            .get(pk=made.pk)
        )
        return Response(request_detail(fresh, self.scope, now=timezone.now()), status=status.HTTP_201_CREATED)
