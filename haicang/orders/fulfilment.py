"""Fulfillment requests: the seller releases (part of) an order to an operator's warehouse; the operator works it.

State machine (docs/orders.md, "Fulfillment requests")::

    submitted ──accept──▶ accepted ──start──▶ in_progress ──ship──▶ shipped
        │                    │                    │
        └─reject(reason)─▶ rejected               └──────────┴──cancel(reason) / cancellation accepted─▶ cancelled

**Cancellation requests** (the seller's :func:`fulfilment_request_cancel_request`): a request still
``submitted`` (the warehouse has not taken it) is cancelled at once; an ``accepted`` or ``in_progress`` one gets a
pending cancellation request the operator answers (:func:`fulfilment_request_cancel_answer`: accept → cancelled;
refuse with a reason → work goes on; the seller may ask again). While a cancellation request is pending the
operator cannot start, ship or reject the request — it answers first. A ``shipped``, ``rejected`` or
``cancelled`` request cannot be asked to cancel (``fulfillment.cancellation_invalid``): once shipped is the
point of no return. (The warehouse-operations issue may move that point to "packed".)

Every change writes a history row (actor, time, event, status), bumps ``version``, emits
``fulfillment_request.changed`` to the seller and the operator, and writes an audit entry — all in the change's
transaction. Services take ``actor`` and trust the caller's scope check for *which party* acts (the API and
pages allow the operator actions to the request's operator and the cancellation request to its seller).

**The order's stock** (``cancellation.py`` has the whole rule). While the order is live, cancelling or rejecting
a request does **not** release its reserved stock: routing owns allocation and may re-route. When the **order**
is cancelled (by the channel or the seller), its open requests are cancelled at once (``submitted``) or asked to
cancel (``accepted``/``in_progress``), and its units are released once no warehouse may ship them: at once for
units in no worked request; for a worked request, when the operator accepts the cancellation or cancels it
itself (:func:`fulfilment_request_cancel_answer` and :func:`fulfilment_request_cancel` call
``cancelled_order_stock_release``); never for shipped units (the shipment consumes them).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any, ClassVar, NamedTuple

from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from haicang.core.actors import Actor
from haicang.core.audit import audit_entry_build, audit_record
from haicang.core.crypto import seal, unseal
from haicang.core.errors import Conflict, ValidationFailed
from haicang.core.ids import new_id
from haicang.core.rows import rows_insert_bulk
from haicang.core.sequences import document_number_next
from haicang.integration.outbox import Subject, outbox_emit, outbox_event_build
from haicang.network.models import Warehouse
from haicang.network.selectors import warehouse_calendar
from haicang.orders.contact import MASK, Contact, contact_open
from haicang.orders.models import LineKind, Order, OrderLine, OrderStatus
from haicang.orders.models_fulfilment import (
    OPEN_STATUSES,
    CancellationState,
    FulfillmentRequest,
    FulfillmentRequestHistory,
    FulfillmentRequestLine,
    RequestStatus,
)
from haicang.orders.sla_rules import sla_clock
from haicang.parties.models import ServiceAgreement
from haicang.parties.models.agreements import AgreementStatus

EVENT_CHANGED = "fulfillment_request.changed"
SUBJECT_TYPE = "fulfillment.request"
RELEASABLE = frozenset({OrderStatus.UNSHIPPED, OrderStatus.PARTIALLY_SHIPPED})
# Statuses whose lines count against the order line's quantity (a rejected or cancelled request frees them).
_HOLDING = (*OPEN_STATUSES, RequestStatus.SHIPPED)


# --- errors ---------------------------------------------------------------------------------------------------
class NoAgreement(Conflict):
    code: ClassVar[str] = "fulfillment.no_agreement"
    title = "No active service agreement covers this warehouse for the seller"


class OrderNotReleasable(Conflict):
    code: ClassVar[str] = "fulfillment.order_not_releasable"
    title = "The order cannot be released to a warehouse"


class LinesInvalid(ValidationFailed):
    code: ClassVar[str] = "fulfillment.lines_invalid"
    title = "The request's lines are not valid"


class TransitionInvalid(Conflict):
    code: ClassVar[str] = "fulfillment.transition_invalid"
    title = "The request is not in a state that allows this"


class CancellationInvalid(Conflict):
    code: ClassVar[str] = "fulfillment.cancellation_invalid"
    title = "The request's cancellation cannot change this way"


class ReasonRequired(ValidationFailed):
    code: ClassVar[str] = "fulfillment.reason_required"
    title = "A reason is required"


# --- the sealed ship-to ---------------------------------------------------------------------------------------
SEALED_COLUMNS: dict[str, str] = {
    "name": "ship_name_sealed",
    "company": "ship_company_sealed",
    "street_lines": "ship_street_sealed",
    "phone": "ship_phone_sealed",
    "email": "ship_email_sealed",
}


def seal_context(request_id: object, name: str) -> bytes:
    return f"orders.fulfillment_request:{request_id}:{name}".encode("ascii")


def column_context(column: str) -> Any:
    """The context function of one sealed column (for the ``haicang rotate-keys`` registry)."""
    name = next(n for n, c in SEALED_COLUMNS.items() if c == column)
    return lambda row: seal_context(row.pk, name)


def _seal(request_id: object, name: str, value: Any) -> bytes | None:
    if name == "street_lines":
        lines = [line for line in value if line]
        plain = json.dumps(lines, ensure_ascii=False).encode() if lines else None
    else:
        plain = str(value).encode() if value else None
    return seal(plain, context=seal_context(request_id, name)) if plain is not None else None


def request_contact_open(request: FulfillmentRequest) -> Contact:
    """The ship-to's personal fields the request carries, in clear (only those the agreement shared)."""
    values: dict[str, Any] = {}
    for name, column in SEALED_COLUMNS.items():
        sealed = getattr(request, column)
        if not sealed:
            continue
        plain = unseal(bytes(sealed), context=seal_context(request.pk, name)).decode()
        values[name] = tuple(json.loads(plain)) if name == "street_lines" else plain
    return Contact(**values)


def request_contact_masked(request: FulfillmentRequest) -> dict[str, Any]:
    """``•••`` where the request holds a value; phone and e-mail are left out unless they were shared."""
    out: dict[str, Any] = {}
    for name, column in SEALED_COLUMNS.items():
        if (name == "phone" and not request.shares_phone) or (name == "email" and not request.shares_email):
            continue
        present = bool(getattr(request, column))
        out[name] = ([MASK] if present else []) if name == "street_lines" else (MASK if present else "")
    return out


def request_contact_read(*, actor: Actor, request: FulfillmentRequest, purpose: str) -> Contact:
    """The clear ship-to for the request's operator (the caller checks the scope); the read is audited."""
    contact = request_contact_open(request)
    audit_record(
        actor=actor, action="fulfillment_request.contact_read", subject=request, after={"purpose": purpose}
    )
    return contact


# --- creating --------------------------------------------------------------------------------------------------
class RequestLine(NamedTuple):
    """One line to release: an order line (an item or a kit's component, never the kit line) and how many."""

    order_line: OrderLine
    quantity: int


def agreement_covering(*, seller_id: uuid.UUID, warehouse: Warehouse, on: Any) -> ServiceAgreement | None:
    """The active agreement of the seller with the warehouse's operator covering it on date ``on`` (the strictest
    SLA if several do)."""
    return (
        ServiceAgreement.objects.filter(
            seller_id=seller_id,
            operator_id=warehouse.operator_id,
            status=AgreementStatus.ACTIVE,
            warehouses=warehouse,
            valid_from__lte=on,
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("sla_ship_within_working_hours", "valid_from")
        .first()
    )


def _requested(order: Order) -> dict[Any, int]:
    """Units of each order line already in a request that still holds them."""
    rows = (
        FulfillmentRequestLine.objects.filter(request__order=order, request__status__in=_HOLDING)
        .values("order_line_id")
        .annotate(units=Sum("quantity"))
    )
    return {row["order_line_id"]: int(row["units"]) for row in rows}


def _lines_check(
    order: Order, lines: Sequence[RequestLine] | Sequence[tuple[OrderLine, int]] | None
) -> list[RequestLine]:
    taken = _requested(order)
    if lines is None:  # everything not yet requested
        return [
            RequestLine(line, line.quantity - taken.get(line.pk, 0))
            for line in order.lines.filter(sku__isnull=False).exclude(kind=LineKind.KIT).order_by("position")
            if line.quantity - taken.get(line.pk, 0) > 0
        ]
    out: list[RequestLine] = []
    wanted: dict[Any, int] = {}
    for order_line, quantity in lines:
        where = f"line {order_line.position}"
        if order_line.order_id != order.pk:
            raise LinesInvalid(f"{where} belongs to another order", field="lines")
        if order_line.kind == LineKind.KIT:
            raise LinesInvalid(f"{where} is a kit: release its component lines", field="lines")
        if order_line.sku_id is None:
            raise LinesInvalid(f"{where} has no SKU (channel SKU not mapped)", field="lines")
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
            raise LinesInvalid(f"{where}: the quantity is a whole number of at least 1", field="lines")
        wanted[order_line.pk] = wanted.get(order_line.pk, 0) + quantity
        left = order_line.quantity - taken.get(order_line.pk, 0)
        if wanted[order_line.pk] > left:
            raise LinesInvalid(
                f"{where}: {wanted[order_line.pk]} asked, {left} not yet requested", field="lines"
            )
        out.append(RequestLine(order_line, quantity))
    return out


def fulfilment_request_create(
    *,
    actor: Actor,
    order: Order,
    warehouse: Warehouse,
    lines: Sequence[RequestLine] | Sequence[tuple[OrderLine, int]] | None = None,
    now: datetime | None = None,
) -> FulfillmentRequest:
    """Release ``lines`` of ``order`` to ``warehouse``: a new request ``FR-<year>-NNNNNN`` in ``submitted``.

    ``lines``: ``(order line, quantity)`` pairs (:class:`RequestLine` or plain tuples) — item or component lines
    of the order with a SKU, never more units than the line has left unrequested; ``None`` releases every unit
    not yet in a request. The order must be ``unshipped`` or ``partially_shipped`` and have no open hold; an
    active agreement of the seller must cover the warehouse. What the operator gets is cut to the agreement's
    data-sharing scope here; the SLA clock is fixed here (``sla_rules``). Runs in (or opens) a transaction and
    locks the order, so two releases of the same order cannot both take its last units.
    """
    now = now or timezone.now()
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status not in RELEASABLE:
            raise OrderNotReleasable(
                f"order {order.number} is {order.status}: only unshipped orders are released"
            )
        if order.holds.filter(released_at__isnull=True).exists():
            raise OrderNotReleasable(f"order {order.number} is on hold")
        agreement = agreement_covering(seller_id=order.seller_id, warehouse=warehouse, on=now.date())
        if agreement is None:
            raise NoAgreement(f"no active agreement of the seller covers {warehouse.code}", field="warehouse")
        checked = _lines_check(order, lines)
        if not checked:
            raise LinesInvalid("nothing left to release", field="lines")
        clock = sla_clock(
            warehouse_calendar(warehouse),
            released_at=now,
            ship_within_hours=agreement.sla_ship_within_working_hours,
            ship_by=order.ship_by,
        )
        request_id = new_id()
        contact = contact_open(order)
        sealed = {
            "name": contact.name,
            "company": contact.company,
            "street_lines": contact.street_lines,
            "phone": contact.phone if agreement.share_customer_phone else "",
            "email": contact.email if agreement.share_customer_email else "",
        }
        request = FulfillmentRequest(
            id=request_id,
            seller_id=order.seller_id,
            operator_id=warehouse.operator_id,
            warehouse=warehouse,
            agreement=agreement,
            order=order,
            number=document_number_next(scope=order.seller_id, prefix="FR", year=now.year),
            order_number=order.number,
            shares_prices=agreement.share_prices,
            shares_email=agreement.share_customer_email,
            shares_phone=agreement.share_customer_phone,
            service_level=order.service_level[:100],
            currency=order.currency if agreement.share_prices else "",
            ship_country=order.ship_country,
            ship_postcode=order.ship_postcode,
            ship_city=order.ship_city,
            ship_region=order.ship_region,
            released_at=now,
            sla_start_at=clock.start,
            agreement_due_at=clock.agreement_due,
            platform_ship_by=clock.platform_due,
            due_at=clock.due,
            sla_basis=str(clock.basis),
            at_risk_from=clock.at_risk_from,
            **{SEALED_COLUMNS[name]: _seal(request_id, name, value) for name, value in sealed.items()},
        )
        request.save(force_insert=True)
        FulfillmentRequestLine.objects.bulk_create(
            FulfillmentRequestLine(
                request=request,
                order_line=line.order_line,
                position=position,
                sku_id=line.order_line.sku_id,  # type: ignore[misc]  # checked: never None here
                quantity=line.quantity,
                unit_price=line.order_line.unit_price if agreement.share_prices else None,
            )
            for position, line in enumerate(checked, start=1)
        )
        _record(
            actor,
            request,
            event="created",
            previous="",
            now=now,
            detail=f"{warehouse.code}; due {clock.due.isoformat()} ({clock.basis})",
            extra={"lines": len(checked), "units": sum(line.quantity for line in checked)},
        )
        return request


# --- the operator's transitions --------------------------------------------------------------------------------
def _locked(request: FulfillmentRequest) -> FulfillmentRequest:
    return FulfillmentRequest.objects.select_for_update().get(pk=request.pk)


def _require(request: FulfillmentRequest, *allowed: str, action: str) -> None:
    if request.status not in allowed:
        raise TransitionInvalid(
            f"{request.number} is {request.status}: cannot {action} (needs {' or '.join(allowed)})",
            field="status",
        )


def _no_pending_cancellation(request: FulfillmentRequest, action: str) -> None:
    if request.cancellation == CancellationState.REQUESTED:
        raise TransitionInvalid(
            f"{request.number} has a pending cancellation request: answer it before you {action}",
            field="cancellation",
        )


def _reason(text: str, field: str = "reason") -> str:
    text = (text or "").strip()
    if not text:
        raise ReasonRequired("say why", field=field)
    return text[:300]


def fulfilment_request_accept(*, actor: Actor, request: FulfillmentRequest) -> FulfillmentRequest:
    """The operator takes the request: submitted → accepted."""
    with transaction.atomic():
        request = _locked(request)
        _require(request, RequestStatus.SUBMITTED, action="accept")
        now = timezone.now()
        request.status, request.accepted_at = RequestStatus.ACCEPTED, now
        return _save(actor, request, event="accepted", previous=RequestStatus.SUBMITTED, now=now)


def fulfilment_request_reject(
    *, actor: Actor, request: FulfillmentRequest, reason: str
) -> FulfillmentRequest:
    """The operator refuses the request (with the reason): submitted → rejected."""
    reason = _reason(reason)
    with transaction.atomic():
        request = _locked(request)
        _require(request, RequestStatus.SUBMITTED, action="reject")
        _no_pending_cancellation(request, "reject it")
        now = timezone.now()
        request.status, request.reject_reason, request.closed_at = RequestStatus.REJECTED, reason, now
        return _save(
            actor, request, event="rejected", previous=RequestStatus.SUBMITTED, now=now, detail=reason
        )


def fulfilment_request_start(*, actor: Actor, request: FulfillmentRequest) -> FulfillmentRequest:
    """Work begins in the warehouse: accepted → in_progress."""
    with transaction.atomic():
        request = _locked(request)
        _require(request, RequestStatus.ACCEPTED, action="start")
        _no_pending_cancellation(request, "start")
        now = timezone.now()
        request.status, request.started_at = RequestStatus.IN_PROGRESS, now
        return _save(actor, request, event="started", previous=RequestStatus.ACCEPTED, now=now)


def fulfilment_requests_start(
    *, actor: Actor, requests: Sequence[FulfillmentRequest]
) -> list[FulfillmentRequest]:
    """:func:`fulfilment_request_start` for many requests at once (a released wave): the same checks, and the
    same history rows, ``fulfillment_request.changed`` events and audit entries, written in bulk. All or nothing:
    one request that cannot start refuses them all."""
    ids = sorted({r.pk for r in requests})
    if not ids:
        return []
    with transaction.atomic():
        fields = (
            "id",
            "number",
            "order_number",
            "status",
            "cancellation",
            "warehouse_id",
            "due_at",
            "version",
        )
        locked = list(
            FulfillmentRequest.objects.select_for_update()
            .filter(pk__in=ids)
            .only(*fields, "seller_id", "operator_id")
            .order_by("pk")
        )
        for request in locked:
            _require(request, RequestStatus.ACCEPTED, action="start")
            _no_pending_cancellation(request, "start")
        now = timezone.now()
        for start in range(0, len(ids), 500):
            FulfillmentRequest.objects.filter(pk__in=ids[start : start + 500]).update(
                status=RequestStatus.IN_PROGRESS, started_at=now, version=F("version") + 1, updated_at=now
            )
        for request in locked:
            request.status, request.started_at, request.version = (
                RequestStatus.IN_PROGRESS,
                now,
                request.version + 1,
            )
        rows_insert_bulk(  # one prepared statement per table: a released wave starts thousands
            [
                FulfillmentRequestHistory(
                    request=request,
                    version=request.version,
                    event="started",
                    status=request.status,
                    previous_status=RequestStatus.ACCEPTED,
                    actor=actor.label[:200],
                    occurred_at=now,
                )
                for request in locked
            ]
        )
        rows_insert_bulk(
            [
                outbox_event_build(
                    event_type=EVENT_CHANGED,
                    subject=Subject(SUBJECT_TYPE, str(request.pk)),
                    subject_version=request.version,
                    seller_id=request.seller_id,
                    operator_id=request.operator_id,
                    occurred_at=now,
                )
                for request in locked
            ]
        )
        rows_insert_bulk(
            [
                audit_entry_build(
                    actor=actor,
                    action="fulfillment_request.started",
                    subject=r,
                    before={"status": RequestStatus.ACCEPTED},
                    after=_snapshot(r),
                    occurred_at=now,
                )
                for r in locked
            ]
        )
        return locked


def fulfilment_request_ship(
    *,
    actor: Actor,
    request: FulfillmentRequest,
    carrier: str = "",
    tracking_numbers: Sequence[str] = (),
    shipped_at: datetime | None = None,
) -> FulfillmentRequest:
    """The parcel left: in_progress → shipped (the SLA is judged at ``shipped_at``, default now)."""
    tracking = [str(t).strip()[:100] for t in tracking_numbers if str(t).strip()]
    with transaction.atomic():
        request = _locked(request)
        _require(request, RequestStatus.IN_PROGRESS, action="ship")
        _no_pending_cancellation(request, "ship")
        now = timezone.now()
        request.status, request.shipped_at, request.closed_at = RequestStatus.SHIPPED, shipped_at or now, now
        request.carrier, request.tracking_numbers = carrier.strip()[:100], tracking
        return _save(
            actor,
            request,
            event="shipped",
            previous=RequestStatus.IN_PROGRESS,
            now=now,
            detail=request.carrier,
        )


def fulfilment_request_cancel(
    *, actor: Actor, request: FulfillmentRequest, reason: str
) -> FulfillmentRequest:
    """The operator cannot ship an accepted or in-progress request after all (say why): → cancelled."""
    reason = _reason(reason)
    with transaction.atomic():
        request = _locked(request)
        _require(request, RequestStatus.ACCEPTED, RequestStatus.IN_PROGRESS, action="cancel")
        previous, now = request.status, timezone.now()
        request.status, request.closed_at = RequestStatus.CANCELLED, now
        if request.cancellation == CancellationState.REQUESTED:  # what the seller asked for anyway
            request.cancellation = CancellationState.ACCEPTED
        request = _save(actor, request, event="cancelled", previous=previous, now=now, detail=reason)
        _release_if_order_cancelled(actor, request)
        return request


# --- cancellation requests -------------------------------------------------------------------------------------
def fulfilment_request_cancel_request(
    *, actor: Actor, request: FulfillmentRequest, reason: str = ""
) -> FulfillmentRequest:
    """The seller asks to cancel. ``submitted``: cancelled at once; ``accepted``/``in_progress``: the operator
    answers; shipped, rejected or cancelled: ``fulfillment.cancellation_invalid``."""
    reason = (reason or "").strip()[:300]
    with transaction.atomic():
        request = _locked(request)
        if not request.is_open:
            raise CancellationInvalid(f"{request.number} is {request.status}: it can no longer be cancelled")
        if request.cancellation == CancellationState.REQUESTED:
            raise CancellationInvalid(f"{request.number} already has a pending cancellation request")
        previous, now = request.status, timezone.now()
        request.cancellation, request.cancellation_reason, request.cancellation_answer = (
            CancellationState.REQUESTED,
            reason,
            "",
        )
        if previous == RequestStatus.SUBMITTED:  # the warehouse has not taken it: nothing to stop
            request.status, request.cancellation, request.closed_at = (
                RequestStatus.CANCELLED,
                CancellationState.ACCEPTED,
                now,
            )
            return _save(actor, request, event="cancelled", previous=previous, now=now, detail=reason)
        return _save(
            actor, request, event="cancellation_requested", previous=previous, now=now, detail=reason
        )


def fulfilment_request_cancel_answer(
    *, actor: Actor, request: FulfillmentRequest, accept: bool, reason: str = ""
) -> FulfillmentRequest:
    """The operator answers a pending cancellation request: accept → cancelled; refuse (with a reason) → the
    work goes on."""
    answer = (reason or "").strip()[:300] if accept else _reason(reason)
    with transaction.atomic():
        request = _locked(request)
        if request.cancellation != CancellationState.REQUESTED or not request.is_open:
            raise CancellationInvalid(f"{request.number} has no pending cancellation request")
        previous, now = request.status, timezone.now()
        request.cancellation_answer = answer
        if accept:
            request.status, request.cancellation, request.closed_at = (
                RequestStatus.CANCELLED,
                CancellationState.ACCEPTED,
                now,
            )
            request = _save(
                actor, request, event="cancellation_accepted", previous=previous, now=now, detail=answer
            )
            _release_if_order_cancelled(actor, request)
            return request
        request.cancellation = CancellationState.REFUSED
        return _save(actor, request, event="cancellation_refused", previous=previous, now=now, detail=answer)


def _release_if_order_cancelled(actor: Actor, request: FulfillmentRequest) -> None:
    """A worked request of a cancelled order was cancelled: its units can go back to the stock now."""
    from haicang.orders.cancellation import cancelled_order_stock_release

    order = Order.objects.get(pk=request.order_id)
    if order.status == OrderStatus.CANCELLED:
        cancelled_order_stock_release(actor=actor, order=order)


# --- recording a change ----------------------------------------------------------------------------------------
def _snapshot(request: FulfillmentRequest) -> dict[str, Any]:
    """What the audit log keeps: no personal data, no prices."""
    return {
        "status": request.status,
        "cancellation": request.cancellation,
        "order": request.order_number,
        "warehouse": str(request.warehouse_id),
        "due_at": request.due_at,
        "version": request.version,
    }


def _save(
    actor: Actor, request: FulfillmentRequest, *, event: str, previous: str, now: datetime, detail: str = ""
) -> FulfillmentRequest:
    request.version += 1
    request.save()
    _record(actor, request, event=event, previous=previous, now=now, detail=detail)
    return request


def _record(
    actor: Actor,
    request: FulfillmentRequest,
    *,
    event: str,
    previous: str,
    now: datetime,
    detail: str = "",
    extra: dict[str, Any] | None = None,
) -> None:
    FulfillmentRequestHistory.objects.create(
        request=request,
        version=request.version,
        event=event,
        status=request.status,
        previous_status=previous,
        actor=actor.label[:200],
        detail=detail[:300],
        occurred_at=now,
    )
    outbox_emit(
        event_type=EVENT_CHANGED,
        subject=Subject(SUBJECT_TYPE, str(request.pk)),
        subject_version=request.version,
        seller_id=request.seller_id,
        operator_id=request.operator_id,
        occurred_at=now,
    )
    audit_record(
        actor=actor,
        action=f"fulfillment_request.{event}",
        subject=request,
        before={"status": previous} if previous else None,
        after={**_snapshot(request), **(extra or {})},
        summary=detail[:200],
        occurred_at=now,
    )
