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
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from haicang.catalog.models import KitComponent, Sku
from haicang.channels.models import AccountStatus, ChannelAccount, ChannelSkuMap
from haicang.channels.normalised import NormalisedLine, NormalisedOrder, OrderFlag
from haicang.core.actors import Actor
from haicang.core.audit import audit_entry_build, audit_record
from haicang.core.ids import new_id
from haicang.core.sequences import document_number_next
from haicang.integration.models import OutboxEvent
from haicang.integration.outbox import Subject, outbox_event_build
from haicang.orders import plain_rows
from haicang.orders.address_rules import phone_e164, postcode_check
from haicang.orders.cancellation import STICKY, cascade_summary, order_cancellation_cascade
from haicang.orders.contact import Contact, contact_columns, contact_open, email_index, phone_index
from haicang.orders.errors import AccountDisabled, PlatformMismatch
from haicang.orders.models import (
    AllocationStatus,
    CancelledBy,
    HoldReason,
    LineKind,
    Order,
    OrderHistory,
    OrderHold,
    OrderLine,
    OrderStatus,
)
from haicang.orders.writes import OrderWrites, insert_guarded, insert_statement
from haicang.parties.models import Seller

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


@cache
def _skus_sql(vendor: str, count: int) -> str:
    quote = plain_rows.db().ops.quote_name
    marks = ", ".join(["%s"] * count)
    sku, mapping = quote(Sku._meta.db_table), quote(ChannelSkuMap._meta.db_table)
    columns = plain_rows.select_list(Sku, "s", vendor)
    return (
        f"SELECT m.{quote('channel_sku')}, 0, {columns} FROM {mapping} m "  # noqa: S608
        f"JOIN {sku} s ON s.{quote('id')} = m.{quote('sku_id')} "
        f"WHERE m.{quote('account_id')} = %s AND m.{quote('channel_sku')} IN ({marks}) "
        f"UNION ALL SELECT s.{quote('code')}, 1, {columns} FROM {sku} s "
        f"WHERE s.{quote('seller_id')} = %s AND s.{quote('code')} IN ({marks})"
    )


_UUID = models.UUIDField()


def _skus_resolve(account: ChannelAccount, channel_skus: set[str]) -> dict[str, Sku | None]:
    """Each channel SKU's SKU (or kit), as ``channels.selectors.channel_sku_resolve`` resolves it — the
    account's map, else the seller's SKU of that code, else None — for all of them in one plain statement."""
    db = plain_rows.db()
    wanted = sorted(channel_skus)
    account_id, seller_id = (_UUID.get_db_prep_value(v, db) for v in (account.pk, account.seller_id))
    with plain_rows.cursor() as cursor:
        cursor.execute(_skus_sql(db.vendor, len(wanted)), [account_id, *wanted, seller_id, *wanted])
        rows = cursor.fetchall()
    resolved: dict[str, Sku | None] = dict.fromkeys(wanted)
    mapped: set[str] = set()
    for row, found in zip(rows, plain_rows.instances(Sku, rows, offset=2), strict=True):
        key, by_code = row[0], row[1]
        if not by_code:
            resolved[key] = found
            mapped.add(key)
        elif key not in mapped:
            resolved[key] = found
    return resolved


class IngestLookups:
    """What ingesting looks up, each looked up once: channel SKUs → SKUs (and kits → their components) of the
    accounts it is asked about, and phones read into E.164 — for one order, or for every order of an import
    (one transaction, so one view of the maps; customers come back)."""

    def __init__(self) -> None:
        self.skus: dict[tuple[Any, str], Sku | None] = {}
        self.kits: dict[Any, list[KitComponent]] = {}
        self.phones: dict[tuple[str, str], tuple[str, Any]] = {}

    def phone(self, country: str, phone: str) -> tuple[str, Any]:
        """``address_rules.phone_e164``'s answer."""
        key = (country, phone)
        if key not in self.phones:
            self.phones[key] = phone_e164(country, phone)
        return self.phones[key]

    def resolve(self, account: ChannelAccount, channel_skus: set[str]) -> dict[str, Sku | None]:
        missing = {c for c in channel_skus if (account.pk, c) not in self.skus}
        if missing:
            for channel_sku, sku in _skus_resolve(account, missing).items():
                self.skus[(account.pk, channel_sku)] = sku
        resolved = {c: self.skus[(account.pk, c)] for c in channel_skus}
        kit_ids = {sku.pk for sku in resolved.values() if sku is not None and sku.is_kit} - self.kits.keys()
        if kit_ids:
            for kit_id in kit_ids:
                self.kits[kit_id] = []
            for part in (
                KitComponent.objects.filter(kit__in=kit_ids).select_related("component").order_by("id")
            ):
                self.kits[part.kit_id].append(part)
        return resolved


def _line_plans(
    account: ChannelAccount, lines: Sequence[NormalisedLine], lookups: IngestLookups | None = None
) -> list[_LinePlan]:
    lookups = lookups or IngestLookups()
    resolved = lookups.resolve(account, {line.channel_sku for line in lines})
    kits = lookups.kits
    plans = []
    for line in lines:
        sku = resolved[line.channel_sku]
        components: tuple[tuple[Sku, int, int], ...] = ()
        kind = LineKind.ITEM
        if sku is not None and sku.is_kit:
            kind = LineKind.KIT
            components = tuple(
                (part.component, line.quantity * part.quantity, line.original_quantity * part.quantity)
                for part in kits.get(sku.pk, ())
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


def _plan(
    account: ChannelAccount, normalised: NormalisedOrder, lookups: IngestLookups | None = None
) -> _Plan:
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
        phone, problem = (lookups or IngestLookups()).phone(country, ship_to.phone)
        if problem is not None:
            holds.append((problem.code, problem.detail))
    if normalised.status == OrderStatus.ON_HOLD:
        holds.append((HoldReason.PLATFORM_HOLD, f"the platform's status is {normalised.platform_status!r}"))
    if OrderFlag.PENDING_ADDRESS_CHANGE in normalised.flags:
        holds.append((HoldReason.ADDRESS_CHANGE_PENDING, "the buyer asked to change the address"))
    lines = _line_plans(account, normalised.lines, lookups)
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


def order_snapshot(order: Order) -> dict[str, Any]:
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


def order_event_build(order: Order, event_type: str) -> OutboxEvent:
    """The order's outbox event (not saved), the order's version as the subject version; seller only."""
    return outbox_event_build(
        event_type=event_type,
        subject=Subject(SUBJECT_TYPE, str(order.pk)),
        subject_version=order.version,
        seller_id=order.seller_id,
    )


def emit_order_event(order: Order, event_type: str) -> None:
    order_event_build(order, event_type).save(force_insert=True)


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
        result, new = _ingest(actor, account, normalised, source)
        # Route in the same transaction: the order is stored with its stock reserved, or backordered
        # (skipped while on hold). docs/orders.md, "Routing".
        from haicang.orders.routing import ROUTABLE, order_route_after_ingest

        if new is not None:
            order = result.order
            if not new.held and order.status in ROUTABLE:
                order_route_after_ingest(actor=actor, order=order, lines=new.lines, writes=new.writes)
            # The number last: the seller's sequence row stays locked from here to COMMIT only, so concurrent
            # ingestions of one seller wait for each other's last statement, not their whole transaction.
            number = document_number_next(scope=order.seller_id, prefix="ORD", year=normalised.placed_at.year)
            new.writes.order_set(number=number)
            new.writes.flush()
        elif result.outcome == Outcome.CHANGED:
            order_route_after_ingest(actor=actor, order=result.order)
        return result


@dataclass(frozen=True)
class _New:
    """A new order as inserted: its lines (as built, with their SKUs) and what is still to be written with its
    number — the ``order.created`` audit entry and, if it is routed, routing's writes."""

    lines: list[OrderLine]
    writes: OrderWrites
    held: bool


def _ingest(
    actor: Actor, account: ChannelAccount, normalised: NormalisedOrder, source: str
) -> tuple[Ingested, _New | None]:
    plan = _plan(account, normalised)
    existing = _existing_locked(account, normalised.external_id)
    if existing is None:
        created = _create(actor, account, normalised, plan, source)
        if created is not None:
            return Ingested(created[0], Outcome.CREATED), created[1]
        # a concurrent first delivery inserted it (and committed): carry on as a replay of its row
        existing = Order.objects.select_for_update().get(account=account, external_id=normalised.external_id)
    return _update(actor, existing, normalised, plan, source), None


@cache
def _existing_sql(vendor: str, lock: bool) -> str:
    quote = plain_rows.db().ops.quote_name
    return (
        f"SELECT {plain_rows.select_list(Order, 'o', vendor)} FROM {quote(Order._meta.db_table)} o "  # noqa: S608
        f"WHERE o.{quote('account_id')} = %s AND o.{quote('external_id')} = %s"
        + (" FOR UPDATE" if lock else "")
    )


def _existing_locked(account: ChannelAccount, external_id: str) -> Order | None:
    """The account's order with ``external_id``, locked (a plain statement: most deliveries find none)."""
    db = plain_rows.db()
    with plain_rows.cursor() as cursor:
        sql = _existing_sql(db.vendor, bool(db.features.has_select_for_update))
        cursor.execute(sql, [_UUID.get_db_prep_value(account.pk, db), external_id])
        rows = cursor.fetchall()
    return plain_rows.instances(Order, rows)[0] if rows else None


@dataclass
class NewOrder:
    """A new order's rows, built but not written: the order (its number still a placeholder), its lines (with
    their SKUs), holds, history row and ``order.created`` event; ``writes`` holds its audit entry, built last."""

    order: Order
    lines: list[OrderLine]
    holds: list[OrderHold]
    history: OrderHistory
    event: OutboxEvent
    writes: OrderWrites
    held: bool

    @property
    def rows(self) -> list[Any]:
        """What goes in with the order row (the order row itself not included)."""
        return [*self.lines, *self.holds, self.history, self.event]


def new_order_build(
    *,
    actor: Actor,
    account: ChannelAccount,
    normalised: NormalisedOrder,
    plan: _Plan,
    source: str,
    now: datetime,
) -> NewOrder:
    """Everything a first delivery of ``normalised`` writes, built (see :func:`_create`)."""
    order_id = new_id()
    order = Order(
        id=order_id,
        seller_id=account.seller_id,
        account=account,
        number=order_id.hex,
        platform=account.platform,
        external_id=normalised.external_id[:100],
        email_index=plan.email_index,
        phone_index=plan.phone_index,
        version=1,
        cancelled_at=now if normalised.status == OrderStatus.CANCELLED else None,
        cancelled_by=CancelledBy.CHANNEL if normalised.status == OrderStatus.CANCELLED else "",
        allocation_status=(
            AllocationStatus.CANCELLED
            if normalised.status == OrderStatus.CANCELLED
            else AllocationStatus.UNALLOCATED
        ),
        **plan.clear,
        **contact_columns(order_id, plan.contact),
    )
    history = OrderHistory(
        order=order,
        version=order.version,
        event="created",
        status=order.status,
        previous_status="",
        platform_status=order.platform_status,
        changed_fields=[],
        source=source[:50],
        occurred_at=now,
    )
    held = ", ".join(reason for reason, _ in plan.holds)
    summary = f"from {source}" + (f"; on hold: {held}" if held else "")
    after = {**order_snapshot(order), "lines": len(plan.lines), "holds": [h[0] for h in plan.holds]}
    writes = OrderWrites(order)
    writes.add_built(
        lambda: audit_entry_build(
            actor=actor, action="order.created", subject=order, after=after, summary=summary, occurred_at=now
        )
    )
    return NewOrder(
        order=order,
        lines=_lines_new(order, plan.lines),
        holds=[OrderHold(order=order, reason=reason, detail=detail[:300]) for reason, detail in plan.holds],
        history=history,
        event=order_event_build(order, ORDER_CREATED),
        writes=writes,
        held=bool(plan.holds),
    )


def _create(
    actor: Actor, account: ChannelAccount, normalised: NormalisedOrder, plan: _Plan, source: str
) -> tuple[Order, _New] | None:
    """Insert the order with its lines, holds, history row and ``order.created`` event — one statement on
    PostgreSQL. None when a concurrent delivery of the same order inserted it first (the unique (account,
    external id) constraint decides; on PostgreSQL this waits for that transaction to end).

    Until :func:`order_ingest` takes its number, last, the order holds a placeholder unique to it (its id);
    nothing outside this transaction ever sees it."""
    new = new_order_build(
        actor=actor, account=account, normalised=normalised, plan=plan, source=source, now=timezone.now()
    )
    order = new.order
    # the seller as far as routing needs it (its id); any other field is read if something asks for it
    order.seller = Seller.from_db(connection.alias, ["id"], [account.seller_id])
    sql, params = insert_statement(order)
    columns = ", ".join(connection.ops.quote_name(c) for c in ("account_id", "external_id"))
    guard = f"{sql} ON CONFLICT ({columns}) DO NOTHING RETURNING 1 AS returned"
    if not insert_guarded((guard, params), new.rows):
        return None
    order._state.adding, order._state.db = False, connection.alias
    return order, _New(lines=new.lines, writes=new.writes, held=new.held)


def _lines_new(order: Order, plans: Sequence[_LinePlan]) -> list[OrderLine]:
    """A new order's lines, numbered as :func:`_lines_sync` numbers them: each line, then its kit's components."""
    lines: list[OrderLine] = []
    position = 0
    for plan in plans:
        position += 1
        line = OrderLine(
            order=order, position=position, channel_line_id=plan.channel_line_id, **_line_values(plan)
        )
        lines.append(line)
        wanted = {component.pk: (component, qty, original) for component, qty, original in plan.components}
        for component, quantity, original in wanted.values():
            position += 1
            lines.append(
                OrderLine(
                    order=order,
                    position=position,
                    kind=LineKind.COMPONENT,
                    kit_line=line,
                    channel_line_id=line.channel_line_id,
                    channel_sku=line.channel_sku,
                    title=component.name_en[:300],
                    sku=component,
                    quantity=quantity,
                    original_quantity=original,
                )
            )
    return lines


def _update(actor: Actor, order: Order, normalised: NormalisedOrder, plan: _Plan, source: str) -> Ingested:
    stored_at = order.channel_updated_at
    if stored_at is not None and normalised.updated_at is not None and normalised.updated_at < stored_at:
        return Ingested(order, Outcome.STALE)  # an older delivery overtaken by a newer one
    now = timezone.now()
    before = order_snapshot(order)
    if order.cancelled_by == CancelledBy.SELLER and plan.clear["status"] in STICKY:
        # The seller cancelled it in Haicang; the channel has not caught up yet: it stays cancelled.
        plan = replace(plan, clear={**plan.clear, "status": str(OrderStatus.CANCELLED)})
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
        order.cancelled_at, order.cancelled_by = now, CancelledBy.CHANNEL
    elif order.status != OrderStatus.CANCELLED:
        order.cancelled_at, order.cancelled_by = None, ""
        if previous == OrderStatus.CANCELLED:  # reopened by the channel: routing starts again
            order.allocation_status = AllocationStatus.UNALLOCATED
    order.version += 1
    order.save()
    emptied = _lines_sync(order, plan.lines)
    hold_changes = _holds_sync(order, plan.holds, now)
    cascade: dict[str, int] = {}
    released = 0
    if cancelled:  # docs/orders.md, "Cancelling an order": requests cancelled or asked to, free stock back
        report = order_cancellation_cascade(
            actor=actor, order=order, reason="the channel cancelled the order"
        )
        cascade = cascade_summary(report)
    else:
        released = _reservations_release(actor, emptied)
    fields = [
        *changed,
        *(["contact"] if contact_changed else []),
        *(["lines"] if lines_changed or components_changed else []),
    ]
    fields += [f"hold{change}" for change in hold_changes]
    event = "cancelled" if cancelled else "changed"
    _history(order, event=event, previous=previous, fields=fields, source=source, now=now)
    emit_order_event(order, ORDER_CANCELLED if cancelled else ORDER_CHANGED)
    audit_record(
        actor=actor,
        action=f"order.{event}",
        subject=order,
        before=before,
        after={**order_snapshot(order), "fields": fields, "reservations_released": released, **cascade},
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
