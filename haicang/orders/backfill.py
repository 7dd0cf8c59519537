"""Loading a seller's **past orders** in bulk: orders the channels shipped, delivered or cancelled before they
came into Haicang (a platform's order export at go-live, the demo's months of history).

:func:`orders_backfill` writes thousands of orders with a few prepared statements (``rows_insert_bulk``), where
:func:`haicang.orders.services.order_ingest` — one order, routed, with its events — would take minutes. What it
writes is what ingestion writes for a closed order, with these differences, on purpose:

- **Closed orders only** (``shipped``, ``delivered``, ``cancelled``): nothing to route, reserve or release, so
  past orders **never touch the stock ledger** — their units left the shelves before Haicang kept the ledger.
- **No outbox events**: past orders are not news; subscribers would get thousands of stale events.
- **One audit entry per channel account** (``order.backfilled``, on the account: how many orders and lines,
  the first and last placed time) instead of one per order.
- **Existing orders are left alone**: an external id the account already has is skipped (run it again and it
  adds nothing), so a backfill never overwrites a live order. Duplicates within the input count once.
- No holds: the address checks are for orders still to ship. Phones are still stored in E.164 where they can be
  read, the personal fields sealed exactly as ingestion seals them, and the blind indexes filled, so searching
  by e-mail or phone finds past orders too.
- The history row of each order is version 1, event ``created``, source ``backfill`` (or the caller's).

Numbers (``ORD-<year>-NNNNNN``) are taken per year in one statement each, in the order the orders were placed
across every account of the call. Run one backfill of a seller at a time (the load is one transaction).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from django.db import transaction
from django.utils import timezone

from haicang.catalog.models import KitComponent, Sku
from haicang.channels.models import AccountStatus, ChannelAccount, ChannelSkuMap
from haicang.channels.normalised import NormalisedOrder
from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.core.errors import ValidationFailed
from haicang.core.ids import new_id
from haicang.core.rows import rows_insert_bulk
from haicang.core.sequences import document_numbers_take
from haicang.orders.address_rules import phone_e164
from haicang.orders.contact import Contact, contact_columns, email_index, phone_index
from haicang.orders.errors import AccountDisabled, PlatformMismatch
from haicang.orders.models import LineKind, Order, OrderHistory, OrderLine, OrderStatus

CLOSED = frozenset({OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.CANCELLED})
BATCH = 1000


class BackfillInvalid(ValidationFailed):
    code: ClassVar[str] = "orders.backfill_invalid"
    title = "Only closed orders of the seller's accounts can be loaded as history"


@dataclass(frozen=True)
class Backfilled:
    orders: int  # created
    lines: int
    skipped: int  # already there (or given twice)


def _resolver(account: ChannelAccount) -> dict[str, Sku]:
    """Channel SKU → SKU for ``account``: its maps, then the seller's own SKU codes (as ``channel_sku_resolve``)."""
    resolved: dict[str, Sku] = {
        sku.code: sku for sku in Sku.objects.filter(seller_id=account.seller_id).order_by("code")
    }
    for mapping in ChannelSkuMap.objects.filter(account=account).select_related("sku"):
        resolved[mapping.channel_sku] = mapping.sku
    return resolved


def _kits(seller_id: uuid.UUID) -> dict[uuid.UUID, list[tuple[Sku, int]]]:
    parts: dict[uuid.UUID, list[tuple[Sku, int]]] = defaultdict(list)
    for part in (
        KitComponent.objects.filter(kit__seller_id=seller_id).select_related("component").order_by("id")
    ):
        parts[part.kit_id].append((part.component, part.quantity))
    return parts


def _order_row(
    account: ChannelAccount, normalised: NormalisedOrder, number: str, now: Any, phones: dict[Any, str]
) -> Order:
    ship_to = normalised.ship_to
    phone = ""
    if ship_to is not None:
        key = (ship_to.country, ship_to.phone)
        if key not in phones:  # customers come back: read each number once
            phones[key] = phone_e164(ship_to.country, ship_to.phone)[0]
        phone = phones[key]
    contact = Contact(
        name=ship_to.name if ship_to else "",
        company=ship_to.company if ship_to else "",
        street_lines=ship_to.street_lines if ship_to else (),
        phone=phone,
        email=ship_to.email.strip() if ship_to else "",
        buyer_note=normalised.buyer_note,
    )
    order_id = new_id()
    cancelled = normalised.status == OrderStatus.CANCELLED
    return Order(
        id=order_id,
        seller_id=account.seller_id,
        account=account,
        number=number,
        platform=account.platform,
        external_id=normalised.external_id[:100],
        parent_external_id=normalised.parent_external_id[:100],
        display_ref=normalised.display_ref[:100],
        marketplace=normalised.marketplace[:50],
        raw_ref=normalised.raw_ref[:200],
        placed_at=normalised.placed_at,
        paid_at=normalised.paid_at,
        ship_by=normalised.ship_by,
        deliver_by=normalised.deliver_by,
        channel_updated_at=normalised.updated_at,
        status=str(normalised.status),
        platform_status=normalised.platform_status[:50],
        cancelled_at=(normalised.updated_at or normalised.placed_at) if cancelled else None,
        currency=normalised.currency or account.currency,
        shipping_charged=normalised.shipping_charged,
        commission=normalised.commission,
        total=normalised.total,
        service_level=normalised.service_level[:100],
        flags=sorted(str(flag) for flag in normalised.flags),
        ship_country=ship_to.country if ship_to else "",
        ship_postcode=ship_to.postcode.strip()[:20] if ship_to else "",
        ship_city=ship_to.city[:100] if ship_to else "",
        ship_region=ship_to.region[:100] if ship_to else "",
        email_index=email_index(contact.email),
        phone_index=phone_index(contact.phone),
        version=1,
        created_at=now,
        updated_at=now,
        **contact_columns(order_id, contact),
    )


def _line_rows(
    order: Order,
    normalised: NormalisedOrder,
    resolve: dict[str, Sku],
    kits: dict[uuid.UUID, list[tuple[Sku, int]]],
    now: Any,
) -> list[OrderLine]:
    rows: list[OrderLine] = []
    position = 0
    for line in normalised.lines:
        sku = resolve.get(line.channel_sku)
        position += 1
        kind = LineKind.KIT if sku is not None and sku.is_kit else LineKind.ITEM
        top = OrderLine(
            id=new_id(),
            order=order,
            position=position,
            kind=kind,
            channel_line_id=line.channel_line_id,
            channel_sku=line.channel_sku[:200],
            platform_item_id=line.platform_item_id[:100],
            title=line.title[:300],
            sku=sku,
            quantity=line.quantity,
            original_quantity=line.original_quantity,
            shipped_quantity=line.shipped_quantity,
            unit_price=line.unit_price,
            discount=line.discount,
            tax=line.tax,
            price_includes_tax=line.price_includes_tax,
            created_at=now,
            updated_at=now,
        )
        rows.append(top)
        if kind != LineKind.KIT or sku is None:
            continue
        for component, per_kit in kits.get(sku.pk, []):
            position += 1
            rows.append(
                OrderLine(
                    id=new_id(),
                    order=order,
                    position=position,
                    kind=LineKind.COMPONENT,
                    kit_line=top,
                    channel_line_id=line.channel_line_id,
                    channel_sku=line.channel_sku[:200],
                    title=component.name_en[:300],
                    sku=component,
                    quantity=line.quantity * per_kit,
                    original_quantity=line.original_quantity * per_kit,
                    created_at=now,
                    updated_at=now,
                )
            )
    return rows


def orders_backfill(
    *,
    actor: Actor,
    orders: Sequence[tuple[ChannelAccount, NormalisedOrder]],
    source: str = "backfill",
) -> Backfilled:
    """Store closed past ``orders`` (``(channel account, normalised order)`` pairs, accounts of one seller) in
    bulk. See the module's docstring. Raises ``orders.backfill_invalid`` (naming the order) for an order that
    is not closed or accounts of several sellers, ``orders.platform_mismatch`` / ``orders.account_disabled``
    as ingestion does; then nothing is written."""
    sellers = {account.seller_id for account, _ in orders}
    if len(sellers) > 1:
        raise BackfillInvalid("a backfill loads the orders of one seller", field="orders")
    for account, normalised in orders:
        if account.status != AccountStatus.ACTIVE:
            raise AccountDisabled(f"channel account {account.name!r} is disabled: it takes no orders")
        if str(normalised.platform) != account.platform:
            raise PlatformMismatch(
                f"order {normalised.external_id} comes from {normalised.platform}, not {account.platform}",
                field="platform",
            )
        if normalised.status not in CLOSED:
            raise BackfillInvalid(
                f"order {normalised.external_id} is {normalised.status}: only shipped, delivered or cancelled "
                "orders are loaded as history",
                field="status",
            )
    if not orders:
        return Backfilled(0, 0, 0)
    seller_id = sellers.pop()
    with transaction.atomic():
        fresh = _fresh(orders)
        skipped = len(orders) - len(fresh)
        fresh.sort(key=lambda pair: (pair[1].placed_at, pair[1].external_id))
        numbers = _numbers(seller_id, [normalised for _, normalised in fresh])
        resolvers: dict[uuid.UUID, dict[str, Sku]] = {}
        kits = _kits(seller_id)
        now = timezone.now()
        per_account: dict[uuid.UUID, dict[str, Any]] = {}
        phones: dict[Any, str] = {}
        line_count = 0
        for start in range(0, len(fresh), BATCH):
            order_rows: list[Order] = []
            line_rows: list[OrderLine] = []
            for (account, normalised), number in zip(
                fresh[start : start + BATCH], numbers[start : start + BATCH], strict=True
            ):
                if account.pk not in resolvers:
                    resolvers[account.pk] = _resolver(account)
                order = _order_row(account, normalised, number, now, phones)
                order_rows.append(order)
                line_rows.extend(_line_rows(order, normalised, resolvers[account.pk], kits, now))
                stats = per_account.setdefault(
                    account.pk, {"account": account, "orders": 0, "first": normalised.placed_at}
                )
                stats["orders"] += 1
                stats["last"] = normalised.placed_at
            rows_insert_bulk(order_rows)
            rows_insert_bulk([r for r in line_rows if r.kit_line_id is None])
            rows_insert_bulk([r for r in line_rows if r.kit_line_id is not None])
            rows_insert_bulk(
                [
                    OrderHistory(
                        id=new_id(),
                        order=order,
                        version=1,
                        event="created",
                        status=order.status,
                        previous_status="",
                        platform_status=order.platform_status,
                        source=source[:50],
                        occurred_at=now,
                        created_at=now,
                    )
                    for order in order_rows
                ]
            )
            line_count += len(line_rows)
        for stats in per_account.values():
            audit_record(
                actor=actor,
                action="order.backfilled",
                subject=stats["account"],
                after={
                    "orders": stats["orders"],
                    "first_placed_at": stats["first"],
                    "last_placed_at": stats["last"],
                    "source": source,
                },
                summary=f"{stats['orders']} past orders loaded",
            )
    return Backfilled(orders=len(fresh), lines=line_count, skipped=skipped)


def _fresh(
    orders: Sequence[tuple[ChannelAccount, NormalisedOrder]],
) -> list[tuple[ChannelAccount, NormalisedOrder]]:
    """The orders not stored yet (and each once)."""
    wanted: dict[uuid.UUID, set[str]] = defaultdict(set)
    for account, normalised in orders:
        wanted[account.pk].add(normalised.external_id[:100])
    existing: set[tuple[uuid.UUID, str]] = set()
    for account_id, ids in wanted.items():
        listed = sorted(ids)
        for start in range(0, len(listed), 500):
            existing.update(
                Order.objects.filter(account_id=account_id, external_id__in=listed[start : start + 500])
                .values_list("account_id", "external_id")
                .iterator()
            )
    out: list[tuple[ChannelAccount, NormalisedOrder]] = []
    for account, normalised in orders:
        key = (account.pk, normalised.external_id[:100])
        if key not in existing:
            existing.add(key)
            out.append((account, normalised))
    return out


def _numbers(seller_id: uuid.UUID, orders: Sequence[NormalisedOrder]) -> list[str]:
    """The document numbers of ``orders`` (sorted by placed time), one block per year."""
    per_year: dict[int, int] = defaultdict(int)
    for normalised in orders:
        per_year[normalised.placed_at.year] += 1
    blocks = {
        year: iter(document_numbers_take(scope=seller_id, prefix="ORD", year=year, count=count))
        for year, count in sorted(per_year.items())
    }
    return [next(blocks[normalised.placed_at.year]) for normalised in orders]
