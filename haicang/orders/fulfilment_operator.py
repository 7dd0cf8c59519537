"""The operator's steps on a fulfillment request from this app's API and pages (``fulfilment_api.py``,
``fulfilment_views.py``): **one path** with the fulfillment app (docs/orders.md, *The operator's steps and
outbound work*).

The warehouse works an accepted request as an **outbound** (``haicang.fulfillment``, docs/fulfillment.md,
*Outbound work*), so the steps go through the fulfillment app's services:

- accept → ``outbound_accept``: accepted and its outbound created, in one transaction;
- reject → ``outbound_reject`` (a submitted request never has an outbound);
- answer a cancellation request → ``outbound_cancellation_answer``: accepted, the outbound's open tasks are
  cancelled, a packed outbound's parcels voided with the carrier (``labelling.parcels_void``) and the outbound
  closed;
- cancel (the warehouse cannot ship it), when the request has an outbound → with a pending cancellation request,
  accepting that request (as above: what the seller asked for anyway); else the outbound's **hand-back**
  (``outbound_hand_back``: the request cancelled with the reason, its units routed again);
- start → refused (``fulfillment.use_outbound``): an accepted request starts when its wave is released;
- ship → refused when the request has an outbound: it ships at ship confirmation (the dock). A request started
  before it had an outbound (there is none to confirm) is still marked shipped here.

Without an outbound, cancel is the orders service as before. The check and the step run under the warehouse's
lock (``fulfillment.outbound.warehouse_lock``, the first lock of every outbound service), so a wave plan adopting
the request at the same time is either seen or comes after.

**Dependency direction**: the fulfillment app imports orders (``orders.fulfilment``, ``orders.rerouting``) at
module level; orders imports fulfillment only **inside these functions**, never at import time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from django.db import transaction

from haicang.core.actors import Actor
from haicang.core.errors import Conflict
from haicang.orders.fulfilment import (
    ReasonRequired,
    TransitionInvalid,
    fulfilment_request_cancel,
    fulfilment_request_ship,
)
from haicang.orders.models_fulfilment import CancellationState, FulfillmentRequest, RequestStatus

if TYPE_CHECKING:
    from haicang.fulfillment.models import Outbound


class UseOutbound(Conflict):
    code: ClassVar[str] = "fulfillment.use_outbound"
    title = "The warehouse works this request as outbound work: take this step in the fulfillment app"


def request_outbound(request: FulfillmentRequest) -> Outbound | None:
    """The request's outbound, if the fulfillment app works it."""
    from haicang.fulfillment.models import Outbound

    return Outbound.objects.filter(request_id=request.pk).first()


def cancel_possible(request: FulfillmentRequest, outbound: Outbound | None) -> bool:
    """Whether :func:`operator_cancel` can take ``request`` (accepted or in progress) as the outbound stands."""
    from haicang.fulfillment.outbound import CANCEL_FROM, HAND_BACK_FROM

    if outbound is None:
        return True
    pending = request.cancellation == CancellationState.REQUESTED
    return outbound.status in (CANCEL_FROM if pending else HAND_BACK_FROM)


def operator_accept(*, actor: Actor, request: FulfillmentRequest) -> FulfillmentRequest:
    """Accept the request and create its outbound (``fulfillment.outbound.outbound_accept``)."""
    from haicang.fulfillment.outbound import outbound_accept

    return outbound_accept(actor=actor, request=request).request


def operator_reject(*, actor: Actor, request: FulfillmentRequest, reason: str) -> FulfillmentRequest:
    """Refuse a submitted request with the reason (``fulfillment.outbound.outbound_reject``)."""
    from haicang.fulfillment.outbound import outbound_reject

    return outbound_reject(actor=actor, request=request, reason=reason)


def operator_cancellation_answer(
    *, actor: Actor, request: FulfillmentRequest, accept: bool, reason: str = ""
) -> FulfillmentRequest:
    """Answer the seller's cancellation request (``fulfillment.outbound.outbound_cancellation_answer``)."""
    from haicang.fulfillment.outbound import outbound_cancellation_answer

    return outbound_cancellation_answer(actor=actor, request=request, accept=accept, reason=reason)


def operator_start(*, actor: Actor, request: FulfillmentRequest) -> FulfillmentRequest:
    """Refused: an accepted request is outbound work, started when its wave is released (any other state:
    ``fulfillment.transition_invalid``, as the orders service says)."""
    if request.status != RequestStatus.ACCEPTED:
        raise TransitionInvalid(
            f"{request.number} is {request.status}: cannot start (needs accepted)", field="status"
        )
    outbound = request_outbound(request)
    raise UseOutbound(
        f"{request.number} is outbound work: it starts when its wave is released "
        "(POST /api/v1/waves/plan/, then POST /api/v1/waves/{id}/release/)",
        field="status",
        outbound=str(outbound.pk) if outbound else None,
        wave=str(outbound.wave_id) if outbound and outbound.wave_id else None,
        use="POST /api/v1/waves/{id}/release/",
    )


def operator_ship(
    *, actor: Actor, request: FulfillmentRequest, carrier: str = "", tracking_numbers: Sequence[str] = ()
) -> FulfillmentRequest:
    """Refused when the request has an outbound (it ships at ship confirmation); else marked shipped."""
    outbound = request_outbound(request)
    if outbound is not None:
        raise UseOutbound(
            f"{request.number} ships when its parcels are confirmed at the dock "
            f"(POST /api/v1/outbounds/{outbound.pk}/ship/)",
            field="status",
            outbound=str(outbound.pk),
            use=f"POST /api/v1/outbounds/{outbound.pk}/ship/",
        )
    return fulfilment_request_ship(
        actor=actor, request=request, carrier=carrier, tracking_numbers=tracking_numbers
    )


def operator_cancel(*, actor: Actor, request: FulfillmentRequest, reason: str) -> FulfillmentRequest:
    """The warehouse cannot ship the request (module docstring): through its outbound when it has one."""
    from haicang.fulfillment.outbound import (
        outbound_cancellation_answer,
        outbound_hand_back,
        warehouse_lock,
    )

    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired("say why", field="reason")
    with transaction.atomic():
        warehouse_lock(request.warehouse_id)
        outbound = request_outbound(request)
        if outbound is None:
            return fulfilment_request_cancel(actor=actor, request=request, reason=reason)
        pending = FulfillmentRequest.objects.filter(
            pk=request.pk, cancellation=CancellationState.REQUESTED
        ).exists()
        if pending:
            return outbound_cancellation_answer(actor=actor, request=request, accept=True, reason=reason)
        outbound_hand_back(actor=actor, outbound=outbound, reason=reason)
        return FulfillmentRequest.objects.get(pk=request.pk)
