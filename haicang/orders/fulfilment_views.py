"""The fulfillment-request pages, for sellers and operators alike (resource ``fulfillment``):

- ``/fulfillment-requests/``: the requests (a seller's own, an operator's warehouses'), soonest due first, with
  status and SLA filters; ``/fulfillment-requests/at-risk/``: "At risk and late" — the open requests past their
  at-risk instant;
- ``/fulfillment-requests/<id>/``: one request — SLA, lines (prices only where the agreement grants them), the
  ship-to (masked; the operator may show what the agreement grants, audited), history, and the steps the reader
  may take: the operator accepts, rejects, cancels and answers cancellation requests — through the fulfillment
  app's outbound services (``fulfilment_operator.py``; starting is the wave's, shipping the dock's); the seller
  asks to cancel.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from haicang.core.errors import DomainError
from haicang.orders import sla
from haicang.orders.fulfilment import (
    fulfilment_request_cancel_request,
    request_contact_masked,
    request_contact_read,
)
from haicang.orders.fulfilment_api import prices_visible
from haicang.orders.fulfilment_operator import (
    cancel_possible,
    operator_accept,
    operator_cancel,
    operator_cancellation_answer,
    operator_reject,
    operator_ship,
    operator_start,
    request_outbound,
)
from haicang.orders.models_fulfilment import CancellationState, FulfillmentRequest, RequestStatus
from haicang.parties.access import scope_for_request
from haicang.parties.scoping import AccessDenied, Scope, scoped_get
from haicang.web.pages import scoped_page

PAGE_SIZE = 50
SLA_LABELS = {
    "on_time": gettext_lazy("On time"),
    "at_risk": gettext_lazy("At risk"),
    "late": gettext_lazy("Late"),
}
ERRORS = {
    "fulfillment.reason_required": gettext_lazy("Say why."),
    "fulfillment.transition_invalid": gettext_lazy("This step is not possible now."),
    "fulfillment.cancellation_invalid": gettext_lazy("This cancellation is not possible now."),
    "fulfillment.use_outbound": gettext_lazy(
        "The warehouse works this request as outbound work: take this step on the Outbound pages."
    ),
}
OPERATOR_STEPS = frozenset({"accept", "reject", "start", "ship", "cancel", "answer-accept", "answer-refuse"})
SELLER_STEPS = frozenset({"cancellation-request"})


def _rows(requests: Any, now: Any) -> list[dict[str, Any]]:
    rows = []
    for request in requests:
        state = sla.request_sla_state(request, now=now)
        rows.append(
            {
                "request": request,
                "sla": state.value if state else "",
                "sla_label": SLA_LABELS.get(state or ""),
            }
        )
    return rows


def _list(request: HttpRequest, *, at_risk: bool) -> HttpResponse:
    scope = scope_for_request(request)
    now = timezone.now()
    filters = {name: request.GET.get(name, "").strip() for name in ("status", "sla")}
    if filters["status"] not in RequestStatus.values:
        filters["status"] = ""
    if filters["sla"] not in sla.SLA_FILTERS:
        filters["sla"] = ""
    if at_risk:
        queryset = sla.at_risk_and_late(scope, now=now)
    else:
        queryset = sla.requests_filter(
            sla.fulfillment_requests(scope), sla=filters["sla"], status=filters["status"], now=now
        )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": _rows(page.object_list, now),
        "filters": filters,
        "query": urlencode({k: v for k, v in filters.items() if v}),
        "statuses": RequestStatus.choices,
        "sla_choices": list(SLA_LABELS.items()),
        "at_risk": at_risk,
        "is_operator": scope.operator_id is not None,
    }
    return render(request, "orders/fulfilment_list.html", context)


@scoped_page
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    return _list(request, at_risk=False)


@scoped_page
@require_GET
def at_risk_list(request: HttpRequest) -> HttpResponse:
    return _list(request, at_risk=True)


def _steps(scope: Scope, fr: FulfillmentRequest, outbound: Any = None) -> set[str]:
    """The steps the reader may take on ``fr`` now (``outbound``: the request's, if it has one). Starting is the
    wave's and shipping the dock's: not offered here for outbound work (``fulfilment_operator.py``)."""
    steps: set[str] = set()
    pending = fr.cancellation == CancellationState.REQUESTED
    if scope.operator_id == fr.operator_id and scope.can(sla.WRITE):
        if fr.status == RequestStatus.SUBMITTED:
            steps |= {"accept"} | (set() if pending else {"reject"})
        elif fr.status == RequestStatus.IN_PROGRESS and not pending and outbound is None:
            steps.add("ship")
        if fr.status in (RequestStatus.ACCEPTED, RequestStatus.IN_PROGRESS) and cancel_possible(fr, outbound):
            steps.add("cancel")
        if pending and fr.is_open:
            steps |= {"answer-accept", "answer-refuse"}
    if scope.seller_id == fr.seller_id and scope.can("orders:write") and fr.is_open and not pending:
        steps.add("cancellation-request")
    return steps


def _get(scope: Scope, pk: uuid.UUID) -> FulfillmentRequest:
    queryset = FulfillmentRequest.objects.select_related("warehouse", "seller", "operator", "agreement")
    return scoped_get(queryset.prefetch_related("lines__sku", "history"), scope, permission=sla.READ, pk=pk)


@scoped_page
@require_GET
def request_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    scope = scope_for_request(request)
    fr = _get(scope, pk)
    now = timezone.now()
    is_operator = scope.operator_id == fr.operator_id
    contact = None
    if is_operator and request.GET.get("contact") == "show":
        contact = request_contact_read(actor=scope.actor, request=fr, purpose="page")
    state = sla.request_sla_state(fr, now=now)
    outbound = request_outbound(fr)
    context = {
        "fr": fr,
        "outbound": outbound if is_operator else None,
        "sla": state.value if state else "",
        "sla_label": SLA_LABELS.get(state or ""),
        "lines": list(fr.lines.all()),
        "show_prices": prices_visible(fr, scope),
        "contact": contact,
        "masked": request_contact_masked(fr),
        "can_show_contact": is_operator,
        "show_phone": fr.shares_phone and fr.agreement.share_customer_phone,
        "show_email": fr.shares_email and fr.agreement.share_customer_email,
        "history": list(fr.history.all()),
        "steps": _steps(scope, fr, outbound),
        "is_operator": is_operator,
    }
    return render(request, "orders/fulfilment_detail.html", context)


def _perform(step: str, scope: Scope, fr: FulfillmentRequest, data: Any) -> FulfillmentRequest:
    actor, reason = scope.actor, data.get("reason", "")
    if step == "accept":
        return operator_accept(actor=actor, request=fr)
    if step == "reject":
        return operator_reject(actor=actor, request=fr, reason=reason)
    if step == "start":
        return operator_start(actor=actor, request=fr)
    if step == "ship":
        tracking = [t for t in data.get("tracking_numbers", "").replace(",", " ").split() if t]
        return operator_ship(
            actor=actor, request=fr, carrier=data.get("carrier", ""), tracking_numbers=tracking
        )
    if step == "cancel":
        return operator_cancel(actor=actor, request=fr, reason=reason)
    if step in ("answer-accept", "answer-refuse"):
        return operator_cancellation_answer(
            actor=actor, request=fr, accept=step == "answer-accept", reason=reason
        )
    return fulfilment_request_cancel_request(actor=actor, request=fr, reason=reason)


@scoped_page
@require_POST
def request_step(request: HttpRequest, pk: uuid.UUID, step: str) -> HttpResponse:
    scope = scope_for_request(request)
    fr = _get(scope, pk)
    if step in OPERATOR_STEPS:
        scope.require(sla.WRITE)
    elif step in SELLER_STEPS:
        scope.require("orders:write")
    else:
        raise AccessDenied(f"{step} is not a step of a fulfillment request", permission=sla.WRITE)
    if step not in _steps(scope, fr, request_outbound(fr)):
        messages.error(request, _("This step is not possible now."))
        return redirect("fulfilment:request-detail", pk=fr.pk)
    try:
        done = _perform(step, scope, fr, request.POST)
    except DomainError as exc:
        messages.error(request, ERRORS.get(exc.code, exc.detail))
    else:
        messages.success(
            request,
            _("%(number)s is now %(status)s.")
            % {"number": done.number, "status": RequestStatus(done.status).label},
        )
    return redirect("fulfilment:request-detail", pk=fr.pk)
