"""The payloads of ``order.created``, ``order.changed`` and ``order.cancelled``, rendered at delivery time
through the receiving party's scope (``haicang.integration.rendering``). No personal data and no prices: the
order's id and number, its status, its channel, the number of lines and where its stock stands
(``allocation_status``). A receiver that needs more reads
``GET /api/v1/orders/{id}/`` with its own key (and ``orders:pii`` for the contact)."""

from __future__ import annotations

from typing import Any

from haicang.integration.rendering import renderer_register
from haicang.orders.models import Order
from haicang.orders.services import ORDER_CANCELLED, ORDER_CHANGED, ORDER_CREATED
from haicang.parties.scoping import Scope, scope_queryset


def _visible(subject_id: str, scope: Scope) -> Order | None:
    if not scope.can("orders:read"):
        return None
    try:
        return scope_queryset(Order.objects.filter(pk=subject_id), scope, permission="orders:read").first()
    except ValueError:
        return None


def order_visible(subject_id: str, scope: Scope) -> bool:
    return _visible(subject_id, scope) is not None


def render_order(subject_id: str, scope: Scope) -> dict[str, Any] | None:
    order = _visible(subject_id, scope)
    if order is None:
        return None
    return {
        "order": {"id": str(order.pk), "number": order.number},
        "status": order.status,
        "channel": {
            "account": str(order.account_id),
            "platform": order.platform,
            "external_id": order.external_id,
        },
        "on_hold": order.holds.filter(released_at__isnull=True).exists(),
        "lines": order.lines.filter(kit_line__isnull=True).count(),
        "allocation_status": order.allocation_status,
    }


for _event in (ORDER_CREATED, ORDER_CHANGED, ORDER_CANCELLED):
    renderer_register(_event, render_order, visible=order_visible)
