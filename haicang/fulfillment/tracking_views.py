"""The tracking pages (docs/fulfillment.md, "Tracking"):

- ``/fulfillment/tracking/alerts/`` — the operator's tracking alerts (open by default; ``?state=resolved|all``,
  ``?kind=``), each resolvable by hand, and the messages kept because they could not be applied. Sellers with
  ``fulfillment:read`` see the alerts of their own parcels, without the resolve buttons and the messages;
- ``/fulfillment/tracking/parcels/<id>/`` — one parcel's timeline, for both parties;
- ``/fulfillment/tracking/parcels/<id>/label.pdf`` — its label: the operator's staff (``fulfillment:read``), and
  the seller when it may see its customers' personal data (``orders:pii``; the label carries the name and
  address). Every download is audited (``parcel.label_read``);
- the seller's order page shows the order's parcels through :func:`order_parcels_context` and the template
  ``fulfillment/tracking/_order_parcels.html``.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from haicang.core.errors import DomainError
from haicang.fulfillment import tracking_selectors as selectors
from haicang.fulfillment.labelling import parcel_label_document
from haicang.fulfillment.models import TrackingAlertKind
from haicang.fulfillment.tracking import tracking_alert_resolve
from haicang.parties.access import scope_for_request
from haicang.parties.scoping import AccessDenied, Scope
from haicang.web.pages import scoped_page

READ, WRITE, PII = "fulfillment:read", "fulfillment:write", "orders:pii"
STATES = ("open", "resolved", "all")
PAGE = 200
MESSAGES = 50


def can_download_label(scope: Scope) -> bool:
    """The operator's staff who read fulfillment; a seller only with the right to see personal data."""
    if not scope.can(READ):
        return False
    return scope.operator_id is not None or scope.can(PII)


def order_parcels_context(request: HttpRequest, order_id: uuid.UUID) -> dict[str, Any]:
    """What the order page's Parcels section needs (empty when the reader may not read fulfillment)."""
    scope = scope_for_request(request)
    return {
        "order_parcels": selectors.order_parcels(scope, order_id),
        "order_parcels_label": can_download_label(scope),
    }


@scoped_page
@require_GET
def tracking_alerts(request: HttpRequest) -> HttpResponse:
    scope = scope_for_request(request)
    scope.require(READ)
    state = request.GET.get("state", "open")
    state = state if state in STATES else "open"
    kind = request.GET.get("kind", "")
    kind = kind if kind in TrackingAlertKind.values else ""
    is_operator = scope.operator_id is not None
    context = {
        "alerts": list(selectors.alerts(scope, state=state, kind=kind)[:PAGE]),
        "state": state,
        "kind": kind,
        "kinds": TrackingAlertKind.choices,
        "states": [
            ("open", gettext_lazy("Open")),
            ("resolved", gettext_lazy("Resolved")),
            ("all", gettext_lazy("All")),
        ],
        "can_resolve": is_operator and scope.can(WRITE),
        "kept": list(selectors.messages(scope)[:MESSAGES]) if is_operator else [],
        "is_operator": is_operator,
    }
    return render(request, "fulfillment/tracking/alerts.html", context)


@scoped_page
@require_POST
def tracking_alert_resolve_view(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    scope = scope_for_request(request)
    scope.require(WRITE)
    if scope.operator_id is None:
        raise AccessDenied("the warehouse's operator resolves tracking alerts", permission=WRITE)
    alert = selectors.alert_get(scope, pk)
    try:
        tracking_alert_resolve(actor=scope.actor, alert=alert, note=request.POST.get("note", "")[:300])
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, gettext_lazy("Alert resolved."))
    target = request.POST.get("next", "")
    if target.startswith("/fulfillment/") and "//" not in target:
        return redirect(target)
    return redirect("fulfillment:tracking-alerts")


@scoped_page
@require_GET
def tracking_parcel(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    scope = scope_for_request(request)
    scope.require(READ)
    view = selectors.parcel_tracking(scope, pk)
    context = {
        "view": view,
        "can_resolve": scope.operator_id is not None and scope.can(WRITE),
        "can_label": can_download_label(scope),
    }
    return render(request, "fulfillment/tracking/parcel.html", context)


@scoped_page
@require_GET
def tracking_parcel_label(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    scope = scope_for_request(request)
    scope.require(READ)
    if not can_download_label(scope):
        raise AccessDenied("the label carries the customer's name and address", permission=PII)
    parcel = selectors.parcel_tracking(scope, pk).parcel
    content = parcel_label_document(actor=scope.actor, parcel=parcel, fmt="pdf")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{parcel.number}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def register_navigation() -> None:
    """The header's "Tracking" entry: operators' members who work outbound (``fulfillment:write``)."""
    from haicang.fulfillment.views_picking import _acting_for_an_operator
    from haicang.web.navigation import NavEntry, RequestVisibility, all_of, has_permission, navigation

    navigation.register(
        NavEntry(
            key="tracking",
            label=gettext_lazy("Tracking"),
            url_name="fulfillment:tracking-alerts",
            order=38,
            visible_to=all_of(
                has_permission(WRITE), RequestVisibility(_acting_for_an_operator, name="operator")
            ),
        )
    )
