"""A stateful proof of the stock ledger: hypothesis drives every service (receive, move, reserve, release,
consume, adjust, correct, transfer dispatch and receipt, cancel) in random order over a small world, and after
every step the ledger must pass ``ledger_verify()`` and agree with a plain-Python model of the receipt layers,
the open reservations and availability — including which layers FIFO/FEFO picked. A refused operation raises
the error the model predicts and changes nothing.

Each example starts from an empty ledger: the test is transactional, so the ledger's rows and lots are deleted
when the machine starts (the world — seller, warehouses, bins, SKUs — is built once per test).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

import pytest
from django.utils import timezone
from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)

from haicang.catalog.tests.factories import make_sku
from haicang.inventory.errors import (
    InsufficientStock,
    InvalidLocation,
    InvalidLot,
    ReservationClosed,
    StaleCorrection,
)
from haicang.inventory.models import Balance, Lot, Move, Reservation, ReservationStatus, StockCounter
from haicang.inventory.selectors import stock_levels
from haicang.inventory.services import (
    DemandLine,
    stock_adjust,
    stock_consume,
    stock_correct,
    stock_move,
    stock_receive,
    stock_release,
    stock_reserve,
    stock_transfer_dispatch,
    stock_transfer_receive,
)
from haicang.inventory.verify import ledger_verify
from haicang.network.models import Location, LocationKind, Warehouse
from haicang.network.models.locations import SELLABLE_KINDS
from haicang.network.services.virtual import virtual_locations_ensure
from haicang.network.tests.factories import make_location, make_warehouse
from haicang.parties.models import Seller
from haicang.parties.tests.factories import SYSTEM, make_operator, make_seller

LOTS = {"L-JUN": dt.date(2026, 6, 30), "L-MAR": dt.date(2026, 3, 31), "L-SEP": dt.date(2026, 9, 30)}
FAR = dt.date.max
LayerKey = tuple[uuid.UUID, uuid.UUID, str, dt.date]  # SKU, location, lot, receipt date
Piece = tuple[uuid.UUID, uuid.UUID, str, dt.date, int]  # from, to, lot, receipt date, quantity


@dataclass
class World:
    seller: Seller
    warehouses: list[Warehouse]
    bins: dict[uuid.UUID, list[Location]]  # per warehouse: pick, pick, bulk, receiving, damaged
    transit: dict[uuid.UUID, Location]  # in transit to each warehouse
    skus: list[Any]  # plain, plain, lot- and expiry-tracked
    supplier: Location
    customer: Location
    loss: Location


def make_world() -> World:
    seller = make_seller()
    operator = make_operator()
    warehouses = [make_warehouse(operator), make_warehouse(operator)]
    virtual = virtual_locations_ensure(actor=SYSTEM)
    bins: dict[uuid.UUID, list[Location]] = {}
    for warehouse in warehouses:
        bins[warehouse.pk] = [
            make_location(warehouse, code="A-01-01-1-1", kind=LocationKind.PICK, pick_sequence=1),
            make_location(warehouse, code="A-01-02-1-1", kind=LocationKind.PICK, pick_sequence=2),
            make_location(warehouse, code="B-01-01-1-1", kind=LocationKind.BULK, pick_sequence=3),
            make_location(warehouse, code="RECV-01", kind=LocationKind.RECEIVING),
            make_location(warehouse, code="DMG-01", kind=LocationKind.DAMAGED),
        ]
    transit = {w.pk: Location.objects.get(warehouse=w, kind=LocationKind.IN_TRANSIT) for w in warehouses}
    skus = [make_sku(seller), make_sku(seller), make_sku(seller, track_lot=True, track_expiry=True)]
    return World(
        seller=seller,
        warehouses=warehouses,
        bins=bins,
        transit=transit,
        skus=skus,
        supplier=virtual[LocationKind.SUPPLIER],
        customer=virtual[LocationKind.CUSTOMER],
        loss=virtual[LocationKind.INVENTORY_LOSS],
    )


def _ledger_rows_delete() -> None:
    for model in (Move, Balance, StockCounter, Reservation, Lot):
        model.objects.all().delete()


def _pieces(moves: Iterable[Move]) -> list[Piece]:
    return sorted(
        (m.from_location_id, m.to_location_id, m.lot_code, m.received_on, m.quantity) for m in moves
    )


class StockMachine(RuleBasedStateMachine):
    world: ClassVar[World]
    reservations = Bundle("reservations")

    def __init__(self) -> None:
        super().__init__()
        _ledger_rows_delete()
        w = self.world
        self.layers: dict[LayerKey, int] = defaultdict(int)  # real locations and in transit
        self.open: dict[uuid.UUID, int] = {}  # reservation → units still held
        self.held_at: dict[uuid.UUID, tuple[uuid.UUID, uuid.UUID]] = {}  # reservation → (SKU, warehouse)
        self.location: dict[uuid.UUID, Location] = {b.pk: b for bins in w.bins.values() for b in bins}
        self.location.update({t.pk: t for t in w.transit.values()})
        self.sku_by_pk = {s.pk: s for s in w.skus}
        self.orders = 0
        self.lots_known: set[str] = set()  # lots received (with their expiry) in this example

    # --- the model ----------------------------------------------------------------------------------------

    def _sellable_bins(self, warehouse: Warehouse) -> list[Location]:
        return [b for b in self.world.bins[warehouse.pk] if b.kind in SELLABLE_KINDS]

    def _sellable(self, sku_id: uuid.UUID, warehouse_id: uuid.UUID) -> int:
        bins = {b.pk for b in self.world.bins[warehouse_id] if b.kind in SELLABLE_KINDS}
        return sum(q for (s, loc, _, _), q in self.layers.items() if s == sku_id and loc in bins)

    def _reserved(self, sku_id: uuid.UUID, warehouse_id: uuid.UUID) -> int:
        return sum(q for r, q in self.open.items() if self.held_at[r] == (sku_id, warehouse_id))

    def _available(self, sku_id: uuid.UUID, warehouse_id: uuid.UUID) -> int:
        return self._sellable(sku_id, warehouse_id) - self._reserved(sku_id, warehouse_id)

    def _expiry(self, sku: Any, lot: str, *, fefo: bool) -> dt.date:
        """A lot's expiry as FEFO sees it: recorded when units of the lot first arrive — at a receipt, or found
        in an adjustment or a correction, which must name it then."""
        return (LOTS[lot] if lot in self.lots_known else FAR) if fefo else FAR

    def _take(
        self, sku: Any, sources: list[tuple[uuid.UUID, str, dt.date, int]], quantity: int, to: Location
    ) -> list[Piece] | None:
        """The pieces taking ``quantity`` from ``sources`` (already in picking order), or None if short."""
        pieces: list[Piece] = []
        for location_id, lot, day, held in sources:
            if quantity == 0:
                break
            n = min(quantity, held)
            pieces.append((location_id, to.pk, lot, day, n))
            quantity -= n
        return None if quantity else pieces

    def _from_one(
        self, sku: Any, source: Location, quantity: int, to: Location, *, lot: str | None, fefo: bool
    ) -> list[Piece] | None:
        """Planning from one location: FIFO by (receipt date, lot), FEFO first when asked."""
        layers = [
            (key[1], key[2], key[3], q)
            for key, q in self.layers.items()
            if key[0] == sku.pk and key[1] == source.pk and q > 0 and (lot is None or key[2] == lot)
        ]
        layers.sort(key=lambda x: (self._expiry(sku, x[1], fefo=fefo), x[2], x[1]))
        return self._take(sku, layers, quantity, to)

    def _picked(self, sku: Any, warehouse: Warehouse, quantity: int, to: Location) -> list[Piece] | None:
        """Picking for a shipment or a transfer: the warehouse's pick and bulk bins, FEFO (expiry-tracked)
        then FIFO by receipt date, then walk order."""
        walk = {b.pk: b.pick_sequence for b in self._sellable_bins(warehouse)}
        layers = [
            (key[1], key[2], key[3], q)
            for key, q in self.layers.items()
            if key[0] == sku.pk and key[1] in walk and q > 0
        ]
        fefo = bool(sku.track_expiry)
        layers.sort(key=lambda x: (self._expiry(sku, x[1], fefo=fefo), x[2], walk[x[0]], x[1]))
        return self._take(sku, layers, quantity, to)

    def _keeps_reservations(self, sku: Any, pieces: list[Piece]) -> bool:
        """Would these pieces leave reserved ≤ sellable at every warehouse?"""
        delta: dict[uuid.UUID, int] = defaultdict(int)
        for source, target, _, _, n in pieces:
            for location_id, sign in ((source, -1), (target, 1)):
                location = self.location.get(location_id)
                if location is not None and location.kind in SELLABLE_KINDS:
                    delta[location.warehouse_id] += sign * n  # type: ignore[index]
        return all(
            self._sellable(sku.pk, wh) + d >= self._reserved(sku.pk, wh) for wh, d in delta.items() if d < 0
        )

    def _lost(self, sku: Any, location: Location, quantity: int, lot: str) -> list[Piece] | None:
        """Units written off at ``location`` (any lot FEFO/FIFO, or ``lot``), or None if it must be refused."""
        pieces = self._from_one(
            sku, location, quantity, self.world.loss, lot=lot or None, fefo=bool(sku.track_expiry)
        )
        return pieces if pieces is not None and self._keeps_reservations(sku, pieces) else None

    def _apply(self, sku: Any, pieces: list[Piece]) -> None:
        for source, target, lot, day, n in pieces:
            if source in self.location:
                self.layers[(sku.pk, source, lot, day)] -= n
            if target in self.location:
                self.layers[(sku.pk, target, lot, day)] += n

    def _attempt(
        self, sku: Any, call: Callable[[], list[Move]], pieces: list[Piece] | None, refused: type[Exception]
    ) -> None:
        """Run ``call``: it posts exactly ``pieces``, or raises ``refused`` when the model says it must."""
        if pieces is None:
            with pytest.raises(refused):
                call()
            event(f"refused: {refused.__name__}")
            return
        moves = call()
        event(f"posted {'several moves' if len(moves) > 1 else 'one move'}")
        assert _pieces(moves) == sorted(pieces)
        self._apply(sku, pieces)

    def _stocked(self, sku: Any, candidates: list[Location]) -> list[Location]:
        """``candidates`` that hold some of ``sku`` (all of them if none does): draws mostly hit stock."""
        held = {loc for (s, loc, _, _), q in self.layers.items() if s == sku.pk and q > 0}
        return [c for c in candidates if c.pk in held] or candidates

    def _all_bins(self) -> list[Location]:
        return [b for bins in self.world.bins.values() for b in bins]

    # --- the rules ----------------------------------------------------------------------------------------

    @initialize(data=st.data())
    def stock_every_warehouse(self, data: st.DataObject) -> None:
        """Start from some sellable stock of every SKU in every warehouse, so most steps can succeed."""
        for sku in self.world.skus:
            for warehouse in self.world.warehouses:
                for _ in range(2):  # two receipt layers, usually of different dates or lots: FIFO/FEFO matter
                    self.receive_into(
                        sku,
                        data.draw(st.sampled_from(self._sellable_bins(warehouse))),
                        data.draw(st.integers(0, 8)),
                        data.draw(st.integers(1, 5)),
                        data.draw(st.sampled_from(sorted(LOTS))) if sku.track_lot else "",
                    )

    def receive_into(self, sku: Any, location: Location, quantity: int, day: int, lot: str) -> None:
        if quantity == 0:
            return
        received = dt.date(2026, 1, day)
        moves = stock_receive(
            actor=SYSTEM, owner=self.world.seller, sku=sku, location=location, quantity=quantity,
            lot_code=lot, expires_on=LOTS.get(lot),
            effective_at=dt.datetime.combine(received, dt.time(9), tzinfo=dt.UTC),
        )  # fmt: skip
        pieces = [(self.world.supplier.pk, location.pk, lot, received, quantity)]
        assert _pieces(moves) == pieces
        self._apply(sku, pieces)
        if lot:
            self.lots_known.add(lot)

    @rule(data=st.data(), quantity=st.integers(1, 8), day=st.integers(1, 5))
    def receive(self, data: st.DataObject, quantity: int, day: int) -> None:
        sku = data.draw(st.sampled_from(self.world.skus))
        location = data.draw(st.sampled_from(self._all_bins()))
        lot = data.draw(st.sampled_from(sorted(LOTS))) if sku.track_lot else ""
        self.receive_into(sku, location, quantity, day, lot)

    @rule(data=st.data(), quantity=st.integers(1, 8))
    def move(self, data: st.DataObject, quantity: int) -> None:
        sku = data.draw(st.sampled_from(self.world.skus))
        source = data.draw(st.sampled_from(self._stocked(sku, self._all_bins())))
        target = data.draw(st.sampled_from([b for b in self.world.bins[source.warehouse_id] if b != source]))  # type: ignore[index]
        pieces: list[Piece] | None = self._from_one(
            sku, source, quantity, target, lot=None, fefo=bool(sku.track_expiry)
        )
        if pieces is not None and not self._keeps_reservations(sku, pieces):
            pieces = None
        self._attempt(
            sku,
            lambda: stock_move(actor=SYSTEM, owner=self.world.seller, sku=sku, from_location=source,
                               to_location=target, quantity=quantity),
            pieces,
            InsufficientStock,
        )  # fmt: skip

    @rule(data=st.data(), which=st.sampled_from(["receive without a lot", "move to another warehouse"]))
    def a_malformed_request_is_refused(self, data: st.DataObject, which: str) -> None:
        here, there = (self.world.bins[w.pk] for w in self.world.warehouses)
        source, target = data.draw(st.sampled_from(here)), data.draw(st.sampled_from(there))
        if which == "receive without a lot":
            with pytest.raises(InvalidLot):
                stock_receive(actor=SYSTEM, owner=self.world.seller, sku=self.world.skus[2], location=source,
                              quantity=1)  # fmt: skip
        else:
            with pytest.raises(InvalidLocation):
                stock_move(actor=SYSTEM, owner=self.world.seller, sku=self.world.skus[0], from_location=source,
                           to_location=target, quantity=1)  # fmt: skip

    @rule(
        target=reservations,
        data=st.data(),
        lines=st.lists(st.tuples(st.integers(0, 2), st.integers(1, 6)), min_size=1, max_size=3),
    )
    def reserve(self, data: st.DataObject, lines: list[tuple[int, int]]) -> Any:
        warehouse = data.draw(st.sampled_from(self.world.warehouses))
        wanted: dict[uuid.UUID, int] = defaultdict(int)
        for index, quantity in lines:
            wanted[self.world.skus[index].pk] += quantity  # two lines of one SKU are summed
        self.orders += 1
        call = lambda: stock_reserve(  # noqa: E731
            actor=SYSTEM, owner=self.world.seller, warehouse=warehouse,
            lines=[DemandLine(self.world.skus[i], q) for i, q in lines],
            demand_type="order", demand_ref=f"ORD-{self.orders}",
        )  # fmt: skip
        if any(q > self._available(sku_id, warehouse.pk) for sku_id, q in wanted.items()):
            with pytest.raises(InsufficientStock):
                call()
            return multiple()
        made = call()
        assert sorted((r.sku_id, r.open_quantity) for r in made) == sorted(wanted.items())
        for reservation in made:
            self.open[reservation.pk] = reservation.open_quantity
            self.held_at[reservation.pk] = (reservation.sku_id, warehouse.pk)
        return multiple(*made)

    @rule(target=reservations, data=st.data())
    def reserve_everything_available(self, data: st.DataObject) -> Any:
        """Hold all that is available, so that moves out of sellable bins then meet the reserved-stock guard."""
        sku = data.draw(st.sampled_from(self.world.skus))
        warehouse = data.draw(st.sampled_from(self.world.warehouses))
        available = self._available(sku.pk, warehouse.pk)
        if available == 0:
            return multiple()
        self.orders += 1
        [held] = stock_reserve(actor=SYSTEM, owner=self.world.seller, warehouse=warehouse,
                               lines=[DemandLine(sku, available)], demand_type="order", demand_ref=f"ORD-{self.orders}")  # fmt: skip
        self.open[held.pk] = available
        self.held_at[held.pk] = (sku.pk, warehouse.pk)
        return held

    @rule(reservation=reservations, quantity=st.none() | st.integers(1, 6))
    def release(self, reservation: Reservation, quantity: int | None) -> None:
        """``quantity=None`` is a cancellation: everything still held goes back."""
        held = self.open[reservation.pk]
        amount = held if quantity is None else quantity
        if amount == 0 or amount > held:
            with pytest.raises(ReservationClosed):
                stock_release(actor=SYSTEM, reservation=reservation, quantity=quantity)
            return
        stock_release(actor=SYSTEM, reservation=reservation, quantity=quantity)
        self.open[reservation.pk] = held - amount

    @rule(reservation=reservations, quantity=st.none() | st.integers(1, 6))
    def consume(self, reservation: Reservation, quantity: int | None) -> None:
        held = self.open[reservation.pk]
        amount = held if quantity is None else quantity
        sku = self.sku_by_pk[reservation.sku_id]
        call = lambda: stock_consume(actor=SYSTEM, reservation=reservation, quantity=quantity)  # noqa: E731
        if amount == 0 or amount > held:
            self._attempt(sku, call, None, ReservationClosed)
            return
        warehouse = next(w for w in self.world.warehouses if w.pk == reservation.warehouse_id)
        pieces = self._picked(sku, warehouse, amount, self.world.customer)
        assert pieces is not None, "reserved units are always on hand in sellable bins"
        self._attempt(sku, call, pieces, ReservationClosed)
        self.open[reservation.pk] = held - amount

    @rule(data=st.data(), delta=st.integers(-6, 6).filter(bool))
    def adjust(self, data: st.DataObject, delta: int) -> None:
        sku = data.draw(st.sampled_from(self.world.skus))
        location = data.draw(st.sampled_from(self._stocked(sku, self._all_bins())))
        choices = sorted(LOTS) + ([""] if delta < 0 else []) if sku.track_lot else [""]
        lot = data.draw(st.sampled_from(choices))
        call = lambda: stock_adjust(actor=SYSTEM, owner=self.world.seller, sku=sku, location=location,  # noqa: E731
                                    delta=delta, reason="cycle count", lot_code=lot, expires_on=LOTS.get(lot))  # fmt: skip
        if delta > 0:
            before = timezone.localdate()
            [found] = call()
            if lot:
                self.lots_known.add(lot)
            assert found.received_on in {before, timezone.localdate()}  # a found layer is dated today
            arrived = [(self.world.loss.pk, location.pk, lot, found.received_on, delta)]
            assert _pieces([found]) == arrived
            self._apply(sku, arrived)
            return
        self._attempt(sku, call, self._lost(sku, location, -delta, lot), InsufficientStock)

    @rule(data=st.data(), counted=st.integers(0, 8), stale=st.booleans())
    def correct(self, data: st.DataObject, counted: int, stale: bool) -> None:
        """A compare-and-set correction: refused when the caller's expected quantity is out of date."""
        sku = data.draw(st.sampled_from(self.world.skus))
        location = data.draw(st.sampled_from(self._stocked(sku, self._all_bins())))
        lot = data.draw(st.sampled_from(sorted(LOTS))) if sku.track_lot else ""
        current = sum(
            q for (s, loc, lt, _), q in self.layers.items() if (s, loc, lt) == (sku.pk, location.pk, lot)
        )
        call = lambda: stock_correct(actor=SYSTEM, owner=self.world.seller, sku=sku, location=location,  # noqa: E731
                                     expected=current + stale, counted=counted, reason="recount", lot_code=lot,
                                     expires_on=LOTS.get(lot))  # fmt: skip
        if stale:
            self._attempt(sku, call, None, StaleCorrection)
        elif counted == current:
            assert call() == []
        elif counted > current:
            [found] = call()
            if lot:
                self.lots_known.add(lot)
            arrived = [(self.world.loss.pk, location.pk, lot, found.received_on, counted - current)]
            assert _pieces([found]) == arrived
            self._apply(sku, arrived)
        else:
            self._attempt(sku, call, self._lost(sku, location, current - counted, lot), InsufficientStock)

    @rule(data=st.data(), quantity=st.integers(1, 6))
    def transfer_dispatch(self, data: st.DataObject, quantity: int) -> None:
        sku = data.draw(st.sampled_from(self.world.skus))
        origin, destination = data.draw(st.permutations(self.world.warehouses))
        pieces = None
        if quantity <= self._available(sku.pk, origin.pk):
            pieces = self._picked(sku, origin, quantity, self.world.transit[destination.pk])
        self._attempt(
            sku,
            lambda: stock_transfer_dispatch(actor=SYSTEM, owner=self.world.seller, sku=sku,
                                            from_warehouse=origin, to_warehouse=destination, quantity=quantity),
            pieces,
            InsufficientStock,
        )  # fmt: skip

    @rule(data=st.data(), quantity=st.integers(1, 6))
    def transfer_receive(self, data: st.DataObject, quantity: int) -> None:
        sku = data.draw(st.sampled_from(self.world.skus))
        transit = data.draw(st.sampled_from(self._stocked(sku, list(self.world.transit.values()))))
        location = data.draw(st.sampled_from(self.world.bins[transit.warehouse_id]))  # type: ignore[index]
        pieces = self._from_one(sku, transit, quantity, location, lot=None, fefo=False)
        self._attempt(
            sku,
            lambda: stock_transfer_receive(actor=SYSTEM, owner=self.world.seller, sku=sku, location=location,
                                           quantity=quantity),
            pieces,
            InsufficientStock,
        )  # fmt: skip

    # --- after every step ---------------------------------------------------------------------------------

    @invariant()
    def every_invariant_holds_and_the_ledger_agrees_with_the_model(self) -> None:
        assert ledger_verify() == []
        seller = self.world.seller
        stored = {
            (b.sku_id, b.location_id, b.lot_code, b.received_on): b.quantity
            for b in Balance.objects.filter(owner=seller, location_id__in=list(self.location)).exclude(
                quantity=0
            )
        }
        assert stored == {key: q for key, q in self.layers.items() if q}
        held = dict(
            Reservation.objects.filter(owner=seller, status=ReservationStatus.OPEN).values_list(
                "pk", "open_quantity"
            )
        )
        assert held == {pk: q for pk, q in self.open.items() if q}
        levels = stock_levels(
            balances=Balance.objects.filter(owner=seller), counters=StockCounter.objects.filter(owner=seller)
        )
        for sku in self.world.skus:
            for warehouse in self.world.warehouses:
                level = levels.get((sku.pk, warehouse.pk))
                seen = (
                    (level.sellable, level.reserved, level.available, level.in_transit)
                    if level
                    else (0, 0, 0, 0)
                )
                transit = self.world.transit[warehouse.pk].pk
                in_transit = sum(
                    q for (s, loc, _, _), q in self.layers.items() if (s, loc) == (sku.pk, transit)
                )
                assert seen == (
                    self._sellable(sku.pk, warehouse.pk),
                    self._reserved(sku.pk, warehouse.pk),
                    self._available(sku.pk, warehouse.pk),
                    in_transit,
                )


@pytest.mark.timeout(600)  # room for hypothesis to shrink a failure (it stops shrinking after five minutes)
@pytest.mark.django_db(transaction=True)
def test_every_invariant_holds_after_every_step_of_random_ledger_work():
    # given a seller with three SKUs (one lot- and expiry-tracked) in two warehouses of bins of every kind
    StockMachine.world = make_world()

    # when hypothesis runs random sequences of every ledger operation, then the invariants hold after each
    # (fewer examples than the profile: every step commits services and runs the checks on a real database)
    run_state_machine_as_test(
        StockMachine,
        settings=settings(max_examples=max(10, settings().max_examples * 2 // 5), stateful_step_count=25),
    )
