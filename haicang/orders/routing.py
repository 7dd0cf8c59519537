"""Routing and allocation: choose the warehouse(s) an order ships from, reserve its stock, or backorder it.

:func:`order_route` gathers what the pure rules (:mod:`haicang.orders.routing_rules`) need — the candidate
warehouses (active, serving the ship-to country, covered by an **active agreement** of the seller in force
today), their available stock per SKU (``StockCounter``: sellable − reserved), the cheapest quote of each
warehouse's carrier services for the estimated parcel (``network.carrier_selectors.rate_quotes``) and the days
it would take (the agreement's SLA on the warehouse's working calendar, plus the quote's transit days) — and
the delivery promise (``deliver_by``, else a fast service level); a split's parts are priced for their own
parcels (:func:`_part_pricer`). It then reserves through the ledger (``inventory.services.stock_reserve``,
demand type ``order``, demand ref the order's id, **one call per warehouse with all its lines**), links each
line to its reservation, and stores a :class:`RoutingDecision` with a reason per candidate and per part and the
estimated cost (the sum of the parts'). The order's ``allocation_status`` becomes ``allocated`` or
``backordered`` (``cancelled`` is set by ``cancellation.py``).

- **Holds block it**: an order with an open hold is not routed (``orders.on_hold`` from the API; the automatic
  paths skip it). Only ``unshipped`` and ``partially_shipped`` orders are routed (``orders.not_routable``).
- **Races**: when a reservation fails (``stock.insufficient`` — another order took the units between reading
  the stock and reserving it) the order is routed once more on fresh stock, then backordered.
- **Automatic**: :func:`order_ingest` routes an order it created or changed in the same transaction
  (:func:`order_route_after_ingest`); the periodic job ``orders.allocate-backorders``
  (:func:`backorders_allocate`) re-routes backordered orders oldest first.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections import defaultdict
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from haicang.core.actors import Actor
from haicang.core.audit import audit_entry_build, audit_record
from haicang.core.errors import DomainError
from haicang.inventory.errors import InsufficientStock
from haicang.inventory.models import Reservation, ReservationStatus
from haicang.inventory.services import DemandLine, stock_reserve
from haicang.network.models import Warehouse
from haicang.network.rates import Destination, Parcel, Quote
from haicang.network.selectors import warehouse_calendar
from haicang.orders.errors import OrderNotRoutable, OrderOnHold
from haicang.orders.line_progress import lines_progress, units_to_route
from haicang.orders.models import (
    AllocationStatus,
    LineKind,
    Order,
    OrderLine,
    OrderSettings,
    OrderStatus,
    RoutingDecision,
)
from haicang.orders.routing_network import NetworkView, network_view, stock_available
from haicang.orders.routing_rules import (
    Candidate,
    Outcome,
    PartPricer,
    PartQuote,
    Plan,
    promise_days,
    route_plan,
)
from haicang.orders.writes import OrderWrites

DEMAND_TYPE = "order"  # Reservation.demand_type of an order's stock; demand_ref: the order's id
ROUTABLE = frozenset({OrderStatus.UNSHIPPED, OrderStatus.PARTIALLY_SHIPPED})
DEFAULT_UNIT_WEIGHT_G = 500  # a SKU without a weight counts this much in the parcel estimate
DEFAULT_SIDE_MM = 100  # and a missing dimension this long
RESIDENTIAL = True  # the ship-to is taken to be a home (residential surcharges apply): B2C orders
type Withhold = dict[tuple[uuid.UUID, uuid.UUID], int]  # (warehouse id, SKU id) → units not offered
_TO_ROUTE = "_units_to_route"  # set on an OrderLine by _lines_to_route


class RouteOutcome:
    ALLOCATED = "allocated"
    BACKORDERED = "backordered"
    HELD = "held"
    NOT_ROUTABLE = "not_routable"
    NOTHING_TO_ROUTE = "nothing_to_route"  # every line already holds its stock


@dataclass(frozen=True)
class Routed:
    order: Order
    outcome: str  # RouteOutcome.*
    decision: RoutingDecision | None = None


# --- settings ----------------------------------------------------------------------------------------------
def order_settings_of(seller_id: uuid.UUID) -> OrderSettings:
    """The seller's order settings (defaults when none were saved)."""
    return OrderSettings.objects.filter(seller_id=seller_id).first() or OrderSettings(seller_id=seller_id)


def order_settings_set(*, actor: Actor, seller_id: uuid.UUID, allow_split: bool) -> OrderSettings:
    """Set whether routing may split an order across warehouses. Audited ``order_settings.changed``."""
    with transaction.atomic():
        settings, _ = OrderSettings.objects.select_for_update().get_or_create(seller_id=seller_id)
        before = {"allow_split": settings.allow_split}
        settings.allow_split = bool(allow_split)
        settings.save()
        audit_record(
            actor=actor,
            action="order_settings.changed",
            subject=settings,
            before=before,
            after={"allow_split": settings.allow_split},
        )
    return settings


# --- what routing reads -------------------------------------------------------------------------------------
def _lines_to_route(order: Order) -> list[OrderLine]:
    """Lines that ship units (items and kit components with a SKU), hold no open reservation yet and still have
    units to reserve: not done (shipped by the channel's word or by Haicang's warehouses) nor in open fulfillment
    requests (:mod:`haicang.orders.line_progress`). Each carries its units to route (:func:`_units`)."""
    lines = [
        line
        for line in order.lines.select_related("sku").order_by("position")
        if line.sku_id is not None and line.kind != LineKind.KIT and _units(line) > 0
    ]
    held = set(
        Reservation.objects.filter(
            pk__in=[line.reservation_id for line in lines if line.reservation_id],
            status=ReservationStatus.OPEN,
            open_quantity__gt=0,
        ).values_list("pk", flat=True)
    )
    lines = [line for line in lines if line.reservation_id not in held]
    progress = lines_progress(lines)
    for line in lines:
        setattr(line, _TO_ROUTE, units_to_route(progress[line.pk]))
    return [line for line in lines if _units(line) > 0]


def _units(line: OrderLine) -> int:
    """The line's units to route: as :func:`_lines_to_route` worked them out, else (a new order's line)
    quantity − the channel's shipped quantity."""
    units = getattr(line, _TO_ROUTE, None)
    if isinstance(units, int):
        return units
    return max(0, line.quantity - (line.shipped_quantity or 0))


def _available(
    seller_id: uuid.UUID, sku_ids: Sequence[uuid.UUID], warehouse_ids: Sequence[uuid.UUID]
) -> dict[tuple[uuid.UUID, uuid.UUID], int]:
    """Available units (sellable − reserved) per (warehouse, SKU)."""
    return stock_available(seller_id, sku_ids, warehouse_ids)


def parcel_estimate(lines: Sequence[OrderLine]) -> Parcel:
    """One parcel for ``lines``: the units' weights added up; the longest length and width, the heights stacked
    (a SKU without a weight counts ``DEFAULT_UNIT_WEIGHT_G``, a missing side ``DEFAULT_SIDE_MM``)."""
    weight = length = width = height = 0
    for line in lines:
        sku, units = line.sku, _units(line)
        if sku is None:
            continue
        weight += (sku.weight_g or DEFAULT_UNIT_WEIGHT_G) * units
        length = max(length, sku.length_mm or DEFAULT_SIDE_MM)
        width = max(width, sku.width_mm or DEFAULT_SIDE_MM)
        height += (sku.height_mm or DEFAULT_SIDE_MM) * units
    return Parcel(
        weight_g=max(1, weight),
        length_mm=max(1, length or DEFAULT_SIDE_MM),
        width_mm=max(1, width or DEFAULT_SIDE_MM),
        height_mm=max(1, height or DEFAULT_SIDE_MM),
    )


def _handling_days(
    warehouse: Warehouse, sla_hours: int, now: dt.datetime, view: NetworkView | None = None
) -> int:
    """Whole days until the warehouse ships: the SLA's working hours on its calendar from ``now`` (worked out
    once per view: the orders routed together share it)."""
    key = ("handling days", warehouse.pk, sla_hours, now)
    if view is not None and key in view.memo:
        return int(view.memo[key])
    try:
        calendar = view.calendar(warehouse.pk) if view is not None else warehouse_calendar(warehouse)
        ships_at = calendar.add_working_hours(now, sla_hours)
        local_today = now.astimezone(ships_at.tzinfo).date()
        days = max(0, (ships_at.date() - local_today).days)
    except DomainError:  # no working time at all: count 8 working hours a day
        days = math.ceil(sla_hours / 8)
    if view is not None:
        view.memo[key] = days
    return days


def _quote(
    order: Order,
    warehouse: Warehouse,
    sla_hours: int,
    lines: Sequence[OrderLine],
    now: dt.datetime,
    view: NetworkView,
) -> PartQuote:
    """The cheapest serviceable quote of the warehouse's carrier services for the parcel of ``lines``, in the
    order's currency (``cost`` None when no service prices it or no FX rate converts it)."""
    destination = Destination(
        country=order.ship_country.upper(), postcode=order.ship_postcode, residential=RESIDENTIAL
    )
    answers = view.quotes(warehouse, parcel_estimate(lines), destination)
    best = next((a for a in answers if a.serviceable), None)
    if best is None or not isinstance(best.result, Quote):
        first = answers[0].result if answers else None
        note = "no carrier service" if first is None or isinstance(first, Quote) else str(first.reason)
        return PartQuote(note=note)
    total = best.result.total
    # without a rate the cost cannot be compared: ranked after the priced ones
    converted = view.convert(total, order.currency, now.date())
    cost: Decimal | None = converted.amount if converted is not None else None
    days = None
    if best.result.transit_days is not None:
        days = _handling_days(warehouse, sla_hours, now, view) + best.result.transit_days
    return PartQuote(
        cost=cost, cost_label=f"{total.currency} {total.amount}", days=days, service=best.service_code
    )


def _candidate(
    order: Order,
    warehouse: Warehouse,
    sla_hours: int,
    available: dict[str, int],
    lines: Sequence[OrderLine],
    now: dt.datetime,
    view: NetworkView,
    quote: bool,
) -> Candidate:
    """The rules' view of one warehouse; priced (for the whole order's parcel) only when it has some of the
    stock (``quote``)."""
    if not quote:
        return Candidate(code=warehouse.code, available=available)
    priced = _quote(order, warehouse, sla_hours, lines, now, view)
    return Candidate(
        code=warehouse.code,
        available=available,
        cost=priced.cost,
        cost_label=priced.cost_label,
        days=priced.days,
        service=priced.service,
        note=priced.note,
    )


def _part_pricer(
    order: Order,
    warehouses: dict[str, tuple[Warehouse, int]],
    lines: Sequence[OrderLine],
    now: dt.datetime,
    view: NetworkView,
) -> PartPricer:
    """Prices a split's part for its own parcel (only its SKUs' lines), each (warehouse, part) once."""
    by_sku: dict[str, list[OrderLine]] = defaultdict(list)
    for line in lines:
        by_sku[line.sku.code].append(line)  # type: ignore[union-attr]
    memo: dict[tuple[str, tuple[tuple[str, int], ...]], PartQuote] = {}

    def price(candidate: Candidate, part: tuple[tuple[str, int], ...]) -> PartQuote:
        key = (candidate.code, part)
        if key not in memo:
            warehouse, sla = warehouses[candidate.code]
            mine = [line for sku, _ in part for line in by_sku[sku]]
            memo[key] = _quote(order, warehouse, sla, mine, now, view)
        return memo[key]

    return price


@dataclass(frozen=True)
class _Context:
    plan: Plan
    warehouses: dict[str, Warehouse]  # code → Warehouse
    promise: int | None


def _plan(
    order: Order,
    lines: Sequence[OrderLine],
    now: dt.datetime,
    withhold: Withhold | None = None,
    *,
    view: NetworkView | None = None,
    stock: dict[tuple[uuid.UUID, uuid.UUID], int] | None = None,
) -> _Context:
    """The rules' decision for ``lines`` of ``order``. ``view`` and ``stock``: what many orders routed together
    (an import's batch) share — read once, the stock then lowered by what each order takes."""
    demand: dict[str, int] = defaultdict(int)
    for line in lines:
        demand[line.sku.code] += _units(line)  # type: ignore[union-attr]
    sku_ids = sorted({line.sku_id for line in lines if line.sku_id is not None}, key=str)
    # the candidates, their stock and the split setting in two statements (docs/orders.md, "Routing")
    if view is None:
        view = network_view(seller_id=order.seller_id, country=order.ship_country, now=now)
    if stock is None:
        stock = _available(order.seller_id, sku_ids, [w.pk for w in view.candidates])
    elif withhold:
        stock = dict(stock)
    for key, units in (withhold or {}).items():  # a re-route: units its warehouse could not pick
        if key in stock:
            stock[key] = max(0, stock[key] - units)
    candidates_sla = view.candidates
    codes = {line.sku_id: line.sku.code for line in lines}  # type: ignore[union-attr]
    candidates = []
    for warehouse, sla in candidates_sla.items():
        available = {codes[s]: stock.get((warehouse.pk, s), 0) for s in sku_ids}
        has_any = any(available[sku] >= qty for sku, qty in demand.items())
        candidates.append(_candidate(order, warehouse, sla, available, lines, now, view, quote=has_any))
    days_left = (order.deliver_by.date() - now.date()).days if order.deliver_by else None
    promise = promise_days(days_until_deliver_by=days_left, service_level=order.service_level)
    pricer = _part_pricer(order, {w.code: (w, sla) for w, sla in candidates_sla.items()}, lines, now, view)
    plan = route_plan(
        demand=dict(demand),
        candidates=candidates,
        promise=promise,
        allow_split=view.allow_split,
        price_part=pricer,
        currency=order.currency,
    )
    return _Context(plan, {w.code: w for w in candidates_sla}, promise)


# --- writing ------------------------------------------------------------------------------------------------
def _reserve(
    actor: Actor, order: Order, lines: Sequence[OrderLine], context: _Context, writes: OrderWrites
) -> None:
    """Reserve every allocation (one ``stock_reserve`` per warehouse, all its lines); the lines' links to their
    reservations go out with ``writes``."""
    for warehouse, mine in allocation_lines(lines, context):
        reservations = stock_reserve(
            actor=actor,
            owner=order.seller,
            warehouse=warehouse,
            lines=demand_lines(mine),
            demand_type=DEMAND_TYPE,
            demand_ref=str(order.pk),
        )
        held: dict[object, Reservation] = {reservation.sku_id: reservation for reservation in reservations}
        for line in mine:
            writes.line_reserved(line, held[line.sku_id].pk)


def allocation_lines(
    lines: Sequence[OrderLine], context: _Context
) -> list[tuple[Warehouse, list[OrderLine]]]:
    """Each warehouse the plan reserves at (by code) with the order lines it reserves for."""
    by_sku: dict[str, list[OrderLine]] = defaultdict(list)
    for line in lines:
        by_sku[line.sku.code].append(line)  # type: ignore[union-attr]
    return [
        (context.warehouses[allocation.code], [line for sku, _ in allocation.lines for line in by_sku[sku]])
        for allocation in sorted(context.plan.allocations, key=lambda a: a.code)
    ]


def demand_lines(lines: Sequence[OrderLine]) -> list[DemandLine]:
    """What the ledger is asked to hold for ``lines``: each line's units still to ship."""
    return [DemandLine(sku=line.sku, quantity=_units(line)) for line in lines if line.sku is not None]


def _decision(
    actor: Actor, order: Order, context: _Context, plan: Plan, summary: str, writes: OrderWrites
) -> RoutingDecision:
    decision = RoutingDecision(
        order=order,
        outcome=plan.outcome.value,
        allocations=[
            {
                "warehouse": part.code,
                "lines": [list(line) for line in part.lines],
                "cost": str(part.cost) if part.cost is not None else None,
                "cost_label": part.cost_label,
                "days": part.days,
                "keeps_promise": part.keeps_promise,
                "text": part.text,
            }
            for part in plan.parts
        ],
        estimated_cost=plan.estimated_cost,
        cost_currency=order.currency if plan.estimated_cost is not None else "",
        candidates=[
            {
                "warehouse": r.code,
                "chosen": r.chosen,
                "in_stock": r.in_stock,
                "has_all": r.has_all,
                "cost": r.cost,
                "days": r.days,
                "keeps_promise": r.keeps_promise,
                "text": r.text,
            }
            for r in plan.reasons
        ],
        summary=summary[:300],
        promise_days=context.promise,
        late=plan.late,
        actor=actor.label[:200],
    )
    writes.add(decision)
    through = RoutingDecision.warehouses.through
    chosen = {context.warehouses[a.code].pk for a in plan.allocations}
    writes.add(*(through(routingdecision_id=decision.pk, warehouse_id=pk) for pk in sorted(chosen, key=str)))
    return decision


def _backorder(plan: Plan) -> Plan:
    """``plan`` turned into a backorder (its reservation lost a race twice)."""
    from dataclasses import replace

    reasons = tuple(replace(r, chosen=False) for r in plan.reasons)
    return replace(
        plan,
        outcome=Outcome.BACKORDER,
        allocations=(),
        chosen=(),
        reasons=reasons,
        late=False,
        parts=(),
        estimated_cost=None,
    )


def order_route(
    *,
    actor: Actor,
    order: Order,
    record_backorder: bool = True,
    strict: bool = True,
    withhold: Withhold | None = None,
) -> Routed:
    """Route ``order``: reserve its unreserved lines where the rules say, or backorder it. See the module's
    docstring. ``strict``: refuse a held or non-routable order with an error (else answer ``held`` /
    ``not_routable``). ``record_backorder=False``: a backordered order that stays backordered writes nothing
    (the periodic job's scans). ``withhold``: units per (warehouse id, SKU id) not offered to this routing
    (``rerouting.order_reroute``: what the warehouse that handed the order back could not pick)."""
    with transaction.atomic():
        order = Order.objects.select_for_update().select_related("seller").get(pk=order.pk)
        if order.holds.filter(released_at__isnull=True).exists():
            if strict:
                raise OrderOnHold("the order has an open hold: release it first", order=str(order.pk))
            return Routed(order, RouteOutcome.HELD)
        if order.status not in ROUTABLE:
            if strict:
                raise OrderNotRoutable(f"a {order.status} order is not routed", order=str(order.pk))
            return Routed(order, RouteOutcome.NOT_ROUTABLE)
        lines = _lines_to_route(order)
        if not lines:
            if (
                order.allocation_status != AllocationStatus.ALLOCATED
                and order.lines.exclude(sku=None).exists()
            ):
                _status_set(order, AllocationStatus.ALLOCATED)
            return Routed(order, RouteOutcome.NOTHING_TO_ROUTE)
        writes = OrderWrites(order)
        routed = _route(
            actor, order, lines, record_backorder=record_backorder, writes=writes, withhold=withhold
        )
        writes.flush()
        return routed


def _route(
    actor: Actor,
    order: Order,
    lines: Sequence[OrderLine],
    *,
    record_backorder: bool,
    writes: OrderWrites,
    withhold: Withhold | None = None,
) -> Routed:
    """Route the locked, routable ``order``'s ``lines`` (those still to reserve). The reservations are made at
    once; the decision, the lines' links, the allocation status and the audit entry are added to ``writes``."""
    now = timezone.now()
    context = _plan(order, lines, now, withhold)
    plan, summary = context.plan, context.plan.summary
    if plan.outcome != Outcome.BACKORDER:
        for attempt in (1, 2):
            try:
                # a savepoint when several warehouses reserve: a lost race leaves nothing behind (one
                # stock_reserve is all or nothing by itself)
                with transaction.atomic() if len(plan.allocations) > 1 else nullcontext():
                    _reserve(actor, order, lines, context, writes)
                break
            except InsufficientStock:
                writes.line_reservations.clear()
                for line in lines:
                    line.reservation_id = None
                if attempt == 2:
                    plan = _backorder(context.plan)
                    summary = "backordered: the stock was taken by other orders meanwhile"
                    break
                context = _plan(order, lines, timezone.now(), withhold)  # once more, on fresh stock
                plan, summary = context.plan, context.plan.summary
                if plan.outcome == Outcome.BACKORDER:
                    break
    backordered = plan.outcome == Outcome.BACKORDER
    if backordered and not record_backorder and order.allocation_status == AllocationStatus.BACKORDERED:
        return Routed(order, RouteOutcome.BACKORDERED)
    decision = record_decision(actor, order, context, plan, summary, writes, now)
    return Routed(order, RouteOutcome.BACKORDERED if backordered else RouteOutcome.ALLOCATED, decision)


def record_decision(
    actor: Actor,
    order: Order,
    context: _Context,
    plan: Plan,
    summary: str,
    writes: OrderWrites,
    now: dt.datetime,
) -> RoutingDecision:
    """Add to ``writes`` what a routing records: the decision (with its warehouses), the order's allocation
    status and the audit entry ``order.routed`` / ``order.backordered``."""
    backordered = plan.outcome == Outcome.BACKORDER
    status = AllocationStatus.BACKORDERED if backordered else AllocationStatus.ALLOCATED
    decision = _decision(actor, order, context, plan, summary, writes)
    previous = order.allocation_status
    writes.order_set(allocation_status=status)
    after = {
        "allocation_status": status,
        "outcome": plan.outcome.value,
        "warehouses": list(plan.chosen),
        "decision": str(decision.pk),
    }
    # built when the writes go out: its label names the order's number (a new order takes it last)
    writes.add_built(
        lambda: audit_entry_build(
            actor=actor,
            action="order.backordered" if backordered else "order.routed",
            subject=order,
            before={"allocation_status": previous},
            after=after,
            summary=summary,
            occurred_at=now,
        )
    )
    return decision


def _status_set(order: Order, status: str) -> None:
    order.allocation_status = status
    Order.objects.filter(pk=order.pk).update(allocation_status=status)


def order_route_after_ingest(
    *,
    actor: Actor,
    order: Order,
    lines: Sequence[OrderLine] | None = None,
    writes: OrderWrites | None = None,
) -> Routed:
    """What ingestion calls for an order it created or changed (same transaction): route it unless it is on
    hold or not waiting to ship; a backordered order that is still short writes no new decision.

    ``lines`` and ``writes``: a **new** order the caller has just inserted (so holds it, has no open hold and
    is routable) with its lines as built: nothing is read back, and what routing writes joins ``writes``."""
    if lines is None or writes is None:
        return order_route(actor=actor, order=order, record_backorder=False, strict=False)
    routable = [
        line for line in lines if line.sku_id is not None and line.kind != LineKind.KIT and _units(line) > 0
    ]
    if not routable:
        if order.allocation_status != AllocationStatus.ALLOCATED and any(line.sku_id for line in lines):
            writes.order_set(allocation_status=AllocationStatus.ALLOCATED)
        return Routed(order, RouteOutcome.NOTHING_TO_ROUTE)
    return _route(actor, order, routable, record_backorder=False, writes=writes)


def backorders_allocate(*, actor: Actor, limit: int = 200) -> dict[str, int]:
    """Re-route backordered orders, **oldest first** (by placed time), so the first in line gets arriving
    stock. Each order is its own transaction. Returns the counts per outcome."""
    ids = list(
        Order.objects.filter(allocation_status=AllocationStatus.BACKORDERED, status__in=ROUTABLE)
        .order_by("placed_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    counts: dict[str, int] = defaultdict(int)
    for order_id in ids:
        order = Order.objects.filter(pk=order_id).first()
        if order is None:
            continue
        routed = order_route(actor=actor, order=order, record_backorder=False, strict=False)
        counts[routed.outcome] += 1
    return dict(counts)


def routing_decision_latest(order: Order) -> RoutingDecision | None:
    return order.routing_decisions.order_by("-created_at", "-id").first()


def decision_cost_label(decision: RoutingDecision | None) -> str:
    """The decision's estimated last-mile cost as shown ("USD 10.60"); "" when unknown."""
    from haicang.core.money import Money

    if decision is None or decision.estimated_cost is None or not decision.cost_currency:
        return ""
    return str(Money(decision.estimated_cost, decision.cost_currency).rounded())
