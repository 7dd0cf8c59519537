"""Wiring of fulfillment requests, called once from ``OrdersConfig.ready()``: scoping rules, the
``fulfillment_request.changed`` renderer, the sealed columns for ``haicang rotate-keys`` and the navigation entry.

Scoping: a seller sees its own requests; an operator sees the requests of **its warehouses** — the only way an
operator sees anything of an order (the Order model has no operator rule).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from haicang.parties.scoping import Scope


def _visible(subject_id: str, scope: Scope) -> Any:
    from haicang.orders.models_fulfilment import FulfillmentRequest
    from haicang.parties.scoping import scope_queryset

    if not scope.can("fulfillment:read"):
        return None
    try:
        queryset = FulfillmentRequest.objects.filter(pk=subject_id)
        return scope_queryset(queryset, scope, permission="fulfillment:read").first()
    except ValueError:
        return None


def request_visible(subject_id: str, scope: Scope) -> bool:
    return _visible(subject_id, scope) is not None


def render_request(subject_id: str, scope: Scope) -> dict[str, Any] | None:
    """``fulfillment_request.changed``: the request, its order's number, its status — no personal data, no
    prices, for the seller and the operator alike."""
    request = _visible(subject_id, scope)
    if request is None:
        return None
    return {
        "request": {"id": str(request.pk), "number": request.number},
        "order": {"id": str(request.order_id), "code": request.order_number},
        "status": request.status,
        "cancellation": request.cancellation,
        "warehouse": {"id": str(request.warehouse_id), "code": request.warehouse.code},
        "due_at": request.due_at.isoformat().replace("+00:00", "Z"),
    }


def _party_with_fulfilment(user: Any, request: HttpRequest | None) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    from haicang.parties.access import scope_for_request, scope_for_user

    scope = scope_for_request(request) if request is not None else scope_for_user(user)
    return scope.party_id is not None and scope.can("fulfillment:read")


def fulfilment_ready() -> None:
    from haicang.core.sealing import sealed_field_register
    from haicang.integration.rendering import renderer_register
    from haicang.orders.fulfilment import EVENT_CHANGED, SEALED_COLUMNS, column_context
    from haicang.orders.models_fulfilment import (
        FulfillmentRequest,
        FulfillmentRequestHistory,
        FulfillmentRequestLine,
    )
    from haicang.parties.scoping import register_scoped
    from haicang.web.navigation import NavEntry, RequestVisibility, navigation

    register_scoped(
        FulfillmentRequest,
        seller=lambda party: Q(seller_id=party),
        operator=lambda party: Q(operator_id=party, warehouse__operator_id=party),
    )
    for model in (FulfillmentRequestLine, FulfillmentRequestHistory):
        register_scoped(
            model,
            seller=lambda party: Q(request__seller_id=party),
            operator=lambda party: Q(request__operator_id=party),
        )
    renderer_register(EVENT_CHANGED, render_request, visible=request_visible)
    for column in SEALED_COLUMNS.values():
        sealed_field_register(FulfillmentRequest, column, context=column_context(column))
    navigation.register(
        NavEntry(
            key="fulfillment-requests",
            label=_("Fulfillment"),
            url_name="fulfilment:request-list",
            order=25,
            visible_to=RequestVisibility(_party_with_fulfilment, name="party_with_fulfillment_read"),
        )
    )
