"""Writes of the stock ledger: receive, move, reserve, release, consume, adjust, correct, transfer.

Each service runs in :func:`haicang.inventory.locks.ledger_atomic` (its own transaction with bounded retries,
or the caller's) and writes moves only through :func:`haicang.inventory.ledger.moves_post`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Model, Sum
from django.utils import timezone

from haicang.catalog.models import Sku
from haicang.core.actors import Actor
from haicang.core.audit import audit_entry_build, audit_record
from haicang.inventory import locks
from haicang.inventory.errors import (
    InsufficientStock,
    InvalidLocation,
    InvalidLot,
    InvalidOwner,
    InvalidQuantity,
    ReservationClosed,
    StaleCorrection,
)
from haicang.inventory.ledger import MoveLine, available_changed_event, moves_post
from haicang.inventory.models import Balance, Lot, Move, Reservation, ReservationStatus
from haicang.network.models import Location, LocationKind, Warehouse
from haicang.network.models.locations import REAL_KINDS, SELLABLE_KINDS
from haicang.parties.models import Seller


def _quantity(value: object, field: str = "quantity") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise InvalidQuantity(f"a quantity is a whole number above 0, not {value!r}", field=field)
    return value


def _own(owner: Seller, sku: Sku) -> None:
    if sku.seller_id != owner.pk:
        raise InvalidOwner(f"{sku.code} does not belong to {owner}", field="sku")


def _real(location: Location, field: str = "location") -> Location:
    if location.kind not in REAL_KINDS:
        raise InvalidLocation(f"{location} is not a real location", field=field)
    return location


def _virtual(kind: str) -> Location:
    return Location.objects.get(warehouse__isnull=True, kind=kind)


def _in_transit(warehouse: Warehouse) -> Location:
    return Location.objects.get(warehouse=warehouse, kind=LocationKind.IN_TRANSIT)


def lot_ensure(*, owner: Seller, sku: Sku, code: str, expires_on: dt.date | None) -> Lot:
    """The lot ``code`` of a lot-tracked SKU, recorded with its expiry the first time units of it arrive.
    A new lot of an expiry-tracked SKU needs its expiry date (FEFO depends on it)."""
    code = (code or "").strip()
    if not code:
        raise InvalidLot(f"{sku.code} is lot-tracked: name the lot", field="lot_code")
    lot = Lot.objects.filter(sku=sku, code=code).first()
    if lot is None and sku.track_expiry and expires_on is None:
        raise InvalidLot(f"lot {code} of {sku.code} is new: give its expiry date", field="expires_on")
    lot, created = Lot.objects.get_or_create(
        sku=sku, code=code, defaults={"owner": owner, "expires_on": expires_on}
    )
    if not created and expires_on and lot.expires_on != expires_on:
        raise InvalidLot(f"lot {code} expires on {lot.expires_on}, not {expires_on}", field="expires_on")
    return lot


def stock_receive(
    *,
    actor: Actor,
    owner: Seller,
    sku: Sku,
    location: Location,
    quantity: int,
    lot_code: str = "",
    expires_on: dt.date | None = None,
    source: Location | None = None,
    document_type: str = "receipt",
    document_ref: str = "",
    effective_at: dt.datetime | None = None,
) -> list[Move]:
    """Units arrive at a real ``location`` from the supplier (or from ``source``, e.g. in transit)."""
    quantity = _quantity(quantity)
    _own(owner, sku)
    _real(location)
    if sku.track_lot or sku.track_expiry:
        lot_ensure(owner=owner, sku=sku, code=lot_code, expires_on=expires_on)

    def post() -> list[Move]:
        origin = source or _virtual(LocationKind.SUPPLIER)
        return moves_post(
            actor=actor,
            owner_id=owner.pk,
            lines=[
                MoveLine(
                    sku.pk,
                    origin,
                    location,
                    quantity,
                    lot_code=lot_code if source is None else lot_code or None,
                )
            ],
            document_type=document_type,
            document_ref=document_ref,
            effective_at=effective_at,
        )

    return locks.ledger_atomic(post)


def stock_move(
    *,
    actor: Actor,
    owner: Seller,
    sku: Sku,
    from_location: Location,
    to_location: Location,
    quantity: int,
    lot_code: str | None = None,
    document_type: str = "move",
    document_ref: str = "",
    reason: str = "",
) -> list[Move]:
    """Move units between two real locations of one warehouse (putaway, replenishment, to damaged…)."""
    quantity = _quantity(quantity)
    _own(owner, sku)
    _real(from_location, "from_location")
    _real(to_location, "to_location")
    if from_location.warehouse_id != to_location.warehouse_id:
        raise InvalidLocation("use a transfer to move stock between warehouses", field="to_location")
    line = MoveLine(sku.pk, from_location, to_location, quantity, lot_code=lot_code, fefo=sku.track_expiry)
    return locks.ledger_atomic(
        lambda: moves_post(
            actor=actor,
            owner_id=owner.pk,
            lines=[line],
            document_type=document_type,
            document_ref=document_ref,
            reason=reason,
        )
    )


@dataclass(frozen=True)
class DemandLine:
    sku: Sku
    quantity: int


def stock_reserve(
    *,
    actor: Actor,
    owner: Seller,
    warehouse: Warehouse,
    lines: Sequence[DemandLine],
    demand_type: str,
    demand_ref: str,
) -> list[Reservation]:
    """Hold sellable stock at ``warehouse`` for a demand: all lines or none. Lines of one SKU are summed first.
    Raises InsufficientStock (``stock.insufficient``) naming the SKU that is short."""
    if not lines:
        raise InvalidQuantity("a demand has at least one line", field="lines")
    wanted: dict[uuid.UUID, int] = defaultdict(int)
    skus: dict[uuid.UUID, Sku] = {}
    for line in lines:
        _own(owner, line.sku)
        wanted[line.sku.pk] += _quantity(line.quantity)
        skus[line.sku.pk] = line.sku

    def reserve() -> list[Reservation]:
        made: list[Reservation] = []
        for sku_id in sorted(wanted, key=str):  # the lock order
            reservation = Reservation(
                owner=owner,
                sku_id=sku_id,
                warehouse=warehouse,
                demand_type=demand_type,
                demand_ref=demand_ref,
                quantity=wanted[sku_id],
                open_quantity=wanted[sku_id],
            )
            rows: list[Model] = [
                reservation,
                available_changed_event(
                    owner.pk, sku_id, warehouse.pk, version=0, operator_id=warehouse.operator_id
                ),  # its version is the counter's, set by the statement below
                audit_entry_build(
                    actor=actor,
                    action="stock.reserved",
                    subject=reservation,
                    after={"sku": skus[sku_id].code, "warehouse": warehouse.code, "quantity": wanted[sku_id]},
                ),
            ]
            # the guarded counter update and every row of the reservation in one round trip
            if (
                locks.counter_reserve_writing(
                    (owner.pk, sku_id, warehouse.pk), wanted[sku_id], rows, version_into=1
                )
                is None
            ):
                raise InsufficientStock(
                    f"{skus[sku_id].code}: fewer than {wanted[sku_id]} units available at {warehouse.code}",
                    field="lines",
                    sku=skus[sku_id].code,
                    warehouse=warehouse.code,
                    wanted=wanted[sku_id],
                )
            made.append(reservation)
        return made

    # One counter row is the only lock a one-SKU reservation takes: it cannot be part of a deadlock.
    return locks.ledger_atomic(reserve, one_row_lock=len(wanted) == 1)


@dataclass(frozen=True)
class Demand:
    """One demand of :func:`stock_reserve_many`: what :func:`stock_reserve` takes, less the owner and actor."""

    warehouse: Warehouse
    lines: Sequence[DemandLine]
    demand_type: str
    demand_ref: str


def stock_reserve_many(*, actor: Actor, owner: Seller, demands: Sequence[Demand]) -> list[list[Reservation]]:
    """Hold stock for many demands of one owner at once — an import's thousands of orders. Each demand gets the
    reservations :func:`stock_reserve` would make (one per SKU, with its audit entry ``stock.reserved``), but
    each stock counter is updated once, by the sum of its demands (in the lock order), announced by one
    ``stock.available_changed`` event with its new version, and the rows are written in bulk. All or nothing:
    raises InsufficientStock naming the first SKU short, and nothing is held. Returns each demand's
    reservations, in the order of ``demands``."""
    from haicang.core.rows import rows_copy

    wanted: list[dict[uuid.UUID, int]] = []
    skus: dict[uuid.UUID, Sku] = {}
    totals: dict[locks.CounterKey, int] = defaultdict(int)
    for demand in demands:
        if not demand.lines:
            raise InvalidQuantity("a demand has at least one line", field="lines")
        mine: dict[uuid.UUID, int] = defaultdict(int)
        for line in demand.lines:
            _own(owner, line.sku)
            mine[line.sku.pk] += _quantity(line.quantity)
            skus[line.sku.pk] = line.sku
        for sku_id, quantity in mine.items():
            totals[(owner.pk, sku_id, demand.warehouse.pk)] += quantity
        wanted.append(mine)
    warehouses = {demand.warehouse.pk: demand.warehouse for demand in demands}

    def reserve() -> list[list[Reservation]]:
        versions, failed = locks.counters_reserve(totals)  # in the lock order, two statements
        if failed is not None:
            key = failed
            sku, warehouse = skus[key[1]], warehouses[key[2]]
            raise InsufficientStock(
                f"{sku.code}: fewer than {totals[key]} units available at {warehouse.code}",
                field="lines",
                sku=sku.code,
                warehouse=warehouse.code,
                wanted=totals[key],
            )
        made: list[list[Reservation]] = []
        entries = []
        for demand, mine in zip(demands, wanted, strict=True):
            reservations = []
            for sku_id in sorted(mine, key=str):
                reservation = Reservation(
                    owner=owner,
                    sku_id=sku_id,
                    warehouse=demand.warehouse,
                    demand_type=demand.demand_type,
                    demand_ref=demand.demand_ref,
                    quantity=mine[sku_id],
                    open_quantity=mine[sku_id],
                )
                reservations.append(reservation)
                entries.append(
                    audit_entry_build(
                        actor=actor,
                        action="stock.reserved",
                        subject=reservation,
                        after={
                            "sku": skus[sku_id].code,
                            "warehouse": demand.warehouse.code,
                            "quantity": mine[sku_id],
                        },
                    )
                )
            made.append(reservations)
        events = [
            available_changed_event(
                owner.pk,
                sku_id,
                warehouse_id,
                version=version,
                operator_id=warehouses[warehouse_id].operator_id,
            )
            for (_owner, sku_id, warehouse_id), version in versions.items()
        ]
        rows_copy([r for reservations in made for r in reservations])
        rows_copy(entries)
        rows_copy(events)
        return made

    return locks.ledger_atomic(reserve)


def _reservation_take(reservation: Reservation, quantity: int, *, consumed: bool) -> Reservation:
    """Lower the open quantity with a guarded update (two releases of one reservation never both pass)."""
    from django.db.models import F

    field = "consumed_quantity" if consumed else "released_quantity"
    updated = Reservation.objects.filter(pk=reservation.pk, open_quantity__gte=quantity).update(
        open_quantity=F("open_quantity") - quantity, **{field: F(field) + quantity}
    )
    if updated != 1:
        raise ReservationClosed(f"the reservation holds fewer than {quantity} units", field="quantity")
    Reservation.objects.filter(pk=reservation.pk, open_quantity=0).update(status=ReservationStatus.CLOSED)
    reservation.refresh_from_db()
    return reservation


def stock_release(*, actor: Actor, reservation: Reservation, quantity: int | None = None) -> Reservation:
    """Give back held units (all that are still open by default)."""

    def release() -> Reservation:
        current = Reservation.objects.get(pk=reservation.pk)
        amount = current.open_quantity if quantity is None else _quantity(quantity)
        if amount == 0:
            raise ReservationClosed("the reservation holds nothing any more")
        _reservation_take(current, amount, consumed=False)
        version = locks.counter_unreserve((current.owner_id, current.sku_id, current.warehouse_id), amount)
        if version is None:
            raise AssertionError("stock counter out of step with its reservations")  # verify would flag it
        available_changed_event(current.owner_id, current.sku_id, current.warehouse_id, version=version).save(
            force_insert=True
        )
        audit_record(actor=actor, action="stock.released", subject=current, after={"released": amount})
        return current

    return locks.ledger_atomic(release)


@dataclass(frozen=True)
class ConsumeSource:
    """Where shipped units are taken from: ``quantity`` units in one pick or bulk bin of the reservation's
    warehouse; ``lot_code`` ``None`` takes any lot there (FIFO/FEFO), ``""`` or a code that lot only."""

    location: Location
    quantity: int
    lot_code: str | None = None


def stock_consume(
    *,
    actor: Actor,
    reservation: Reservation,
    quantity: int | None = None,
    document_ref: str = "",
    sources: Sequence[ConsumeSource] | None = None,
) -> list[Move]:
    """Ship held units: moves from the warehouse's pick and bulk bins to the customer, releasing the
    reservation by as much. Without ``sources`` the bins are chosen FIFO by receipt (FEFO for expiry-tracked
    SKUs), then walk order; with ``sources`` (the bins the units were picked from) exactly those, whose
    quantities must add up to what is consumed (``quantity``, default: their sum)."""
    if sources is not None:
        if not sources:
            raise InvalidQuantity("name at least one source bin", field="sources")
        for source in sources:
            _quantity(source.quantity, field="sources")
            if source.location.kind not in SELLABLE_KINDS:
                raise InvalidLocation(f"{source.location} is not a pick or bulk bin", field="sources")
        total = sum(source.quantity for source in sources)
        if quantity is not None and _quantity(quantity) != total:
            raise InvalidQuantity(f"the sources hold {total} units, not {quantity}", field="sources")
        quantity = total

    def consume() -> list[Move]:
        current = Reservation.objects.select_related("sku").get(pk=reservation.pk)
        amount = current.open_quantity if quantity is None else _quantity(quantity)
        if amount == 0 or amount > current.open_quantity:
            raise ReservationClosed(f"the reservation holds {current.open_quantity} units, not {amount}")
        _reservation_take(current, amount, consumed=True)
        if sources is None:
            lines = _pick_lines(current.owner_id, current.sku, current.warehouse_id, amount)
        else:
            lines = _source_lines(current, sources)
        moves = moves_post(
            actor=actor,
            owner_id=current.owner_id,
            lines=lines,
            document_type=current.demand_type,
            document_ref=document_ref or current.demand_ref,
            unreserve={(current.sku_id, current.warehouse_id): amount},
        )
        after: dict[str, object] = {"consumed": amount}
        if sources is not None:
            after["bins"] = [f"{s.location.code} {s.lot_code or ''}".strip() for s in sources]
        audit_record(actor=actor, action="stock.consumed", subject=current, after=after)
        return moves

    return locks.ledger_atomic(consume)


def _source_lines(reservation: Reservation, sources: Sequence[ConsumeSource]) -> list[MoveLine]:
    """The named bins' moves to the customer (each bin's layers FIFO, or FEFO for expiry-tracked SKUs)."""
    customer = _virtual(LocationKind.CUSTOMER)
    lines: list[MoveLine] = []
    for source in sources:
        if source.location.warehouse_id != reservation.warehouse_id:
            raise InvalidLocation(f"{source.location} is not in the reservation's warehouse", field="sources")
        lines.append(
            MoveLine(
                reservation.sku_id,
                source.location,
                customer,
                source.quantity,
                lot_code=source.lot_code,
                fefo=reservation.sku.track_expiry,
            )
        )
    return lines


def _pick_lines(owner_id: uuid.UUID, sku: Sku, warehouse_id: uuid.UUID, quantity: int) -> list[MoveLine]:
    """Which bins to ship from: layers in pick/bulk bins ordered FEFO (expiry-tracked) or FIFO, then walk order."""
    layers = list(
        Balance.objects.filter(
            owner_id=owner_id,
            sku_id=sku.pk,
            location__warehouse_id=warehouse_id,
            location__kind__in=sorted(SELLABLE_KINDS),
            quantity__gt=0,
        )
        .select_related("location")
        .order_by("received_on", "location__pick_sequence", "lot_code")
    )
    if sku.track_expiry:
        expiry = dict(Lot.objects.filter(sku_id=sku.pk).values_list("code", "expires_on"))
        layers.sort(key=lambda b: (expiry.get(b.lot_code) or dt.date.max, b.received_on))
    customer = _virtual(LocationKind.CUSTOMER)
    lines: list[MoveLine] = []
    needed = quantity
    for layer in layers:
        if needed == 0:
            break
        take = min(needed, layer.quantity)
        lines.append(
            MoveLine(
                sku.pk,
                layer.location,
                customer,
                take,
                lot_code=layer.lot_code,
                received_on=layer.received_on,
            )
        )
        needed -= take
    if needed:
        raise InsufficientStock(
            "the reserved units are not in the warehouse's pick or bulk bins", field="quantity"
        )
    return lines


def stock_adjust(
    *,
    actor: Actor,
    owner: Seller,
    sku: Sku,
    location: Location,
    delta: int,
    reason: str,
    lot_code: str = "",
    expires_on: dt.date | None = None,
    document_type: str = "adjustment",
    document_ref: str = "",
    correction_of: Move | None = None,
) -> list[Move]:
    """Found (+) or lost (−) units at a real location, against inventory loss; a reason is required.

    Found units of a lot-tracked SKU belong to a named lot; a lot never seen before is recorded then (with
    ``expires_on``, required for an expiry-tracked SKU), exactly as at a receipt."""
    if isinstance(delta, bool) or not isinstance(delta, int) or delta == 0:
        raise InvalidQuantity("an adjustment changes stock by a whole number other than 0", field="delta")
    if not (reason or "").strip():
        raise InvalidQuantity("an adjustment needs a reason", field="reason")
    _own(owner, sku)
    _real(location)
    lot_code = (lot_code or "").strip()
    if sku.track_lot or sku.track_expiry:
        if delta > 0:
            lot_ensure(owner=owner, sku=sku, code=lot_code, expires_on=expires_on)
    elif lot_code:
        raise InvalidLot(f"{sku.code} is not lot-tracked: leave the lot empty", field="lot_code")

    def post() -> list[Move]:
        loss = _virtual(LocationKind.INVENTORY_LOSS)
        line = (
            MoveLine(sku.pk, loss, location, delta, lot_code=lot_code)
            if delta > 0
            else MoveLine(sku.pk, location, loss, -delta, lot_code=lot_code or None, fefo=sku.track_expiry)
        )
        return moves_post(
            actor=actor,
            owner_id=owner.pk,
            lines=[line],
            document_type=document_type,
            document_ref=document_ref,
            reason=reason.strip(),
            correction_of=correction_of,
        )

    return locks.ledger_atomic(post)


def stock_correct(
    *,
    actor: Actor,
    owner: Seller,
    sku: Sku,
    location: Location,
    expected: int,
    counted: int,
    reason: str,
    lot_code: str = "",
    expires_on: dt.date | None = None,
) -> list[Move]:
    """Compare-and-set of on-hand at one location (one lot): refused (``stock.stale_correction``) unless the
    location still holds ``expected``; then adjusts it to ``counted`` (``expires_on``: see ``stock_adjust``)."""
    if isinstance(counted, bool) or not isinstance(counted, int) or counted < 0:
        raise InvalidQuantity("the counted quantity is a whole number, 0 or more", field="counted")
    _own(owner, sku)
    _real(location)

    def correct() -> list[Move]:
        # SQLite holds the write lock from BEGIN; on PostgreSQL the rows are locked so the check stays true.
        rows = Balance.objects.select_for_update().filter(
            owner=owner, sku=sku, location=location, lot_code=lot_code
        )
        current = int(rows.aggregate(total=Sum("quantity"))["total"] or 0)
        if current != expected:
            raise StaleCorrection(
                f"{location} holds {current}, not the {expected} you expected: read it again",
                field="expected",
            )
        if counted == current:
            return []
        return stock_adjust(
            actor=actor,
            owner=owner,
            sku=sku,
            location=location,
            delta=counted - current,
            reason=reason,
            lot_code=lot_code,
            expires_on=expires_on,
            document_type="correction",
        )

    return locks.ledger_atomic(correct)


def stock_transfer_dispatch(
    *,
    actor: Actor,
    owner: Seller,
    sku: Sku,
    from_warehouse: Warehouse,
    to_warehouse: Warehouse,
    quantity: int,
    document_ref: str = "",
) -> list[Move]:
    """Send sellable units from one warehouse towards another: they sit in "in transit to <warehouse>"."""
    quantity = _quantity(quantity)
    _own(owner, sku)
    if from_warehouse.pk == to_warehouse.pk:
        raise InvalidLocation("a transfer goes to another warehouse", field="to_warehouse")

    def dispatch() -> list[Move]:
        # No reservation first: that would lock the stock counter before the balances and break the lock order.
        # The counter's guard in moves_post refuses to take sellable units that are reserved for others.
        transit = _in_transit(to_warehouse)
        lines = [
            MoveLine(
                ln.sku_id,
                ln.from_location,
                transit,
                ln.quantity,
                lot_code=ln.lot_code,
                received_on=ln.received_on,
            )
            for ln in _pick_lines(owner.pk, sku, from_warehouse.pk, quantity)
        ]
        return moves_post(
            actor=actor, owner_id=owner.pk, lines=lines, document_type="transfer", document_ref=document_ref
        )

    return locks.ledger_atomic(dispatch)


def stock_transfer_receive(
    *,
    actor: Actor,
    owner: Seller,
    sku: Sku,
    location: Location,
    quantity: int,
    lot_code: str | None = None,
    document_ref: str = "",
) -> list[Move]:
    """Units in transit to ``location``'s warehouse arrive at ``location``."""
    quantity = _quantity(quantity)
    _own(owner, sku)
    _real(location)
    assert location.warehouse is not None  # noqa: S101 - a real location has a warehouse

    def receive() -> list[Move]:
        transit = _in_transit(location.warehouse)  # type: ignore[arg-type]
        line = MoveLine(sku.pk, transit, location, quantity, lot_code=lot_code)
        return moves_post(
            actor=actor, owner_id=owner.pk, lines=[line], document_type="transfer", document_ref=document_ref
        )

    return locks.ledger_atomic(receive)


def stock_inbound_dispatch(
    *,
    actor: Actor,
    owner: Seller,
    warehouse: Warehouse,
    lines: Sequence[DemandLine],
    document_ref: str,
    effective_at: dt.datetime | None = None,
) -> list[Move]:
    """A first-leg shipment leaves the supplier: its units move from *supplier* to *in transit to
    ``warehouse``* (document type ``inbound``), all lines or none. The inbound app receives them from there
    with :func:`stock_receive` (``source`` = the in-transit location)."""
    if not lines:
        raise InvalidQuantity("a shipment has at least one line", field="lines")
    for line in lines:
        _own(owner, line.sku)
        _quantity(line.quantity)

    def post() -> list[Move]:
        supplier, transit = _virtual(LocationKind.SUPPLIER), _in_transit(warehouse)
        return moves_post(
            actor=actor,
            owner_id=owner.pk,
            lines=[MoveLine(line.sku.pk, supplier, transit, line.quantity, lot_code="") for line in lines],
            document_type="inbound",
            document_ref=document_ref,
            effective_at=effective_at,
        )

    return locks.ledger_atomic(post)


def stock_inbound_receive(
    *,
    actor: Actor,
    owner: Seller,
    sku: Sku,
    location: Location,
    quantity: int,
    lot_code: str = "",
    expires_on: dt.date | None = None,
    document_ref: str,
    effective_at: dt.datetime | None = None,
) -> list[Move]:
    """Units of a first-leg shipment arrive from *in transit to* ``location``'s warehouse at ``location``.

    In transit they are as :func:`stock_inbound_dispatch` left them: no lot, the dispatch date as layer date.
    They land as received: in the lot named now (lot-tracked SKUs; a new lot of an expiry-tracked SKU needs
    ``expires_on``, as at any receipt) and with the **receipt date** as layer date, so FIFO ageing starts at
    arrival. A move keeps its layer, so this is two moves of one document (type ``inbound``): in transit →
    supplier (the units as dispatched) and supplier → ``location`` (the units as received); the supplier's
    lot-less layer of the dispatch goes back to zero. A lot for a SKU that is not lot-tracked is refused."""
    quantity = _quantity(quantity)
    _own(owner, sku)
    _real(location)
    lot_code = (lot_code or "").strip()
    if sku.track_lot or sku.track_expiry:
        lot_ensure(owner=owner, sku=sku, code=lot_code, expires_on=expires_on)
    elif lot_code:
        raise InvalidLot(f"{sku.code} is not lot-tracked: leave the lot empty", field="lot_code")
    warehouse = location.warehouse
    assert warehouse is not None  # noqa: S101 - a real location has a warehouse

    def post() -> list[Move]:
        transit, supplier = _in_transit(warehouse), _virtual(LocationKind.SUPPLIER)
        when = effective_at or timezone.now()
        return moves_post(
            actor=actor,
            owner_id=owner.pk,
            lines=[
                MoveLine(sku.pk, transit, supplier, quantity, lot_code=""),
                MoveLine(
                    sku.pk,
                    supplier,
                    location,
                    quantity,
                    lot_code=lot_code,
                    received_on=timezone.localdate(when),
                ),
            ],
            document_type="inbound",
            document_ref=document_ref,
            reason=f"received at {location.code}" + (f" as lot {lot_code}" if lot_code else ""),
            effective_at=when,
        )

    return locks.ledger_atomic(post)


def stock_in_transit_clear(
    *,
    actor: Actor,
    owner: Seller,
    warehouse: Warehouse,
    lines: Sequence[DemandLine],
    to_kind: str,
    reason: str,
    document_ref: str,
) -> list[Move]:
    """Take units out of *in transit to ``warehouse``* without receiving them: back to the *supplier* (a
    cancelled shipment) or to *inventory loss* (units short when a shipment is closed). A reason is required.
    Only lot-less units are taken (what :func:`stock_inbound_dispatch` put there), never a transfer's lots."""
    if to_kind not in (LocationKind.SUPPLIER, LocationKind.INVENTORY_LOSS):
        raise InvalidLocation(
            "units in transit go back to the supplier or to inventory loss", field="to_kind"
        )
    if not (reason or "").strip():
        raise InvalidQuantity("clearing stock in transit needs a reason", field="reason")
    for line in lines:
        _own(owner, line.sku)
        _quantity(line.quantity)
    if not lines:
        return []

    def post() -> list[Move]:
        transit, target = _in_transit(warehouse), _virtual(to_kind)
        return moves_post(
            actor=actor,
            owner_id=owner.pk,
            lines=[MoveLine(line.sku.pk, transit, target, line.quantity, lot_code="") for line in lines],
            document_type="inbound",
            document_ref=document_ref,
            reason=reason.strip(),
        )

    return locks.ledger_atomic(post)
