"""Reads of fulfillment requests and their SLA clock, always through the reader's scope (resource
``fulfillment``): a seller sees its own requests, an operator those of its warehouses.

The clock was fixed at release (``due_at`` and ``at_risk_from``, :mod:`haicang.orders.sla_rules`), so the
at-risk and late lists are plain comparisons with "now" on the **open** requests (submitted, accepted,
in progress): ``late`` — the due has passed; ``at_risk`` — past ``at_risk_from`` but not yet due; ``on_time`` —
neither. A shipped request's own state compares its ``shipped_at`` with its due.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from haicang.orders.models_fulfilment import OPEN_STATUSES, FulfillmentRequest, RequestStatus
from haicang.orders.sla_rules import SlaState, sla_state
from haicang.parties.scoping import Scope, scope_queryset

READ = "fulfillment:read"
WRITE = "fulfillment:write"
SLA_FILTERS = frozenset(state.value for state in SlaState)


def fulfillment_requests(scope: Scope) -> QuerySet[FulfillmentRequest]:
    queryset = FulfillmentRequest.objects.select_related("warehouse", "seller", "operator")
    return scope_queryset(queryset, scope, permission=READ).order_by("due_at", "id")


def requests_filter(
    queryset: QuerySet[FulfillmentRequest],
    *,
    sla: str = "",
    status: str = "",
    warehouse: str = "",
    now: datetime,
) -> QuerySet[FulfillmentRequest]:
    """Narrow a list: ``sla`` is ``on_time``, ``at_risk`` or ``late`` (open requests only), ``status`` one of
    the request statuses, ``warehouse`` a warehouse id."""
    if status:
        queryset = queryset.filter(status=status)
    if warehouse:
        queryset = queryset.filter(warehouse_id=warehouse)
    if sla:
        queryset = queryset.filter(status__in=OPEN_STATUSES)
        if sla == SlaState.LATE:
            queryset = queryset.filter(due_at__lte=now)
        elif sla == SlaState.AT_RISK:
            queryset = queryset.filter(at_risk_from__lte=now, due_at__gt=now)
        elif sla == SlaState.ON_TIME:
            queryset = queryset.filter(at_risk_from__gt=now, due_at__gt=now)
    return queryset


def at_risk_and_late(scope: Scope, *, now: datetime) -> QuerySet[FulfillmentRequest]:
    """The open requests past their at-risk instant (late ones first: they are due earliest)."""
    return fulfillment_requests(scope).filter(status__in=OPEN_STATUSES, at_risk_from__lte=now)


def request_sla_state(request: FulfillmentRequest, *, now: datetime) -> SlaState | None:
    """The request's state at ``now``; None for a rejected or cancelled request."""
    if request.status in (RequestStatus.REJECTED, RequestStatus.CANCELLED):
        return None
    return sla_state(
        due=request.due_at,
        at_risk_from=request.at_risk_from,
        now=now,
        shipped_at=request.shipped_at if request.status == RequestStatus.SHIPPED else None,
    )
