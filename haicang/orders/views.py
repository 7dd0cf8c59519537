"""The seller's order pages: the list (filters, search by e-mail or phone through the blind index, pages of 50)
and one order (lines with kit components, holds with their reasons, status history, ship-to).

Reads go through the request's scope (resource ``orders``; operators see no order). The customer's personal
data is masked on the page; a reader holding ``orders:pii`` may *show* it (``?contact=show``), which is
audited as a read (``order.pii_read``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from haicang.channels.models import ChannelAccount
from haicang.orders import selectors
from haicang.orders.contact import contact_masked
from haicang.orders.models import HoldReason, LineKind, Order, OrderStatus
from haicang.orders.routing import decision_cost_label, routing_decision_latest
from haicang.orders.selectors import PII, READ
from haicang.orders.services import order_contact_read
from haicang.parties.access import scope_for_request
from haicang.parties.scoping import scope_queryset, scoped_get
from haicang.web.pages import scoped_page

PAGE_SIZE = 50


def _date(text: str) -> datetime | None:
    try:
        return datetime.combine(date.fromisoformat(text), time.min, tzinfo=UTC)
    except ValueError:
        return None


@scoped_page
@require_GET
def order_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for_request(request)
    filters = {
        name: request.GET.get(name, "").strip() for name in ("q", "status", "account", "hold", "from", "to")
    }
    placed_to = _date(filters["to"])
    queryset = selectors.orders_filter(
        selectors.orders(scope),
        status=filters["status"] if filters["status"] in OrderStatus.values else "",
        account=filters["account"] if _is_uuid(filters["account"]) else "",
        hold=filters["hold"],
        placed_from=_date(filters["from"]),
        placed_to=placed_to + timedelta(days=1) if placed_to else None,
        search=filters["q"],
    )
    page = Paginator(queryset.prefetch_related("holds"), PAGE_SIZE).get_page(request.GET.get("page"))
    accounts = scope_queryset(ChannelAccount.objects.all(), scope, permission=READ).order_by("name")
    context = {
        "page": page,
        "filters": filters,
        "query": urlencode({k: v for k, v in filters.items() if v}),
        "statuses": OrderStatus.choices,
        "hold_reasons": HoldReason.choices,
        "accounts": accounts,
    }
    return render(request, "orders/order_list.html", context)


def _is_uuid(text: str) -> bool:
    import uuid

    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


@scoped_page
@require_GET
def order_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    scope = scope_for_request(request)
    order: Order = scoped_get(
        Order.objects.select_related("account").prefetch_related("lines__sku", "holds", "history"),
        scope,
        permission=READ,
        pk=pk,
    )
    can_see_contact = scope.can(PII)
    contact: Any = None
    if can_see_contact and request.GET.get("contact") == "show":
        contact = order_contact_read(actor=scope.actor, order=order, purpose="page")
    lines = list(order.lines.all())
    top = [line for line in lines if line.kit_line_id is None]
    components: dict[Any, list[Any]] = {}
    for line in lines:
        if line.kind == LineKind.COMPONENT:
            components.setdefault(line.kit_line_id, []).append(line)
    decision = routing_decision_latest(order)
    context = {
        "order": order,
        "lines": [{"line": line, "components": components.get(line.pk, [])} for line in top],
        "open_holds": [h for h in order.holds.all() if h.released_at is None],
        "released_holds": [h for h in order.holds.all() if h.released_at is not None],
        "history": list(order.history.all()),
        "contact": contact,
        "masked": contact_masked(order),
        "can_see_contact": can_see_contact,
        "routing": decision,
        "routing_cost": decision_cost_label(decision),
    }
    from haicang.fulfillment.tracking_views import order_parcels_context  # the Parcels section (fulfillment)

    context.update(order_parcels_context(request, order.pk))
    return render(request, "orders/order_detail.html", context)
