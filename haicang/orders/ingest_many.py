"""Ingesting many orders at once — the ``orders`` import: what :func:`~haicang.orders.services.order_ingest`
does for each order, with a few statements per batch of orders instead of a dozen per order.

Orders go in batches of :data:`BATCH`, each in a savepoint of the caller's transaction:

1. **Which are new**: one statement finds the batch's orders that exist already (by channel account and
   external id). Those — and an order given twice — go through ``order_ingest`` one by one, as a replay.
2. **The new ones are built** as ``order_ingest`` builds them (the same checks and holds, the customer's data
   sealed, kits exploded), their channel SKUs resolved once per import (:class:`IngestLookups`).
3. **Routed** by the same rules on the same reads, shared by the batch: the candidate warehouses of each
   ship-to country and their carrier rates read once, the stock of the batch's SKUs read once and lowered by
   what each order takes, in the batch's order (the first order gets the last units, as one by one).
4. **Reserved** through the ledger in one call (``inventory.services.stock_reserve_many``): each stock counter
   updated once with the sum of its orders, one reservation and audit entry per order and SKU.
5. **Numbered** (one statement per year) and **written** with one ``COPY`` per table (PostgreSQL): the orders,
   their lines (linked to their reservations), holds, history rows, ``order.created`` events, routing
   decisions and audit entries (``order.created``, ``order.routed`` / ``order.backordered``).

If the stock was taken meanwhile (a counter's guard fails), the batch's savepoint is rolled back and its
orders are ingested one by one, each routed on fresh stock — backordered if short — exactly as
``order_ingest`` does. What is stored is what ``order_ingest`` would have stored for each order, with one
difference on purpose: each stock counter announces its change once per batch (one
``stock.available_changed`` event with the new version), not once per order.
"""

from __future__ import annotations

import gc
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from haicang.channels.models import ChannelAccount
from haicang.channels.normalised import NormalisedOrder
from haicang.core.actors import Actor
from haicang.core.rows import rows_copy
from haicang.core.sequences import document_numbers_take
from haicang.inventory.errors import InsufficientStock
from haicang.inventory.services import Demand, stock_reserve_many
from haicang.orders import routing
from haicang.orders.models import AllocationStatus, LineKind, Order, OrderLine
from haicang.orders.routing_network import NetworkView, network_view, stock_available
from haicang.orders.routing_rules import Outcome as RouteOutcome
from haicang.orders.services import (
    IngestLookups,
    NewOrder,
    Outcome,
    _account_check,
    _plan,
    new_order_build,
    order_ingest,
)
from haicang.parties.models import Seller

BATCH = 2000  # orders per savepoint and per multi-row write

type Progress = Callable[[int, int], None]


def orders_ingest_many(
    *,
    actor: Actor,
    items: Sequence[tuple[ChannelAccount, NormalisedOrder]],
    source: str = "import",
    progress: Progress | None = None,
) -> dict[str, int]:
    """Ingest every ``(account, normalised order)`` of ``items`` as ``order_ingest`` would, in batches (see the
    module's docstring), inside the caller's transaction (or one of its own). Raises what ``order_ingest``
    raises for a refused order (a disabled account, another platform's order) before writing anything.
    Returns the number of orders per outcome (``created``, ``changed``, ``unchanged``, ``stale``)."""
    for account, normalised in items:
        _account_check(account, normalised)
    counts = dict.fromkeys((Outcome.CREATED, Outcome.CHANGED, Outcome.UNCHANGED, Outcome.STALE), 0)
    lookups = IngestLookups()
    with collector_quiet(), transaction.atomic():
        for start in range(0, len(items), BATCH):
            batch = items[start : start + BATCH]
            try:  # a savepoint: a batch whose stock others took meanwhile is done again one by one
                with transaction.atomic():
                    outcomes = _batch(actor, batch, source, lookups)
            except InsufficientStock:
                outcomes = [
                    order_ingest(actor=actor, account=account, normalised=normalised, source=source).outcome
                    for account, normalised in batch
                ]
            for outcome in outcomes:
                counts[outcome] += 1
            _collect_batch()
            if progress is not None:
                progress(start + len(batch), len(items))
    return counts


@contextmanager
def collector_quiet() -> Iterator[None]:
    """Keep Python's cyclic garbage collector off an import's objects while the batches run: what exists
    already — the caller's parsed file of hundreds of thousands of rows above all — is frozen out of its sight
    (``gc.freeze``), and automatic collections pause; the batches' own garbage is freed by reference counting
    as always, and a collection of the young generations after each batch (:func:`_collect_batch`) frees any
    cycles. Otherwise every full collection walks the whole file again: a third of an import's time, measured."""
    enabled = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.unfreeze()


def _collect_batch() -> None:
    gc.collect(1)


def _existing(batch: Sequence[tuple[ChannelAccount, NormalisedOrder]]) -> set[tuple[uuid.UUID, str]]:
    accounts = {account.pk for account, _ in batch}
    external_ids = {normalised.external_id for _, normalised in batch}
    return set(
        Order.objects.filter(account_id__in=accounts, external_id__in=external_ids).values_list(
            "account_id", "external_id"
        )
    )


def _batch(
    actor: Actor,
    batch: Sequence[tuple[ChannelAccount, NormalisedOrder]],
    source: str,
    lookups: IngestLookups,
) -> list[str]:
    now = timezone.now()
    existing = _existing(batch)
    news: list[NewOrder] = []
    years: list[int] = []  # each new order's year of placing (its number's)
    later: list[int] = []  # replays (and an order given twice): one by one, after the new ones
    seen: set[tuple[uuid.UUID, str]] = set()
    for index, (account, normalised) in enumerate(batch):
        key = (account.pk, normalised.external_id)
        if key in existing or key in seen:
            later.append(index)
            continue
        seen.add(key)
        plan = _plan(account, normalised, lookups)
        news.append(
            new_order_build(
                actor=actor, account=account, normalised=normalised, plan=plan, source=source, now=now
            )
        )
        years.append(normalised.placed_at.year)
    _route(actor, news, now)
    _number(news, years)
    _write(news)
    outcomes = [Outcome.CREATED] * len(news)
    for index in later:
        account, normalised = batch[index]
        outcomes.append(
            order_ingest(actor=actor, account=account, normalised=normalised, source=source).outcome
        )
    return outcomes


def _routable_lines(new: NewOrder) -> list[OrderLine] | None:
    """The lines routing reserves for (None: the order is not routed — held, or not waiting to ship)."""
    if new.held or new.order.status not in routing.ROUTABLE:
        return None
    return [
        line
        for line in new.lines
        if line.sku_id is not None and line.kind != LineKind.KIT and routing._units(line) > 0
    ]


def _route(actor: Actor, news: Sequence[NewOrder], now: Any) -> None:
    """Route the batch's new orders on shared reads, reserve all their stock in one ledger call per seller, and
    add each order's decision and audit entry to its writes."""
    todo: list[tuple[NewOrder, list[OrderLine]]] = []
    for new in news:
        lines = _routable_lines(new)
        if lines is None:
            continue
        if not lines:  # nothing to reserve: as routing answers "nothing to route"
            if any(line.sku_id for line in new.lines):
                new.order.allocation_status = AllocationStatus.ALLOCATED
            continue
        todo.append((new, lines))
    views: dict[tuple[uuid.UUID, str], NetworkView] = {}
    for new, _ in todo:
        key = (new.order.seller_id, new.order.ship_country)
        if key not in views:
            views[key] = network_view(seller_id=key[0], country=key[1], now=now)
    stock: dict[uuid.UUID, dict[tuple[uuid.UUID, uuid.UUID], int]] = {}
    for seller_id in {new.order.seller_id for new, _ in todo}:
        skus = sorted(
            {
                line.sku_id
                for new, lines in todo
                if new.order.seller_id == seller_id
                for line in lines
                if line.sku_id
            },
            key=str,
        )
        warehouses = sorted(
            {w.pk for (owner, _), view in views.items() if owner == seller_id for w in view.candidates},
            key=str,
        )
        stock[seller_id] = stock_available(seller_id, skus, warehouses)
    demands: dict[uuid.UUID, list[tuple[Demand, list[OrderLine]]]] = defaultdict(list)
    decided = []
    for new, lines in todo:
        order = new.order
        available = stock[order.seller_id]
        context = routing._plan(
            order, lines, now, view=views[(order.seller_id, order.ship_country)], stock=available
        )
        if context.plan.outcome != RouteOutcome.BACKORDER:
            for warehouse, mine in routing.allocation_lines(lines, context):
                wanted = routing.demand_lines(mine)
                for demand_line in wanted:
                    taken = (warehouse.pk, demand_line.sku.pk)
                    available[taken] = available.get(taken, 0) - demand_line.quantity
                demand = Demand(warehouse, wanted, routing.DEMAND_TYPE, str(order.pk))
                demands[order.seller_id].append((demand, mine))
        decided.append((new, context))
    for seller_id, wanted_by in demands.items():
        owner = Seller.from_db(connection.alias, ["id"], [seller_id])
        made = stock_reserve_many(actor=actor, owner=owner, demands=[demand for demand, _ in wanted_by])
        for (_, mine), reservations in zip(wanted_by, made, strict=True):
            held: dict[uuid.UUID | None, uuid.UUID] = {r.sku_id: r.pk for r in reservations}
            for order_line in mine:
                order_line.reservation_id = held[order_line.sku_id]
    for new, context in decided:
        plan = context.plan
        routing.record_decision(actor, new.order, context, plan, plan.summary, new.writes, now)


def _number(news: Sequence[NewOrder], years: Sequence[int]) -> None:
    """Each new order's number, in the batch's order: one statement per seller and year."""
    wanted: dict[tuple[uuid.UUID, int], list[Order]] = defaultdict(list)
    for new, year in zip(news, years, strict=True):
        wanted[(new.order.seller_id, year)].append(new.order)
    for (seller_id, year), orders in wanted.items():
        numbers = document_numbers_take(scope=seller_id, prefix="ORD", year=year, count=len(orders))
        for order, number in zip(orders, numbers, strict=True):
            order.number = number


def _write(news: Sequence[NewOrder]) -> None:
    """Every row of the batch, one multi-row write per table (rows that need the number built now)."""
    rows: list[models.Model] = [new.order for new in news]
    for new in news:
        rows += [*new.rows, *new.writes.rows]
    for new in news:
        rows += [build() for build in new.writes.builders]
    by_model: dict[type[models.Model], list[models.Model]] = defaultdict(list)
    for row in rows:
        by_model[type(row)].append(row)
    for same in by_model.values():
        rows_copy(same)
