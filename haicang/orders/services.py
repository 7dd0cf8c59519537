"""Writes of the orders app: ingesting a normalised order, and the audited read of its personal data.

:func:`order_ingest` is **idempotent by (channel account, external id)**: the first call creates the order;
a replay with changes updates it (version + 1, a history row, ``order.changed`` or ``order.cancelled`` in the
outbox); a replay without changes, or one older than what is stored (the platform's ``updated_at``), changes
nothing. The unique constraint decides between concurrent first deliveries: the loser's insert fails inside a
savepoint and it carries on as a replay of the winner's row, so ten threads delivering the same order make one
row.

Nothing is ever dropped: an order whose channel SKU is not mapped, whose address fails the country's checks, or
that has no address is stored **on hold** with the reason (:class:`~haicang.orders.models.HoldReason`).
Holds the ingestion opened are released by a later delivery that no longer has the problem.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from haicang.catalog.models import KitComponent, Sku
from haicang.channels.models import AccountStatus, ChannelAccount
from haicang.channels.normalised import NormalisedLine, NormalisedOrder, OrderFlag
from haicang.channels.selectors import channel_sku_resolve
from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.core.ids import new_id
from haicang.core.sequences import document_number_next
from haicang.integration.outbox import Subject, outbox_emit
from haicang.orders.address_rules import phone_e164, postcode_check
from haicang.orders.contact import Contact, contact_columns, contact_open, email_index, phone_index
from haicang.orders.errors import AccountDisabled, PlatformMismatch
from haicang.orders.models import (
    HoldReason,
    LineKind,
    Order,
    OrderHistory,
    OrderHold,
    OrderLine,
    OrderStatus,
)

SUBJECT_TYPE = "orders.order"
ORDER_CREATED, ORDER_CHANGED, ORDER_CANCELLED = "order.created", "order.changed", "order.cancelled"


class Outcome:
    CREATED = "created"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    STALE = "stale"


@dataclass(frozen=True)
class Ingested:
    order: Order
    outcome: str  # Outcome.*


# --- what an incoming order becomes (computed before anything is written) ---------------------------------
@dataclass(frozen=True)
class _LinePlan:
    channel_line_id: str
    channel_sku: str
    kind: str
    sku: Sku | None
    quantity: int
    original_quantity: int
    source: NormalisedLine
    components: tuple[tuple[Sku, int, int], ...]  # (component, quantity, original quantity)


@dataclass(frozen=True)
class _Plan:
    clear: dict[str, Any]  # Order's clear columns
    contact: Contact
    email_index: str
    phone_index: str
    lines: tuple[_LinePlan, ...]
    holds: tuple[tuple[str, str], ...]  # (reason, detail)


def _line_plans(account: ChannelAccount, lines: Sequence[NormalisedLine]) -> list[_LinePlan]:
    resolved: dict[str, Sku | None] = {}
    plans = []
    for line in lines:
        if line.channel_sku not in resolved:
            resolved[line.channel_sku] = channel_sku_resolve(account, line.channel_sku)
        sku = resolved[line.channel_sku]
        components: tuple[tuple[Sku, int, int], ...] = ()
        kind = LineKind.ITEM
        if sku is not None and sku.is_kit:
            kind = LineKind.KIT
            components = tuple(
                (part.component, line.quantity * part.quantity, line.original_quantity * part.quantity)
                for part in KitComponent.objects.filter(kit=sku).select_related("component").order_by("id")
            )
        plans.append(
            _LinePlan(
                channel_line_id=line.channel_line_id,
                channel_sku=line.channel_sku,
                kind=kind,
                sku=sku,
                quantity=line.quantity,
                original_quantity=line.original_quantity,
                source=line,
                components=components,
            )
        )
    return plans


def _plan(account: ChannelAccount, normalised: NormalisedOrder) -> _Plan:
    holds: list[tuple[str, str]] = []
    ship_to = normalised.ship_to
    country = postcode = city = region = ""
    phone = ""
    if ship_to is None:
        holds.append((HoldReason.ADDRESS_MISSING, "the channel gave no ship-to address yet"))
    else:
        country, city, region = ship_to.country, ship_to.city[:100], ship_to.region[:100]
        postcode, problem = postcode_check(country, ship_to.postcode)
        postcode = postcode[:20]
        if problem is not None:
            holds.append((problem.code, problem.detail))
        phone, problem = phone_e164(country, ship_to.phone)
        if problem is not None:
            holds.append((problem.code, problem.detail))
    if normalised.status == OrderStatus.ON_HOLD:
        holds.append((HoldReason.PLATFORM_HOLD, f"the platform's status is {normalised.platform_status!r}"))
    if OrderFlag.PENDING_ADDRESS_CHANGE in normalised.flags:
        holds.append((HoldReason.ADDRESS_CHANGE_PENDING, "the buyer asked to change the address"))
    lines = _line_plans(account, normalised.lines)
    for plan in lines:
        if plan.sku is None:
            detail = f"channel SKU {plan.channel_sku!r} is not mapped to a SKU"
            if (HoldReason.SKU_UNMAPPED, detail) not in holds:
                holds.append((HoldReason.SKU_UNMAPPED, detail))
    contact = Contact(
        name=ship_to.name if ship_to else "",
        company=ship_to.company if ship_to else "",
        street_lines=ship_to.street_lines if ship_to else (),
        phone=phone,
        email=ship_to.email.strip() if ship_to else "",
        buyer_note=normalised.buyer_note,
    )
    currency = normalised.currency or account.currency
    clear = {
        "parent_external_id": normalised.parent_external_id[:100],
        "display_ref": normalised.display_ref[:100],
        "marketplace": normalised.marketplace[:50],
        "raw_ref": normalised.raw_ref[:200],
        "placed_at": normalised.placed_at,
        "paid_at": normalised.paid_at,
        "ship_by": normalised.ship_by,
        "deliver_by": normalised.deliver_by,
        "channel_updated_at": normalised.updated_at,
        "status": str(normalised.status),
        "platform_status": normalised.platform_status[:50],
        "currency": currency,
        "shipping_charged": normalised.shipping_charged,
        "commission": normalised.commission,
        "total": normalised.total,
        "service_level": normalised.service_level[:100],
        "flags": sorted(str(flag) for flag in normalised.flags),
        "ship_country": country,
        "ship_postcode": postcode,
        "ship_city": city,
        "ship_region": region,
    }
    return _Plan(
        clear=clear,
        contact=contact,
        email_index=email_index(contact.email),
        phone_index=phone_index(contact.phone),
        lines=tuple(lines),
        holds=tuple(holds),
    )


# --- writing ----------------------------------------------------------------------------------------------
def _line_values(plan: _LinePlan) -> dict[str, Any]:
    source = plan.source
    return {
        "kind": plan.kind,
        "channel_sku": plan.channel_sku[:200],
        "platform_item_id": source.platform_item_id[:100],
        "title": source.title[:300],
        "sku": plan.sku,
        "quantity": plan.quantity,
        "original_quantity": plan.original_quantity,
        "shipped_quantity": source.shipped_quantity,
        "unit_price": source.unit_price,
        "discount": source.discount,
        "tax": source.tax,
        "price_includes_tax": source.price_includes_tax,
    }


def _line_signature(line: OrderLine) -> tuple[Any, ...]:
    return (
        line.channel_line_id,
        line.kind,
        line.channel_sku,
        line.platform_item_id,
        line.title,
        line.sku_id,
        line.quantity,
        line.original_quantity,
        line.shipped_quantity,
        line.unit_price,
        line.discount,
        line.tax,
        line.price_includes_tax,
    )


def _plan_signature(plan: _LinePlan) -> tuple[Any, ...]:
    v = _line_values(plan)
    return (
        plan.channel_line_id,
        v["kind"],
        v["channel_sku"],
        v["platform_item_id"],
        v["title"],
        plan.sku.pk if plan.sku else None,
        v["quantity"],
        v["original_quantity"],
        v["shipped_quantity"],
        v["unit_price"],
        v["discount"],
        v["tax"],
        v["price_includes_tax"],
    )


def _lines_sync(order: Order, plans: Sequence[_LinePlan]) -> list[OrderLine]:
    """Make the order's lines what ``plans`` say: match top-level lines by the platform's line id, update them,
    add new ones; a line the platform no longer lists keeps its row with quantity 0. Kit lines get their
    component lines (one per component SKU). Returns the lines whose quantity fell to 0 (to release)."""
    existing = {line.channel_line_id: line for line in order.lines.filter(kit_line__isnull=True)}
    position = max((line.position for line in order.lines.all()), default=0)
    emptied: list[OrderLine] = []
    seen: set[str] = set()
    for plan in plans:
        seen.add(plan.channel_line_id)
        line = existing.get(plan.channel_line_id)
        values = _line_values(plan)
        if line is None:
            position += 1
            line = OrderLine(order=order, position=position, channel_line_id=plan.channel_line_id, **values)
            line.save(force_insert=True)
        elif _line_signature(line) != _plan_signature(plan):
            if values["quantity"] == 0 and line.quantity > 0:
                emptied.append(line)
            for key, value in values.items():
                setattr(line, key, value)
            line.save()
        position = _components_sync(order, line, plan, position, emptied)
    for channel_line_id, line in existing.items():
        if channel_line_id not in seen and line.quantity > 0:
            line.quantity = 0
            line.save(update_fields=["quantity", "updated_at"])
            emptied.append(line)
            for component in line.components.all():
                component.quantity = 0
                component.save(update_fields=["quantity", "updated_at"])
                emptied.append(component)
    return emptied


def _components_sync(
    order: Order, kit: OrderLine, plan: _LinePlan, position: int, emptied: list[OrderLine]
) -> int:
    current: dict[Any, OrderLine] = {line.sku_id: line for line in kit.components.all()}
    wanted = {component.pk: (component, qty, original) for component, qty, original in plan.components}
    for sku_id, (component, quantity, original) in wanted.items():
        line = current.get(sku_id)
        if line is None:
            position += 1
            OrderLine(
                order=order,
                position=position,
                kind=LineKind.COMPONENT,
                kit_line=kit,
                channel_line_id=kit.channel_line_id,
                channel_sku=kit.channel_sku,
                title=component.name_en[:300],
                sku=component,
                quantity=quantity,
                original_quantity=original,
            ).save(force_insert=True)
        elif (line.quantity, line.original_quantity) != (quantity, original):
            if quantity == 0 and line.quantity > 0:
                emptied.append(line)
            line.quantity, line.original_quantity = quantity, original
            line.save(update_fields=["quantity", "original_quantity", "updated_at"])
    for sku_id, line in current.items():
        if sku_id not in wanted:
            if line.reservation_id is None:
                line.delete()
            elif line.quantity:
                line.quantity = 0
                line.save(update_fields=["quantity", "updated_at"])
                emptied.append(line)
    return position


def _holds_sync(order: Order, wanted: Sequence[tuple[str, str]], now: datetime) -> list[str]:
    """Open the holds in ``wanted`` that are not open, release the open ones not wanted. Returns what changed."""
    open_holds = {(h.reason, h.detail): h for h in order.holds.filter(released_at__isnull=True)}
    changes: list[str] = []
    for reason, detail in wanted:
        if (reason, detail) not in open_holds:
            OrderHold.objects.create(order=order, reason=reason, detail=detail[:300])
            changes.append(f"+{reason}")
    for key, hold in open_holds.items():
        if key not in wanted:
            hold.released_at = now
            hold.save(update_fields=["released_at"])
            changes.append(f"-{hold.reason}")
    return changes


def _reservations_release(actor: Actor, lines: Sequence[OrderLine]) -> int:
    """Give back the stock held for ``lines`` (a cancelled order or a line cancelled to 0)."""
    from haicang.inventory.models import Reservation, ReservationStatus
    from haicang.inventory.services import stock_release

    released = 0
    ids = [line.reservation_id for line in lines if line.reservation_id]
    for reservation in Reservation.objects.filter(pk__in=ids, status=ReservationStatus.OPEN).order_by("pk"):
        if reservation.open_quantity:
            stock_release(actor=actor, reservation=reservation)
            released += 1
    return released


def _snapshot(order: Order) -> dict[str, Any]:
    """What the audit log keeps of an order: no personal data (the contact only as which fields are set)."""
    return {
        "status": order.status,
        "platform_status": order.platform_status,
        "external_id": order.external_id,
        "account": str(order.account_id),
        "ship_country": order.ship_country,
        "ship_postcode": order.ship_postcode,
        "ship_by": order.ship_by,
        "currency": order.currency,
        "version": order.version,
    }


def _emit(order: Order, event_type: str) -> None:
    outbox_emit(
        event_type=event_type,
        subject=Subject(SUBJECT_TYPE, str(order.pk)),
        subject_version=order.version,
        seller_id=order.seller_id,
    )


def _history(
    order: Order, *, event: str, previous: str, fields: Sequence[str], source: str, now: datetime
) -> None:
    OrderHistory.objects.create(
        order=order,
        version=order.version,
        event=event,
        status=order.status,
        previous_status=previous,
        platform_status=order.platform_status,
        changed_fields=list(fields),
        source=source[:50],
        occurred_at=now,
    )


def _account_check(account: ChannelAccount, normalised: NormalisedOrder) -> None:
    if account.status != AccountStatus.ACTIVE:
        raise AccountDisabled(f"channel account {account.name!r} is disabled: it takes no orders")
    if str(normalised.platform) != account.platform:
        raise PlatformMismatch(
            f"an order from {normalised.platform} cannot come in through a {account.platform} account",
            field="platform",
        )


def order_ingest(
    *, actor: Actor, account: ChannelAccount, normalised: NormalisedOrder, source: str = "api"
) -> Ingested:
    """Create or update the order ``normalised`` describes, for ``account``. See the module's docstring."""
    _account_check(account, normalised)
    with transaction.atomic():
        result = _ingest(actor, account, normalised, source)
        if result.outcome in (Outcome.CREATED, Outcome.CHANGED):
            # Route in the same transaction: the order is stored with its stock reserved, or backordered
            # (skipped while on hold). docs/orders.md, "Routing".
            from haicang.orders.routing import order_route_after_ingest

            order_route_after_ingest(actor=actor, order=result.order)
        return result


def _ingest(actor: Actor, account: ChannelAccount, normalised: NormalisedOrder, source: str) -> Ingested:
    plan = _plan(account, normalised)
    existing = (
        Order.objects.select_for_update().filter(account=account, external_id=normalised.external_id).first()
    )
    if existing is None:
        try:
            with transaction.atomic():  # a savepoint: a concurrent first delivery may win the insert
                return Ingested(_create(actor, account, normalised, plan, source), Outcome.CREATED)
        except IntegrityError:
            existing = Order.objects.select_for_update().get(
                account=account, external_id=normalised.external_id
            )
    return _update(actor, existing, normalised, plan, source)


def _create(
    actor: Actor, account: ChannelAccount, normalised: NormalisedOrder, plan: _Plan, source: str
) -> Order:
    now = timezone.now()
    order_id = new_id()
    order = Order(
        id=order_id,
        seller_id=account.seller_id,
        account=account,
        number=document_number_next(scope=account.seller_id, prefix="ORD", year=normalised.placed_at.year),
        platform=account.platform,
        external_id=normalised.external_id[:100],
        email_index=plan.email_index,
        phone_index=plan.phone_index,
        version=1,
        cancelled_at=now if normalised.status == OrderStatus.CANCELLED else None,
        **plan.clear,
        **contact_columns(order_id, plan.contact),
    )
    order.save(force_insert=True)
    _lines_sync(order, plan.lines)
    holds = _holds_sync(order, plan.holds, now)
    _history(order, event="created", previous="", fields=[], source=source, now=now)
    _emit(order, ORDER_CREATED)
    audit_record(
        actor=actor,
        action="order.created",
        subject=order,
        after={**_snapshot(order), "lines": len(plan.lines), "holds": [h[0] for h in plan.holds]},
        summary=f"from {source}" + (f"; on hold: {', '.join(h.lstrip('+') for h in holds)}" if holds else ""),
    )
    return order


def _update(actor: Actor, order: Order, normalised: NormalisedOrder, plan: _Plan, source: str) -> Ingested:
    stored_at = order.channel_updated_at
    if stored_at is not None and normalised.updated_at is not None and normalised.updated_at < stored_at:
        return Ingested(order, Outcome.STALE)  # an older delivery overtaken by a newer one
    now = timezone.now()
    before = _snapshot(order)
    changed = [name for name, value in plan.clear.items() if getattr(order, name) != value]
    contact_changed = contact_open(order) != plan.contact
    before_lines = {
        line.channel_line_id: _line_signature(line) for line in order.lines.filter(kit_line__isnull=True)
    }
    wanted_lines = {p.channel_line_id: _plan_signature(p) for p in plan.lines}
    lines_changed = any(before_lines.get(key) != sig for key, sig in wanted_lines.items()) or any(
        key not in wanted_lines and sig[6] > 0
        for key, sig in before_lines.items()  # sig[6]: quantity
    )
    components_changed = any(
        sorted((c.pk, q, o) for c, q, o in p.components)
        != sorted(
            (line.sku_id, line.quantity, line.original_quantity)
            for line in OrderLine.objects.filter(order=order, kit_line__channel_line_id=p.channel_line_id)
        )
        for p in plan.lines
        if p.kind == LineKind.KIT
    )
    open_holds = set(order.holds.filter(released_at__isnull=True).values_list("reason", "detail"))
    holds_changed = open_holds != set(plan.holds)
    if not (changed or contact_changed or lines_changed or components_changed or holds_changed):
        return Ingested(order, Outcome.UNCHANGED)

    previous = order.status
    for name, value in plan.clear.items():
        setattr(order, name, value)
    if contact_changed:
        for column, value in contact_columns(order.pk, plan.contact).items():
            setattr(order, column, value)
        order.email_index, order.phone_index = plan.email_index, plan.phone_index
    cancelled = order.status == OrderStatus.CANCELLED and previous != OrderStatus.CANCELLED
    if cancelled:
        order.cancelled_at = now
    elif order.status != OrderStatus.CANCELLED:
        order.cancelled_at = None
    order.version += 1
    order.save()
    emptied = _lines_sync(order, plan.lines)
    hold_changes = _holds_sync(order, plan.holds, now)
    released = _reservations_release(actor, list(order.lines.all()) if cancelled else emptied)
    fields = [
        *changed,
        *(["contact"] if contact_changed else []),
        *(["lines"] if lines_changed or components_changed else []),
    ]
    fields += [f"hold{change}" for change in hold_changes]
    event = "cancelled" if cancelled else "changed"
    _history(order, event=event, previous=previous, fields=fields, source=source, now=now)
    _emit(order, ORDER_CANCELLED if cancelled else ORDER_CHANGED)
    audit_record(
        actor=actor,
        action=f"order.{event}",
        subject=order,
        before=before,
        after={**_snapshot(order), "fields": fields, "reservations_released": released},
        summary=f"from {source}",
    )
    return Ingested(order, Outcome.CHANGED)


# --- reading personal data -----------------------------------------------------------------------------------
def order_contact_read(*, actor: Actor, order: Order, purpose: str = "detail") -> Contact:
    """The order's personal data in clear, for a reader who holds ``orders:pii`` (the caller checks the scope).
    Every such read is audited (``order.pii_read``, with who and why — never the values)."""
    contact = contact_open(order)
    audit_record(actor=actor, action="order.pii_read", subject=order, after={"purpose": purpose})
    return contact
