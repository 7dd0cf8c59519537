"""The one module that writes the stock ledger: moves, and in the same transaction the balances and the
stock counters they change. Everything else calls :func:`moves_post` (see ``services``).

A line names the SKU, the two locations and the quantity; the ledger picks the receipt layers to move from the
source (FIFO by receipt date; FEFO by lot expiry for expiry-tracked SKUs; or one given lot/layer), so one line
may become several moves. The supplier, customer, inventory-loss and scrap locations may go negative;
real locations and stock in transit never do (guarded), and keep their receipt layers. Stock counters follow sellable stock (pick and bulk bins) per
warehouse; a decrease of sellable stock is refused when it would leave reserved > sellable, unless the same
call releases that reservation (shipping reserved units).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from haicang.core.actors import Actor
from haicang.integration.catalogue import STOCK_AVAILABLE_CHANGED
from haicang.integration.models import OutboxEvent
from haicang.integration.outbox import Subject, outbox_event_build
from haicang.inventory import locks
from haicang.inventory.errors import InsufficientStock, InvalidLocation, InvalidQuantity
from haicang.inventory.models import Balance, Lot, Move
from haicang.network.models import Location, LocationKind, Warehouse
from haicang.network.models.locations import REAL_KINDS, SELLABLE_KINDS

MAX_LAYER_ROUNDS = 20


@dataclass(frozen=True)
class MoveLine:
    sku_id: uuid.UUID
    from_location: Location
    to_location: Location
    quantity: int
    lot_code: str | None = None  # None: any lot (FIFO/FEFO); "" or a code: that lot only
    received_on: dt.date | None = None  # layer date; for a source that is virtual, the new layer's date
    fefo: bool = False


@dataclass(frozen=True)
class _Piece:
    sku_id: uuid.UUID
    from_location: Location
    to_location: Location
    lot_code: str
    received_on: dt.date
    quantity: int


def _is_real(location: Location) -> bool:
    return location.kind in REAL_KINDS


def _is_layered(location: Location) -> bool:
    """Stock here is counted in layers and never goes negative: real locations, and stock in transit."""
    return location.kind in REAL_KINDS or location.kind == LocationKind.IN_TRANSIT


def _is_sellable(location: Location) -> bool:
    return location.kind in SELLABLE_KINDS


def _layers(owner_id: uuid.UUID, line: MoveLine) -> list[Balance]:
    rows = Balance.objects.filter(
        owner_id=owner_id, sku_id=line.sku_id, location=line.from_location, quantity__gt=0
    )
    if line.lot_code is not None:
        rows = rows.filter(lot_code=line.lot_code)
    if line.received_on is not None:
        rows = rows.filter(received_on=line.received_on)
    layers = list(rows.order_by("received_on", "lot_code"))
    if line.fefo and layers:
        expiry = dict(
            Lot.objects.filter(sku_id=line.sku_id, code__in={b.lot_code for b in layers}).values_list(
                "code", "expires_on"
            )
        )
        far = dt.date.max
        layers.sort(key=lambda b: (expiry.get(b.lot_code) or far, b.received_on, b.lot_code))
    return layers


def _plan_from_real(owner_id: uuid.UUID, line: MoveLine) -> list[_Piece]:
    """Split ``line`` over the source's layers (FIFO/FEFO) as they read now; nothing is locked yet."""
    needed = line.quantity
    pieces: list[_Piece] = []
    for layer in _layers(owner_id, line):
        if needed == 0:
            break
        take = min(needed, layer.quantity)
        pieces.append(
            _Piece(line.sku_id, line.from_location, line.to_location, layer.lot_code, layer.received_on, take)
        )
        needed -= take
    if needed and line.lot_code is not None and line.received_on is not None:
        # One layer named exactly: a service picked it from the balances moments ago (shipping, transfers), and
        # another transaction took from it since. Not a shortage: start over (``ledger_atomic`` retries).
        raise locks.StockContention(f"a layer at {line.from_location} changed while this move was planned")
    if needed:
        raise InsufficientStock(
            f"{line.from_location} holds fewer than {line.quantity} units of this SKU"
            + (f" in lot {line.lot_code}" if line.lot_code else ""),
            field="quantity",
            location=str(line.from_location),
            wanted=line.quantity,
        )
    return pieces


def moves_post(
    *,
    actor: Actor,
    owner_id: uuid.UUID,
    lines: list[MoveLine],
    document_type: str,
    document_ref: str = "",
    reason: str = "",
    effective_at: dt.datetime | None = None,
    unreserve: dict[tuple[uuid.UUID, uuid.UUID], int] | None = None,
    correction_of: Move | None = None,
) -> list[Move]:
    """Post ``lines`` as moves, updating balances and counters; all or nothing. Call inside a transaction
    (``locks.ledger_atomic``). ``unreserve`` maps (SKU, warehouse) to reserved units released with the
    sellable stock leaving (a shipment of reserved units)."""
    effective_at = effective_at or timezone.now()
    for line in lines:
        if isinstance(line.quantity, bool) or not isinstance(line.quantity, int) or line.quantity <= 0:
            raise InvalidQuantity(
                f"a quantity is a whole number above 0, not {line.quantity!r}", field="quantity"
            )
        if line.from_location.pk == line.to_location.pk:
            raise InvalidLocation("a move goes between two different locations", field="to_location")
        for location in (line.from_location, line.to_location):
            if _is_real(location) and not location.is_active:
                raise InvalidLocation(f"{location} is not active", field="location")

    # 1. plan the pieces (reads only), then change every balance in ascending key order (the lock order)
    pieces: list[_Piece] = []
    for line in lines:
        if _is_layered(line.from_location):
            pieces.extend(_plan_from_real(owner_id, line))
        else:
            received = line.received_on or timezone.localdate(effective_at)
            pieces.append(
                _Piece(
                    line.sku_id,
                    line.from_location,
                    line.to_location,
                    line.lot_code or "",
                    received,
                    line.quantity,
                )
            )
    changes: dict[locks.BalanceKey, int] = defaultdict(int)
    real: dict[locks.BalanceKey, bool] = {}
    for p in pieces:
        source = (owner_id, p.sku_id, p.from_location.pk, p.lot_code, p.received_on)
        target = (owner_id, p.sku_id, p.to_location.pk, p.lot_code, p.received_on)
        changes[source] -= p.quantity
        changes[target] += p.quantity
        real[source], real[target] = _is_layered(p.from_location), _is_layered(p.to_location)
    for key in sorted(changes, key=lambda k: tuple(str(part) for part in k)):
        change = changes[key]
        if change < 0 and real[key]:
            if not locks.balance_take(key, -change):
                # Another transaction took these units after we read them: start over (ledger_atomic retries).
                raise locks.StockContention("a balance changed while this move was being posted")
        elif change:
            locks.balance_add(key, change)

    # 2. stock counters: the net change of sellable stock per (SKU, warehouse), in ascending key order
    deltas: dict[tuple[uuid.UUID, uuid.UUID], int] = defaultdict(int)
    for piece in pieces:
        if _is_sellable(piece.from_location):
            deltas[(piece.sku_id, piece.from_location.warehouse_id)] -= piece.quantity  # type: ignore[index]
        if _is_sellable(piece.to_location):
            deltas[(piece.sku_id, piece.to_location.warehouse_id)] += piece.quantity  # type: ignore[index]
    releases = dict(unreserve or {})
    for pair in sorted(set(deltas) | set(releases), key=lambda k: (str(k[0]), str(k[1]))):
        delta, release = deltas.get(pair, 0), releases.get(pair, 0)
        if delta == 0 and release == 0:
            continue
        sku_id, warehouse_id = pair
        version = locks.counter_sellable_change((owner_id, sku_id, warehouse_id), delta, unreserve=release)
        if version is None:
            raise InsufficientStock(
                "this would leave less sellable stock than is reserved at the warehouse",
                field="quantity",
                reason="reserved",
            )
        if delta + release:  # available = sellable - reserved; shipping reserved units leaves it as it was
            available_changed_event(owner_id, sku_id, warehouse_id, version=version).save(force_insert=True)

    # 3. the moves themselves
    moves = [
        Move(
            owner_id=owner_id,
            sku_id=p.sku_id,
            lot_code=p.lot_code,
            received_on=p.received_on,
            quantity=p.quantity,
            from_location=p.from_location,
            to_location=p.to_location,
            document_type=document_type,
            document_ref=document_ref,
            reason=reason,
            correction_of=correction_of,
            actor_kind=actor.kind,
            actor_label=actor.label[:200],
            actor_user_id=actor.user_id,
            effective_at=effective_at,
        )
        for p in pieces
    ]
    return Move.objects.bulk_create(moves)


def available_changed_event(
    owner_id: uuid.UUID,
    sku_id: uuid.UUID,
    warehouse_id: uuid.UUID,
    *,
    version: int,
    operator_id: uuid.UUID | None = None,
) -> OutboxEvent:
    """The outbox event (not yet saved; the caller writes it in its transaction) announcing that available-to-sell
    of a SKU at a warehouse changed. ``version`` is the stock counter's version after its update: the row lock
    orders the versions in commit order. ``operator_id`` is the warehouse's operator (looked up if not given)."""
    if operator_id is None:
        operator_id = Warehouse.objects.filter(pk=warehouse_id).values_list("operator_id", flat=True).first()
    return outbox_event_build(
        event_type=STOCK_AVAILABLE_CHANGED,
        subject=Subject("inventory.available", f"{sku_id}:{warehouse_id}"),
        subject_version=version,
        seller_id=owner_id,
        operator_id=operator_id,
    )


def sellable_locations(warehouse_id: uuid.UUID) -> Q:
    return Q(location__warehouse_id=warehouse_id, location__kind__in=sorted(SELLABLE_KINDS))
