"""Payloads rendered at delivery time, through the receiving party's scope.

A renderer maps ``(subject id, scope)`` to the event's ``data``, or None when the subject is not (or no longer)
visible to the party — the relay then delivers nothing to it. Event types without a renderer of their own get
:func:`render_ids`, which shows only the subject's id. Later apps register theirs with :func:`renderer_register`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from haicang.core.actors import Actor
from haicang.integration.catalogue import STOCK_AVAILABLE_CHANGED, WEBHOOK_TEST
from haicang.integration.models import OutboxEvent, WebhookSubscription
from haicang.parties.roles import PartyKind, permissions_for
from haicang.parties.scoping import Scope, scope_queryset

Renderer = Callable[[str, Scope], dict[str, Any] | None]
Visibility = Callable[[str, Scope], bool]
RELAY_ACTOR = Actor.system("integration.relay")

_RENDERERS: dict[str, Renderer] = {}
_VISIBILITY: dict[str, Visibility] = {}


def renderer_register(event_type: str, renderer: Renderer, *, visible: Visibility | None = None) -> Renderer:
    """``renderer`` makes the event's ``data``; ``visible`` (optional) answers only whether the party may see
    the subject, more cheaply than rendering it — the relay asks it when fanning out."""
    _RENDERERS[event_type] = renderer
    if visible is not None:
        _VISIBILITY[event_type] = visible
    return renderer


def subscription_scope(subscription: WebhookSubscription) -> Scope:
    """What the subscription's party may read: its owner role's read permissions, nothing written."""
    kind = PartyKind.SELLER if subscription.seller_id else PartyKind.OPERATOR
    party_id = subscription.seller_id or subscription.operator_id
    readable = frozenset(p for p in permissions_for(kind, "owner") if p.endswith(":read"))
    return Scope(actor=RELAY_ACTOR, party_kind=kind, party_id=party_id, permissions=readable)


def render_ids(subject_id: str, scope: Scope) -> dict[str, Any] | None:
    """The fallback: nothing but the subject's id (the parties were named by the event)."""
    return {"id": subject_id}


def event_data(event: OutboxEvent, scope: Scope) -> dict[str, Any] | None:
    """The event's ``data`` for ``scope``'s party, or None if the party may not see the subject."""
    if scope.party_id not in (event.seller_id, event.operator_id):
        return None
    return _RENDERERS.get(event.event_type, render_ids)(event.subject_id, scope)


def event_visible(event: OutboxEvent, scope: Scope) -> bool:
    """Whether ``scope``'s party may see the event's subject (the fan-out's question; delivery asks again)."""
    if scope.party_id not in (event.seller_id, event.operator_id):
        return False
    check = _VISIBILITY.get(event.event_type)
    if check is None:
        return event_data(event, scope) is not None
    return check(event.subject_id, scope)


def envelope(event: OutboxEvent, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(event.pk),
        "type": event.event_type,
        "schema_version": event.schema_version,
        "occurred_at": event.occurred_at.isoformat().replace("+00:00", "Z"),
        "subject": {"type": event.subject_type, "id": event.subject_id, "version": event.subject_version},
        "data": data,
    }


# --- stock.available_changed -------------------------------------------------------------------------------


def available_subject_id(sku_id: uuid.UUID, warehouse_id: uuid.UUID) -> str:
    return f"{sku_id}:{warehouse_id}"


def _available_counters(subject_id: str, scope: Scope) -> Any:
    """The stock counter of the subject as ``scope`` sees it (a queryset), or None for a malformed id."""
    from haicang.inventory.models import StockCounter

    try:
        sku_id, warehouse_id = (uuid.UUID(part) for part in subject_id.split(":"))
    except ValueError:
        return None
    return scope_queryset(
        StockCounter.objects.filter(sku_id=sku_id, warehouse_id=warehouse_id),
        scope,
        permission="inventory:read",
    )


def available_visible(subject_id: str, scope: Scope) -> bool:
    counters = _available_counters(subject_id, scope)
    return counters is not None and counters.exists()


def render_available(subject_id: str, scope: Scope) -> dict[str, Any] | None:
    from haicang.inventory.models import Balance
    from haicang.inventory.selectors import stock_levels

    counters = _available_counters(subject_id, scope)
    if counters is None:
        return None
    counters = counters.select_related("sku", "warehouse")
    counter = counters.first()
    if counter is None:
        return None
    balances = scope_queryset(
        Balance.objects.filter(sku_id=counter.sku_id, location__warehouse_id=counter.warehouse_id),
        scope,
        permission="inventory:read",
    )
    level = stock_levels(balances=balances, counters=counters)[(counter.sku_id, counter.warehouse_id)]
    return {
        "sku": {"id": str(counter.sku_id), "code": counter.sku.code},
        "warehouse": {"id": str(counter.warehouse_id), "code": counter.warehouse.code},
        "available": max(level.available, 0),
        "sellable": level.sellable,
        "reserved": level.reserved,
    }


def render_test(subject_id: str, scope: Scope) -> dict[str, Any] | None:
    return {"message": "This is a test event from Haicang.", "subscription": {"id": subject_id}}


renderer_register(STOCK_AVAILABLE_CHANGED, render_available, visible=available_visible)
renderer_register(WEBHOOK_TEST, render_test)
